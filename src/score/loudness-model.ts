/**
 * Loudness normalisation, planned before a sample is written.
 *
 * A render streams its windows to disk, so its gain must be known first. Two
 * tools meet here:
 *
 * - A model of the programme's loudness read off the score alone: at every
 *   moment, each voice's energy is its calibrated loudness at level 1 (for its
 *   brightness and density; see voice-loudness.json) times its level to the
 *   fourth power (levels are squared into gains, gains squared into energy),
 *   its trim, and the master fade. Pure and cheap, so the page uses it for
 *   live playback, for any preset, even one shared by a link.
 * - A probe (probe.ts) that renders and meters the plan itself: every window
 *   for a short render, so its loudness is measured, not predicted; an evenly
 *   spread sample of spans for a long one, where the model carries the loudness
 *   between the spans and the spans correct the model (a ratio estimator).
 *
 * No file system and no Tone.js here: it runs in the command line and the page.
 */
import { dbToGain, dbToPower } from "../core/units.ts";
import { gatedLoudness, lufsToEnergy } from "../dsp/gating.ts";
import { controlsAt } from "./controls.ts";
import { masterGainAt, type Plan } from "./timeline.ts";
import { calibrationOf, VOICE_LOUDNESS_RATE, type VoiceLoudness } from "./voice-loudness.ts";

/** Default target integrated loudness, in LUFS (EBU R128). */
export const DEFAULT_TARGET = -23;
/** The loudness targets the command line accepts, in LUFS. */
export const TARGET_RANGE: readonly [number, number] = [-40, -10];
/** Seconds between the model's samples of the score. */
export const MODEL_STEP = 0.5;
/**
 * How much of an endless drift the page's gain looks at beyond the story, in
 * seconds: by then the final scene has wandered through all it does.
 */
export const DRIFT_HORIZON = 1800;
/** Loudness of a voice type missing from the calibration, at level 1, in LUFS. */
const UNCALIBRATED_LUFS = -20;
/**
 * Energy of a calibrated voice at level 1, by bilinear interpolation (in
 * energy) over its brightness × density grid.
 */
export function voiceEnergy(table: VoiceLoudness, brightness: number, density: number): number {
  const [bi, bx] = locate(table.brightness, brightness);
  const [di, dx] = locate(table.density, density);
  const at = (b: number, d: number) => lufsToEnergy(table.lufs[b][d]);
  const b1 = Math.min(bi + 1, table.brightness.length - 1);
  const d1 = Math.min(di + 1, table.density.length - 1);
  const low = at(bi, di) * (1 - dx) + at(bi, d1) * dx;
  const high = at(b1, di) * (1 - dx) + at(b1, d1) * dx;
  return low * (1 - bx) + high * bx;
}

function locate(grid: readonly number[], value: number): [number, number] {
  if (grid.length === 1 || value <= grid[0]) return [0, 0];
  for (let i = 0; i < grid.length - 1; i++) {
    if (value <= grid[i + 1]) return [i, (value - grid[i]) / (grid[i + 1] - grid[i])];
  }
  return [grid.length - 1, 0];
}

export interface ModelOptions {
  /** Start of the stretch, in seconds of story time; default 0. */
  from?: number;
  /** End, in seconds; default the plan's end (an endless plan: its story plus {@link DRIFT_HORIZON}). */
  to?: number;
  /** Seconds per step; default {@link MODEL_STEP}. */
  step?: number;
  /**
   * Sample rate of the audio, in Hz. The voices' noise is white per sample,
   * so at a lower rate the same bands hold a little more of it (+0.37 dB at
   * 44.1 kHz against 48 kHz); default the calibration's rate.
   */
  sampleRate?: number;
}

/**
 * The modelled energy (mean square of the K-weighted channels, summed) of
 * the programme in each step of `step` seconds from `from`: at the centre of
 * each step, every voice's calibrated energy × level⁴ × trim, summed, × the
 * master fade².
 * Loud one-shot events (swells, leaps) are not in it; the probe measures them.
 */
export function modelEnergies(plan: Plan, options: ModelOptions = {}): Float64Array {
  const energies = new Float64Array(modelStepCount(plan, options));
  modelSteps(plan, options, energies, 0, energies.length);
  return energies;
}

/** The number of steps {@link modelEnergies} gives. */
export function modelStepCount(plan: Plan, options: ModelOptions = {}): number {
  const from = options.from ?? 0;
  const to = options.to ?? (Number.isFinite(plan.total) ? plan.total : plan.story + DRIFT_HORIZON);
  return Math.max(0, Math.ceil((to - from) / (options.step ?? MODEL_STEP) - 1e-9));
}

/**
 * Fills steps `start` to `end` (excluded) of `energies` as {@link modelEnergies}
 * does, with the same figures: a caller can spread a long model (a 24-hour
 * render with the largest preset takes seconds) over slices of time.
 */
export function modelSteps(plan: Plan, options: ModelOptions, energies: Float64Array, start: number, end: number): void {
  const from = options.from ?? 0;
  const to = options.to ?? (Number.isFinite(plan.total) ? plan.total : plan.story + DRIFT_HORIZON);
  const step = options.step ?? MODEL_STEP;
  const rate = options.sampleRate ?? VOICE_LOUDNESS_RATE;
  const voices = plan.preset.voices.map((spec) => {
    const table = calibrationOf(spec.type);
    return { spec, table, trim: dbToPower(spec.gain), noise: table?.noise ? VOICE_LOUDNESS_RATE / rate : 1 };
  });
  for (let s = start; s < end; s++) {
    const t = from + (s + 0.5) * step;
    const fade = masterGainAt(plan, Math.min(t, to));
    if (fade === 0) continue;
    let sum = 0;
    for (const { spec, table, trim, noise } of voices) {
      const c = controlsAt(plan, spec, t);
      const level = Math.min(1.5, Math.max(0, c.level));
      if (level === 0) continue;
      const unit = table ? voiceEnergy(table, c.brightness, c.density) * noise : lufsToEnergy(UNCALIBRATED_LUFS);
      sum += unit * trim * level ** 4;
    }
    energies[s] = sum * fade * fade;
  }
}

/** The model's integrated loudness of a plan (its whole length; an endless plan to its story + {@link DRIFT_HORIZON}), in LUFS, at gain 1. */
export function modelLoudness(plan: Plan, options: ModelOptions = {}): number {
  return gatedLoudness(modelEnergies(plan, options));
}

/** Linear gain that moves `measured` LUFS to `target` LUFS; 1 for silence (nothing to scale). */
export function gainFor(measured: number, target: number): number {
  return Number.isFinite(measured) ? dbToGain(target - measured) : 1;
}

/**
 * Normalisation gain (a factor) for playing `plan` at `target` LUFS, from
 * the model alone: what the page applies to live playback. A render measures
 * its own plan instead (probe.ts), which the model matches to within about
 * 1 LU on the built-in presets (tests/sleep-safe.test.ts checks it).
 */
export function normalisationGain(plan: Plan, target = DEFAULT_TARGET, sampleRate?: number): number {
  return gainFor(modelLoudness(plan, { sampleRate, step: 1 }), target);
}
