/**
 * BS.1770-4 loudness of K-weighted block energies: the relation between an
 * energy and LUFS, the gated integrated loudness (BS.1770-4, EBU Tech 3341)
 * and the loudness range (EBU Tech 3342). An energy is the mean square of
 * the K-weighted channels, summed (channel weights 1.0).
 */
import { type Decibels, dbToPower, type Lufs } from "../core/units.ts";

/** The absolute gate, in LUFS. */
export const ABSOLUTE_GATE: Lufs = -70;
/** The integrated loudness's relative gate, in LU below the absolute-gated mean. */
export const RELATIVE_GATE: Decibels = -10;
/** The loudness range's relative gate, in LU below the absolute-gated mean. */
export const RANGE_RELATIVE_GATE: Decibels = -20;

/** Loudness (LUFS) of an energy; `-Infinity` for 0. */
export function energyToLufs(energy: number): Lufs {
  return energy > 0 ? -0.691 + 10 * Math.log10(energy) : -Infinity;
}

/** Energy of a loudness in LUFS; 0 for `-Infinity`. */
export function lufsToEnergy(lufs: Lufs): number {
  return Number.isFinite(lufs) ? dbToPower(lufs + 0.691) : 0;
}

const ABSOLUTE_GATE_ENERGY = lufsToEnergy(ABSOLUTE_GATE);

/**
 * The relative gate's energy for `energies × scale`: `gate` LU below the mean
 * of those above the absolute gate. Infinity when none is, so nothing passes.
 */
function relativeGateEnergy(energies: ArrayLike<number>, gate: Decibels, scale: number): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < energies.length; i++) {
    const e = energies[i] * scale;
    if (e > ABSOLUTE_GATE_ENERGY) {
      sum += e;
      count++;
    }
  }
  return count === 0 ? Infinity : (sum / count) * dbToPower(gate);
}

/**
 * Integrated loudness (LUFS) of a series of 400 ms block energies, each
 * multiplied by `scale`, gated as BS.1770-4 gates them: absolute gate at
 * -70 LUFS, relative gate 10 LU below the absolute-gated loudness.
 * `-Infinity` when no block passes (silence).
 */
export function gatedLoudness(energies: ArrayLike<number>, scale = 1): Lufs {
  const relative = relativeGateEnergy(energies, RELATIVE_GATE, scale);
  let gated = 0;
  let kept = 0;
  for (let i = 0; i < energies.length; i++) {
    const e = energies[i] * scale;
    if (e > ABSOLUTE_GATE_ENERGY && e > relative) {
      gated += e;
      kept++;
    }
  }
  return kept === 0 ? -Infinity : energyToLufs(gated / kept);
}

/**
 * Loudness range (LRA) in LU per EBU Tech 3342, from the energies of the
 * short-term (3 s) windows: absolute gate -70 LUFS, relative gate 20 LU below
 * their power mean, then the 95th minus the 10th percentile. 0 when nothing
 * passes.
 */
export function loudnessRange(windows: ArrayLike<number>): Decibels {
  const relative = relativeGateEnergy(windows, RANGE_RELATIVE_GATE, 1);
  const kept = new Float64Array(windows.length);
  let n = 0;
  for (let i = 0; i < windows.length; i++) {
    const e = windows[i];
    if (e > ABSOLUTE_GATE_ENERGY && e > relative) kept[n++] = e;
  }
  if (n === 0) return 0;
  // Loudness is monotonic in energy, so percentiles can be taken on energies.
  const sorted = kept.subarray(0, n).sort();
  const low = sorted[Math.round((n - 1) * 0.1)];
  const high = sorted[Math.round((n - 1) * 0.95)];
  return energyToLufs(high) - energyToLufs(low);
}
