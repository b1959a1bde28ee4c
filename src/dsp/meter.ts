/**
 * Streaming loudness meter after ITU-R BS.1770-4 and EBU R128 (Tech 3341 for
 * momentary/short-term/integrated loudness, Tech 3342 for loudness range).
 *
 * The meter follows a render block by block: it keeps filter state, one sum
 * of squares per channel for the current 100 ms step, and one number per
 * 100 ms step for the whole programme (8 hours is 288,000 steps, about 4.6 MB
 * for both series). No samples are stored, so memory does not grow with the
 * audio kept, only with its duration, and gently.
 *
 * Plain TypeScript, so it can run in a worker, a test or the command line
 * without pulling in Tone.js or Web Audio.
 */
import { gainToDb } from "../core/units.ts";
import { energyToLufs, gatedLoudness, loudnessRange } from "./gating.ts";
import { KWeightingFilter, kWeightingCoefficients } from "./k-weighting.ts";
import { TruePeakMeter } from "./true-peak.ts";

/** What a {@link LoudnessMeter} measured so far. */
export interface LoudnessResult {
  /**
   * Integrated (programme) loudness in LUFS: 400 ms blocks with 75 % overlap,
   * absolute gate at -70 LUFS, relative gate 10 LU below the absolute-gated
   * loudness. `-Infinity` when no block passes the gates (silence, or less
   * than 400 ms of audio).
   */
  integrated: number;
  /** Highest momentary loudness (400 ms window, every 100 ms) in LUFS; `-Infinity` if none. */
  momentaryMax: number;
  /** Highest short-term loudness (3 s window, every 100 ms) in LUFS; `-Infinity` if none. */
  shortTermMax: number;
  /**
   * Loudness range (LRA) in LU per EBU Tech 3342: short-term values every
   * 100 ms, absolute gate -70 LUFS, relative gate 20 LU below their
   * power mean, then the 95th minus the 10th percentile. 0 when nothing passes.
   */
  loudnessRange: number;
  /** Maximum true peak in dBTP (4× oversampled, BS.1770-4 Annex 2); `-Infinity` for digital silence. */
  truePeak: number;
  /** Maximum absolute sample value in dBFS; `-Infinity` for digital silence. */
  samplePeak: number;
  /** Audio pushed so far, in seconds. */
  duration: number;
}

/** Momentary window (400 ms) and short-term window (3 s) in 100 ms steps. */
const MOMENTARY_STEPS = 4;
const SHORT_TERM_STEPS = 30;

/** An append-only Float64 series that doubles its storage as it grows. */
class Series {
  private data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * Streaming BS.1770-4 / EBU R128 meter for mono or stereo audio (channel
 * weights 1.0; mono is metered as one channel, not as dual mono, so a mono
 * signal reads 3 LU lower than the same signal on both stereo channels).
 *
 * Push blocks of any length; results do not depend on how the audio was cut
 * into blocks. Time is quantised to 100 ms steps of `round(sampleRate / 10)`
 * samples; a partial step at the end counts towards peaks and `duration` but
 * not loudness, as in libebur128.
 */
export class LoudnessMeter {
  readonly sampleRate: number;
  readonly channels: number;

  private readonly stepLength: number;
  private readonly filter: KWeightingFilter;
  private readonly peaks: TruePeakMeter;
  /** Per channel: sum of squares of K-weighted samples in the current step. */
  private readonly stepSums: Float64Array;
  private stepFill = 0;
  private samples = 0;

  /** Last 30 step energies, as a ring, for the momentary and short-term windows. */
  private readonly recent = new Float64Array(SHORT_TERM_STEPS);
  private steps = 0;
  /** Energy of each 400 ms gating block (one per step once 400 ms have passed). */
  private readonly blocks = new Series();
  /** Energy of each 3 s short-term window (one per step once 3 s have passed). */
  private readonly shortTerm = new Series();
  private momentaryMaxEnergy = 0;
  private shortTermMaxEnergy = 0;

  /**
   * @param sampleRate - Sample rate in Hz (44100 and 48000 are tested; the
   *   filters are derived for any rate).
   * @param channels - 1 (mono) or 2 (stereo).
   */
  constructor(sampleRate: number, channels: number) {
    if (!(sampleRate >= 8000) || !Number.isFinite(sampleRate)) {
      throw new RangeError(`LoudnessMeter: unsupported sample rate ${sampleRate}`);
    }
    if (channels !== 1 && channels !== 2) {
      // Surround needs per-channel weights (1.41 for surrounds, 0 for LFE).
      throw new RangeError(`LoudnessMeter: only mono and stereo are supported, got ${channels} channels`);
    }
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.stepLength = Math.round(sampleRate / 10);
    this.filter = new KWeightingFilter(kWeightingCoefficients(sampleRate), channels);
    this.peaks = new TruePeakMeter(channels, this.stepLength);
    this.stepSums = new Float64Array(channels);
  }

  /**
   * Meters the next block: one Float32Array per channel, all the same length
   * (any length, including 0). Samples are in full-scale units (±1 = 0 dBFS).
   */
  push(channels: readonly Float32Array[]): void {
    if (channels.length !== this.channels) {
      throw new RangeError(`LoudnessMeter.push: expected ${this.channels} channels, got ${channels.length}`);
    }
    const length = channels[0].length;
    for (const channel of channels) {
      if (channel.length !== length) throw new RangeError("LoudnessMeter.push: channels differ in length");
    }
    let offset = 0;
    while (offset < length) {
      const count = Math.min(length - offset, this.stepLength - this.stepFill);
      if (this.channels === 2) this.filter.sumOfSquaresStereo(channels[0], channels[1], offset, count, this.stepSums);
      else this.stepSums[0] = this.filter.sumOfSquares(0, channels[0], offset, count, this.stepSums[0]);
      for (let c = 0; c < this.channels; c++) this.peaks.push(c, channels[c], offset, count);
      offset += count;
      this.stepFill += count;
      this.samples += count;
      if (this.stepFill === this.stepLength) this.closeStep();
    }
  }

  /**
   * Everything measured so far. Metering can go on afterwards; the cost is a
   * pass over the stored 100 ms values plus a sort for the loudness range.
   */
  result(): LoudnessResult {
    return {
      integrated: gatedLoudness(this.blocks.view()),
      momentaryMax: energyToLufs(this.momentaryMaxEnergy),
      shortTermMax: energyToLufs(this.shortTermMaxEnergy),
      loudnessRange: loudnessRange(this.shortTerm.view()),
      truePeak: gainToDb(this.peaks.truePeakWithTail()),
      samplePeak: gainToDb(this.peaks.samplePeak),
      duration: this.samples / this.sampleRate,
    };
  }

  /**
   * Short-term loudness in LUFS, one value per 100 ms step: value `i` covers
   * the 3 s from `i * 0.1` s. Empty until 3 s have been pushed. A copy.
   */
  shortTermSeries(): Float32Array {
    const energies = this.shortTerm.view();
    const out = new Float32Array(energies.length);
    for (let i = 0; i < energies.length; i++) out[i] = energyToLufs(energies[i]);
    return out;
  }

  private closeStep(): void {
    let energy = 0;
    for (let c = 0; c < this.channels; c++) {
      energy += this.stepSums[c] / this.stepLength;
      this.stepSums[c] = 0;
    }
    this.stepFill = 0;
    this.recent[this.steps % SHORT_TERM_STEPS] = energy;
    this.steps++;
    if (this.steps >= MOMENTARY_STEPS) {
      const block = this.windowEnergy(MOMENTARY_STEPS);
      this.blocks.push(block);
      if (block > this.momentaryMaxEnergy) this.momentaryMaxEnergy = block;
    }
    if (this.steps >= SHORT_TERM_STEPS) {
      const window = this.windowEnergy(SHORT_TERM_STEPS);
      this.shortTerm.push(window);
      if (window > this.shortTermMaxEnergy) this.shortTermMaxEnergy = window;
    }
  }

  /** Mean energy of the latest `steps` steps, summed afresh so no drift builds up over hours. */
  private windowEnergy(steps: number): number {
    let sum = 0;
    for (let i = 1; i <= steps; i++) sum += this.recent[(this.steps - i) % SHORT_TERM_STEPS];
    return sum / steps;
  }
}
