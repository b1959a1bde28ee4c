/**
 * What the wind voices share: a bed of noise split into a soft and a crisp
 * band (brightness crossfades them), with gains that move slowly, and a
 * random flutter to move them. All are pure functions of the story frames
 * they cover: the noise is addressed by frame, its filters are warmed up
 * before the stretch, the gains are computed on a grid of absolute frames.
 * One-pole sections (6 dB per octave each) are enough for a bed of wind and
 * cost a multiply each.
 *
 *   noise → highpass lowHz → lowpass² topHz ─┬→ lowpass² splitHz → soft  × gainSoft ─┬→ out
 *                                            └→ minus soft       → crisp × gainCrisp ─┘
 */
import { onePole, warmFrames } from "./filters.ts";
import { noiseAt } from "./noise.ts";

/** The corners of a noise bed, in Hz. */
export interface NoiseBands {
  /** Bottom of the bed. */
  lowHz: number;
  /** Where the soft band ends and the crisp band begins. */
  splitHz: number;
  /** Top of the bed. */
  topHz: number;
}

/** Frames between the points where {@link addNoiseBed} computes its gains (it ramps between them). */
export const GAIN_BLOCK = 64;

/**
 * Adds story frames [startFrame, startFrame + out.length) of noise stream
 * `key`, filtered to `bands`, into `out`: its soft band × gainSoft and its
 * crisp band × gainCrisp, the gains given by `gains(frame)` on a grid of
 * GAIN_BLOCK absolute frames and ramped linearly between, so each sample
 * depends on its own frame alone, whatever stretch it is rendered in.
 */
export function addNoiseBed(
  out: Float32Array,
  key: number,
  startFrame: number,
  rate: number,
  bands: NoiseBands,
  gains: (frame: number) => [number, number],
): void {
  const kLow = onePole(bands.lowHz, rate);
  const kTop = onePole(bands.topHz, rate);
  const kSplit = onePole(bands.splitHz, rate);
  let low = 0;
  let t1 = 0;
  let top = 0;
  let s1 = 0;
  let s2 = 0;
  for (let f = startFrame - warmFrames(bands.lowHz, rate); f < startFrame; f++) {
    const x = noiseAt(key, f);
    low += kLow * (x - low);
    t1 += kTop * (x - low - t1);
    top += kTop * (t1 - top);
    s1 += kSplit * (top - s1);
    s2 += kSplit * (s1 - s2);
  }
  let block = Math.floor(startFrame / GAIN_BLOCK);
  let [soft0, crisp0] = gains(block * GAIN_BLOCK);
  for (let i = 0; i < out.length; block++) {
    const base = block * GAIN_BLOCK;
    const [soft1, crisp1] = gains(base + GAIN_BLOCK);
    const dSoft = (soft1 - soft0) / GAIN_BLOCK;
    const dCrisp = (crisp1 - crisp0) / GAIN_BLOCK;
    const end = Math.min(out.length, base + GAIN_BLOCK - startFrame);
    for (; i < end; i++) {
      const x = noiseAt(key, startFrame + i);
      low += kLow * (x - low);
      t1 += kTop * (x - low - t1);
      top += kTop * (t1 - top);
      s1 += kSplit * (top - s1);
      s2 += kSplit * (s1 - s2);
      const n = startFrame + i - base;
      out[i] += s2 * (soft0 + dSoft * n) + (top - s2) * (crisp0 + dCrisp * n);
    }
    soft0 = soft1;
    crisp0 = crisp1;
  }
}

/**
 * A smooth random motion in [-1, 1] at story frame `frame`: knots every
 * `period` frames (stream `key`), joined by smoothstep curves.
 */
export function flutterAt(key: number, frame: number, period: number): number {
  const x = frame / period;
  const knot = Math.floor(x);
  const f = x - knot;
  const a = noiseAt(key, knot);
  return a + (noiseAt(key, knot + 1) - a) * f * f * (3 - 2 * f);
}
