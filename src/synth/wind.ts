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

/** Frames between the points where a {@link NoiseBed} takes its gains (it ramps between them). */
export const GAIN_BLOCK = 64;

/**
 * A stereo bed of noise: streams `keys` (left, right), filtered to `bands`.
 * For a stretch, {@link NoiseBed.grid} lays out the points of its gains
 * (absolute frames, GAIN_BLOCK apart); the caller writes each channel's soft
 * and crisp gain at every point into `soft` and `crisp`; {@link NoiseBed.add}
 * adds the bed, each gain ramped linearly between its points, so each sample
 * depends on its own frame alone, whatever stretch it is rendered in. The
 * arrays are the bed's own, reused from chunk to chunk, so a chunk allocates
 * nothing (the gains used to come from a callback returning a pair, per
 * point and per channel, made anew each chunk: the allocations aside, a new
 * callback each chunk kept the loop from staying optimised).
 */
export class NoiseBed {
  /** The grid's first block (its point k is at story frame (first + k) · GAIN_BLOCK), and its points. */
  first = 0;
  points = 0;
  /** Soft and crisp gains of each channel at the grid's points (from {@link grid}'s block on). */
  soft: [Float64Array, Float64Array] = [new Float64Array(0), new Float64Array(0)];
  crisp: [Float64Array, Float64Array] = [new Float64Array(0), new Float64Array(0)];
  private readonly kLow: number;
  private readonly kTop: number;
  private readonly kSplit: number;
  private readonly warm: number;
  // Each block's noise, filled before it is filtered: a call to noiseAt per sample is not
  // inlined everywhere (through a loader's module getters it was not), and then its value is boxed.
  private readonly noiseL = new Float64Array(GAIN_BLOCK);
  private readonly noiseR = new Float64Array(GAIN_BLOCK);

  constructor(
    private readonly keys: readonly [number, number],
    rate: number,
    bands: NoiseBands,
  ) {
    this.kLow = onePole(bands.lowHz, rate);
    this.kTop = onePole(bands.topHz, rate);
    this.kSplit = onePole(bands.splitHz, rate);
    this.warm = warmFrames(bands.lowHz, rate);
  }

  /**
   * Lays the grid over story frames [startFrame, startFrame + length): sets
   * `first` and `points`, and sizes `soft` and `crisp` to hold the points.
   */
  grid(startFrame: number, length: number): void {
    this.first = Math.floor(startFrame / GAIN_BLOCK);
    this.points = Math.ceil((startFrame + length) / GAIN_BLOCK) - this.first + 1;
    if (this.soft[0].length < this.points) {
      this.soft = [new Float64Array(this.points), new Float64Array(this.points)];
      this.crisp = [new Float64Array(this.points), new Float64Array(this.points)];
    }
  }

  /** Adds the bed over story frames [startFrame, startFrame + out[0].length) into `out`, at the gains on the grid. */
  add(out: readonly [Float32Array, Float32Array], startFrame: number): void {
    // Plain loads, no array destructuring: a function called once a chunk is first optimised
    // while its loop runs, and destructuring at its top then sent it back to the interpreter.
    const kLow = this.kLow;
    const kTop = this.kTop;
    const kSplit = this.kSplit;
    const keyL = this.keys[0];
    const keyR = this.keys[1];
    const left = out[0];
    const right = out[1];
    const softL = this.soft[0];
    const softR = this.soft[1];
    const crispL = this.crisp[0];
    const crispR = this.crisp[1];
    const length = left.length;
    // Both channels in one pass: two chains of one-poles, each on its own stream.
    let lowL = 0;
    let t1L = 0;
    let topL = 0;
    let s1L = 0;
    let s2L = 0;
    let lowR = 0;
    let t1R = 0;
    let topR = 0;
    let s1R = 0;
    let s2R = 0;
    const noiseL = this.noiseL;
    const noiseR = this.noiseR;
    for (let f = startFrame - this.warm; f < startFrame; f += GAIN_BLOCK) {
      const count = Math.min(GAIN_BLOCK, startFrame - f);
      noiseBlock(noiseL, keyL, f, count);
      noiseBlock(noiseR, keyR, f, count);
      for (let n = 0; n < count; n++) {
        const x = noiseL[n];
        lowL += kLow * (x - lowL);
        t1L += kTop * (x - lowL - t1L);
        topL += kTop * (t1L - topL);
        s1L += kSplit * (topL - s1L);
        s2L += kSplit * (s1L - s2L);
        const y = noiseR[n];
        lowR += kLow * (y - lowR);
        t1R += kTop * (y - lowR - t1R);
        topR += kTop * (t1R - topR);
        s1R += kSplit * (topR - s1R);
        s2R += kSplit * (s1R - s2R);
      }
    }
    let block = Math.floor(startFrame / GAIN_BLOCK);
    for (let i = 0, k = 0; i < length; block++, k++) {
      const base = block * GAIN_BLOCK;
      const soft0L = softL[k];
      const crisp0L = crispL[k];
      const soft0R = softR[k];
      const crisp0R = crispR[k];
      const dSoftL = (softL[k + 1] - soft0L) / GAIN_BLOCK;
      const dCrispL = (crispL[k + 1] - crisp0L) / GAIN_BLOCK;
      const dSoftR = (softR[k + 1] - soft0R) / GAIN_BLOCK;
      const dCrispR = (crispR[k + 1] - crisp0R) / GAIN_BLOCK;
      const end = Math.min(length, base + GAIN_BLOCK - startFrame);
      noiseBlock(noiseL, keyL, startFrame + i, end - i);
      noiseBlock(noiseR, keyR, startFrame + i, end - i);
      for (let j = 0; i < end; i++, j++) {
        const n = startFrame + i - base;
        const x = noiseL[j];
        lowL += kLow * (x - lowL);
        t1L += kTop * (x - lowL - t1L);
        topL += kTop * (t1L - topL);
        s1L += kSplit * (topL - s1L);
        s2L += kSplit * (s1L - s2L);
        left[i] += s2L * (soft0L + dSoftL * n) + (topL - s2L) * (crisp0L + dCrispL * n);
        const y = noiseR[j];
        lowR += kLow * (y - lowR);
        t1R += kTop * (y - lowR - t1R);
        topR += kTop * (t1R - topR);
        s1R += kSplit * (topR - s1R);
        s2R += kSplit * (s1R - s2R);
        right[i] += s2R * (soft0R + dSoftR * n) + (topR - s2R) * (crisp0R + dCrispR * n);
      }
    }
  }
}

/** Frames [from, from + count) of noise stream `key` into `out`, as noiseAt gives them (not rounded to 32 bits). */
export function noiseBlock(out: Float64Array, key: number, from: number, count: number): void {
  for (let n = 0; n < count; n++) out[n] = noiseAt(key, from + n);
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
