/**
 * How far apart two sounds are as textures: their statistics (texture.ts),
 * group by group, each difference divided by that statistic's typical
 * spread, in the spirit of the z-scored statistics McDermott & Simoncelli
 * compare. Symmetric, zero for identical statistics; about 1 means "as
 * different as two unlike natural textures usually are" in every group.
 */
import type { TextureStatistics } from "./texture.ts";

/** One group of statistics in the distance. */
export interface TextureGroup {
  name: string;
  /** Share of this group in the distance (the weights are normalised). */
  weight: number;
  /** Typical spread of one value between unlike textures, in the units of `values`. */
  spread: number;
  /** The values compared, on a scale where differences are comparable across bands. */
  values(stats: TextureStatistics): number[];
}

const perBand = (x: Float64Array, f: (v: number) => number) => Array.from(x, f);

/**
 * The groups and their weights. Equal weights: the paper found each class of
 * statistic (marginal moments, modulation power, correlations) necessary and
 * none sufficient, and the spectrum alone the weakest cue, so the three
 * envelope moments together outweigh it. Moments are compared on log (or
 * asinh, for the signed skew) scales, since a crackle's kurtosis is tens of
 * times a hiss's, not tens more. The envelope means are left out: with the
 * input at unit RMS they restate the spectrum. The spreads are round figures
 * near the standard deviation of each value (root-mean-square over the
 * group's values) across the eight nature voices, the fire's
 * spectrum-matched noise, white noise, a crackle and a 4 Hz modulated noise:
 * 12 dB, 0.9, 0.55, 0.39, 3.4 dB and 0.33 when measured.
 */
export const TEXTURE_GROUPS: readonly TextureGroup[] = [
  { name: "spectrum", weight: 1, spread: 12, values: (s) => Array.from(s.spectrum) },
  { name: "cv", weight: 1, spread: 1, values: (s) => perBand(s.cv, (v) => Math.log(v + 1e-6)) },
  { name: "skew", weight: 1, spread: 0.5, values: (s) => perBand(s.skew, Math.asinh) },
  { name: "kurtosis", weight: 1, spread: 0.4, values: (s) => perBand(s.kurtosis, Math.log) },
  {
    name: "modulation",
    weight: 1,
    spread: 3,
    values: (s) => s.modulation.flatMap((band) => Array.from(band, (v) => 10 * Math.log10(v + 1e-3))),
  },
  {
    name: "correlation",
    weight: 1,
    spread: 0.3,
    values: (s) => s.correlation.flatMap((row, a) => Array.from(row.subarray(a + 1))),
  },
];

/** Per group: the root-mean-square difference of its values, in units of its spread. */
export function textureDistances(a: TextureStatistics, b: TextureStatistics): Record<string, number> {
  if (a.centres.length !== b.centres.length) throw new RangeError("texture statistics with different band counts cannot be compared");
  const parts: Record<string, number> = {};
  for (const group of TEXTURE_GROUPS) {
    const x = group.values(a);
    const y = group.values(b);
    let sum = 0;
    for (let i = 0; i < x.length; i++) sum += ((x[i] - y[i]) / group.spread) ** 2;
    parts[group.name] = Math.sqrt(sum / x.length);
  }
  return parts;
}

/** The groups' distances combined: the root of their weighted mean square. */
export function textureDistance(a: TextureStatistics, b: TextureStatistics): number {
  const parts = textureDistances(a, b);
  let sum = 0;
  let weights = 0;
  for (const group of TEXTURE_GROUPS) {
    sum += group.weight * parts[group.name] ** 2;
    weights += group.weight;
  }
  return Math.sqrt(sum / weights);
}
