/** Measurements of water on rendered audio: how bubbles, short tones whose pitch rises, show. */
import { band, centred, envelope } from "./character.ts";

/** Normalised correlation of `a` with `b` shifted by `lag` frames (b later for a positive lag). */
function correlation(a: Float32Array, b: Float32Array, lag: number): number {
  let sum = 0;
  let aa = 0;
  let bb = 0;
  for (let i = Math.max(0, -lag); i < a.length && i + lag < b.length; i++) {
    sum += a[i] * b[i + lag];
    aa += a[i] * a[i];
    bb += b[i + lag] * b[i + lag];
  }
  return sum / Math.sqrt(aa * bb);
}

/**
 * How much energy flows upward in frequency between the bands [lo, mid] and
 * [mid, hi] Hz: the correlation of the upper band's envelope (1 ms frames)
 * with the lower's 1–4 ms before, less that with the lower's 1–4 ms after.
 * A crowd of rising chirps (bubbles) makes it positive; noise, falling
 * chirps or steady tones leave it near zero (a little below: the upper
 * band's filter answers sooner).
 */
export function upwardFlow(x: Float32Array, sampleRate: number, lo: number, mid: number, hi: number): number {
  const below = centred(envelope(band(x, sampleRate, lo, mid), sampleRate, 0.001));
  const above = centred(envelope(band(x, sampleRate, mid, hi), sampleRate, 0.001));
  let flow = 0;
  for (let lag = 1; lag <= 4; lag++) flow += correlation(below, above, lag) - correlation(below, above, -lag);
  return flow / 4;
}

/** Bands of about a third of an octave each side of their meeting, from 1 to 3.8 kHz, where bubbles ring. */
export const BUBBLE_BANDS: readonly [number, number, number][] = [
  [1000, 1300, 1700],
  [1300, 1700, 2200],
  [1700, 2200, 2900],
  [2200, 2900, 3800],
];
