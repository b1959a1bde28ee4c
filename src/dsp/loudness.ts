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
 * Plain TypeScript with no imports, so it can run in a worker, a test or the
 * CLI without pulling in Tone.js or Web Audio.
 */

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

/** Coefficients of one biquad, normalised so that a0 = 1. */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/**
 * BS.1770 K-weighting for a sample rate (Hz): the high-shelf "pre-filter"
 * then the RLB high-pass. Derived from the analog prototypes by the bilinear
 * transform, as libebur128 does, so 44.1 kHz is as exact as the 48 kHz table
 * in the recommendation (which these reproduce at 48 kHz).
 */
export function kWeightingCoefficients(sampleRate: number): { shelf: Biquad; highpass: Biquad } {
  // Prototype parameters fitted to the 48 kHz table (values from libebur128).
  let f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  let q = 0.7071752369554196;
  let k = Math.tan((Math.PI * f0) / sampleRate);
  const vh = 10 ** (gainDb / 20);
  const vb = vh ** 0.4996667741545416;
  let a0 = 1 + k / q + k * k;
  const shelf: Biquad = {
    b0: (vh + (vb * k) / q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  };

  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = Math.tan((Math.PI * f0) / sampleRate);
  a0 = 1 + k / q + k * k;
  // The table's RLB numerator is exactly 1, -2, 1 (unnormalised); keeping it
  // that way is what makes 0 dB at mid frequencies match the reference.
  const highpass: Biquad = {
    b0: 1,
    b1: -2,
    b2: 1,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  };
  return { shelf, highpass };
}

/**
 * Linear gain that moves a programme measured at `measuredLufs` to
 * `targetLufs` (both LUFS). Returns 1 when the measurement is not finite
 * (silence measures -Infinity, and no gain can make it louder).
 */
export function gainForTarget(measuredLufs: number, targetLufs: number): number {
  if (!Number.isFinite(measuredLufs) || !Number.isFinite(targetLufs)) return 1;
  return 10 ** ((targetLufs - measuredLufs) / 20);
}

/**
 * Taps per phase of the true-peak interpolator (a multiple of 4: the kernel
 * folds the window in half and unrolls by two). With 24 taps and a Kaiser
 * β of 7, interpolated values stay within 0.06 dB of the ideal 4× grid for
 * sines up to 20 kHz at 44.1 and 48 kHz; 12 taps (the Annex 2 size) were off
 * by up to 0.4 dB near 18 kHz, 48 taps cost twice as much for 0.05 dB.
 */
export const TP_TAPS = 24;
/** Kaiser window shape of the true-peak interpolator. */
const TP_BETA = 7;
/** Samples per skip decision in the true-peak pass. */
const TP_CHUNK = 16;

/**
 * The 4× interpolator as folded coefficient pairs. Phase 0 of a windowed sinc
 * cut off at the original Nyquist frequency is the identity (sinc vanishes at
 * the integers), so only the 1/4, 2/4 and 3/4 phases are computed. The 3/4
 * phase is the 1/4 phase reversed and the 2/4 phase is symmetric, so folding
 * the window around its centre computes all three for 1.5 multiplies a tap.
 */
interface Interpolator {
  /** Symmetric part of the 1/4 (and 3/4) phase, per folded tap. */
  even: Float64Array;
  /** Antisymmetric part of the 1/4 phase (negated for the 3/4 phase). */
  odd: Float64Array;
  /** The symmetric 2/4 phase, per folded tap. */
  half: Float64Array;
  /** Largest sum of absolute coefficients of any phase: bounds |output| / max|input|. */
  l1: number;
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 64; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/**
 * One phase of the 4× true-peak interpolator: a Kaiser-windowed sinc cut off
 * at the original Nyquist frequency, normalised to unity gain at DC (so a
 * full-scale constant does not read as an over). Tap j weighs x[n - j] to
 * estimate the signal at n - taps/2 + mu. The master's limiter (render/master.ts)
 * uses the same phases, so what it holds under the ceiling is what this meter reads.
 */
export function interpolatorPhase(mu: number, taps = TP_TAPS, beta = TP_BETA): Float64Array {
  const halfWidth = taps / 2;
  const h = new Float64Array(taps);
  let sum = 0;
  for (let j = 0; j < taps; j++) {
    const t = j - halfWidth + mu;
    const sinc = t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
    const u = t / halfWidth;
    h[j] = (sinc * besselI0(beta * Math.sqrt(Math.max(0, 1 - u * u)))) / besselI0(beta);
    sum += h[j];
  }
  for (let j = 0; j < taps; j++) h[j] /= sum;
  return h;
}

function designInterpolator(taps: number, beta: number): Interpolator {
  const phase = (mu: number) => interpolatorPhase(mu, taps, beta);
  const quarter = phase(0.25);
  const half = phase(0.5);
  const folded = taps / 2;
  const even = new Float64Array(folded);
  const odd = new Float64Array(folded);
  const halfFolded = new Float64Array(folded);
  let l1Quarter = 0;
  let l1Half = 0;
  for (let j = 0; j < taps; j++) {
    l1Quarter += Math.abs(quarter[j]);
    l1Half += Math.abs(half[j]);
  }
  for (let k = 0; k < folded; k++) {
    const mirror = taps - 1 - k;
    even[k] = (quarter[k] + quarter[mirror]) / 2;
    odd[k] = (quarter[k] - quarter[mirror]) / 2;
    halfFolded[k] = half[k];
  }
  return { even, odd, half: halfFolded, l1: Math.max(1, l1Quarter, l1Half) };
}

const INTERPOLATOR = designInterpolator(TP_TAPS, TP_BETA);

/**
 * Largest |value| of the three interpolated points between `x[p - taps/2]`
 * and its successor, from the window `x[p - taps + 1] … x[p]`.
 */
function interpolatedPeak(x: Float64Array, p: number): number {
  const { even, odd, half } = INTERPOLATOR;
  const first = p - TP_TAPS + 1;
  // Two accumulators per sum halve the dependency chains, which bound speed here.
  let symA = 0;
  let symB = 0;
  let antiA = 0;
  let antiB = 0;
  let midA = 0;
  let midB = 0;
  for (let k = 0; k < TP_TAPS / 2; k += 2) {
    const a0 = x[p - k];
    const a1 = x[first + k];
    const b0 = x[p - k - 1];
    const b1 = x[first + k + 1];
    const sa = a0 + a1;
    const sb = b0 + b1;
    symA += even[k] * sa;
    symB += even[k + 1] * sb;
    antiA += odd[k] * (a0 - a1);
    antiB += odd[k + 1] * (b0 - b1);
    midA += half[k] * sa;
    midB += half[k + 1] * sb;
  }
  const sym = symA + symB;
  const anti = antiA + antiB;
  const q1 = Math.abs(sym + anti);
  const q3 = Math.abs(sym - anti);
  const q2 = Math.abs(midA + midB);
  return q1 > q3 ? (q1 > q2 ? q1 : q2) : q3 > q2 ? q3 : q2;
}

/** Energy (mean square, channel-weighted) of -70 LUFS. */
const ABSOLUTE_GATE_ENERGY = 10 ** ((-70 + 0.691) / 10);
/** Below this, filter state is flushed to zero: denormals are slow and inaudible. */
const DENORMAL = 1e-25;
/** Momentary window (400 ms) and short-term window (3 s) in 100 ms steps. */
const MOMENTARY_STEPS = 4;
const SHORT_TERM_STEPS = 30;

function energyToLufs(energy: number): number {
  return energy > 0 ? -0.691 + 10 * Math.log10(energy) : -Infinity;
}

function amplitudeToDb(amplitude: number): number {
  return amplitude > 0 ? 20 * Math.log10(amplitude) : -Infinity;
}

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
  private readonly shelf: Biquad;
  private readonly highpass: Biquad;
  /** Per channel: shelf s1, s2, high-pass s1, s2 (transposed direct form II). */
  private readonly filterState: Float64Array;
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

  private samplePeakValue = 0;
  private truePeakValue = 0;
  /**
   * Per channel: the last `TP_TAPS - 1` samples (the interpolator's history)
   * followed by room for one step of input, so windows are plain slices.
   */
  private readonly work: Float64Array[];
  /**
   * Per channel: last work index whose output must be interpolated because a
   * recent sample was loud enough to make a new true peak (see `truePeakPass`).
   */
  private readonly loudUntil: Float64Array;

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
    const { shelf, highpass } = kWeightingCoefficients(sampleRate);
    this.shelf = shelf;
    this.highpass = highpass;
    this.filterState = new Float64Array(4 * channels);
    this.stepSums = new Float64Array(channels);
    this.work = Array.from({ length: channels }, () => new Float64Array(TP_TAPS - 1 + this.stepLength));
    this.loudUntil = new Float64Array(channels).fill(-1);
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
      for (let c = 0; c < this.channels; c++) this.meterChannel(c, channels[c], offset, count);
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
      integrated: this.integrated(),
      momentaryMax: energyToLufs(this.momentaryMaxEnergy),
      shortTermMax: energyToLufs(this.shortTermMaxEnergy),
      loudnessRange: this.loudnessRange(),
      truePeak: amplitudeToDb(this.truePeakWithTail()),
      samplePeak: amplitudeToDb(this.samplePeakValue),
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

  /** K-weighting, sum of squares and peaks for `count` samples of one channel. */
  private meterChannel(c: number, input: Float32Array, offset: number, count: number): void {
    const { b0, b1, b2, a1, a2 } = this.shelf;
    const { b0: h0, b1: h1, b2: h2, a1: g1, a2: g2 } = this.highpass;
    const state = this.filterState;
    const base = 4 * c;
    let s1 = state[base];
    let s2 = state[base + 1];
    let t1 = state[base + 2];
    let t2 = state[base + 3];
    let sum = this.stepSums[c];
    const work = this.work[c];
    const shift = TP_TAPS - 1 - offset;

    const end = offset + count;
    for (let i = offset; i < end; i++) {
      const x = input[i];
      work[i + shift] = x;
      const y = b0 * x + s1;
      s1 = b1 * x - a1 * y + s2;
      s2 = b2 * x - a2 * y;
      const z = h0 * y + t1;
      t1 = h1 * y - g1 * z + t2;
      t2 = h2 * y - g2 * z;
      sum += z * z;
    }

    state[base] = Math.abs(s1) < DENORMAL ? 0 : s1;
    state[base + 1] = Math.abs(s2) < DENORMAL ? 0 : s2;
    state[base + 2] = Math.abs(t1) < DENORMAL ? 0 : t1;
    state[base + 3] = Math.abs(t2) < DENORMAL ? 0 : t2;
    this.stepSums[c] = sum;

    this.truePeakPass(c, count);
    // Keep the newest samples as the next call's history.
    work.copyWithin(0, count, count + TP_TAPS - 1);
  }

  /**
   * Sample and true peak of the `count` new samples at `work[TP_TAPS - 1 …]`.
   *
   * Interpolation is the expensive part, so most of it is skipped: any
   * interpolated value is at most `l1 * max|input|` over its window, so an
   * output whose window holds no sample above `peak / l1` cannot raise the
   * peak. The test runs on chunks of samples to keep unpredictable branches
   * out of the per-sample path. The threshold only rises and has a margin for
   * rounding, so skipping never changes the result, whatever the block sizes.
   */
  private truePeakPass(c: number, count: number): void {
    const work = this.work[c];
    const bound = INTERPOLATOR.l1 * (1 + 1e-9);
    let samplePeak = this.samplePeakValue;
    let truePeak = this.truePeakValue;
    let threshold = (samplePeak > truePeak ? samplePeak : truePeak) / bound;
    let loudUntil = this.loudUntil[c];
    const end = TP_TAPS - 1 + count;
    for (let start = TP_TAPS - 1; start < end; start += TP_CHUNK) {
      const stop = start + TP_CHUNK < end ? start + TP_CHUNK : end;
      let loudest = 0;
      for (let p = start; p < stop; p++) {
        const m = Math.abs(work[p]);
        loudest = m > loudest ? m : loudest;
      }
      if (loudest > samplePeak) samplePeak = loudest;
      // A loud sample at p affects the outputs p … p + TP_TAPS - 1.
      if (loudest > threshold) loudUntil = stop + TP_TAPS - 2;
      if (loudUntil >= start) {
        for (let p = start; p < stop; p++) {
          const peak = interpolatedPeak(work, p);
          if (peak > truePeak) truePeak = peak;
        }
      }
      threshold = (samplePeak > truePeak ? samplePeak : truePeak) / bound;
    }
    this.loudUntil[c] = loudUntil - count;
    this.samplePeakValue = samplePeak;
    this.truePeakValue = truePeak;
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

  private integrated(): number {
    const blocks = this.blocks.view();
    let sum = 0;
    let count = 0;
    for (const e of blocks) {
      if (e > ABSOLUTE_GATE_ENERGY) {
        sum += e;
        count++;
      }
    }
    if (count === 0) return -Infinity;
    // -10 LU relative gate is a factor of 10 in energy.
    const relative = (sum / count) * 0.1;
    let gatedSum = 0;
    let gatedCount = 0;
    for (const e of blocks) {
      if (e > ABSOLUTE_GATE_ENERGY && e > relative) {
        gatedSum += e;
        gatedCount++;
      }
    }
    return gatedCount === 0 ? -Infinity : energyToLufs(gatedSum / gatedCount);
  }

  private loudnessRange(): number {
    const windows = this.shortTerm.view();
    let sum = 0;
    let count = 0;
    for (const e of windows) {
      if (e > ABSOLUTE_GATE_ENERGY) {
        sum += e;
        count++;
      }
    }
    if (count === 0) return 0;
    // -20 LU relative gate is a factor of 100 in energy.
    const relative = (sum / count) * 0.01;
    const kept = new Float64Array(count);
    let n = 0;
    for (const e of windows) {
      if (e > ABSOLUTE_GATE_ENERGY && e > relative) kept[n++] = e;
    }
    if (n === 0) return 0;
    // Loudness is monotonic in energy, so percentiles can be taken on energies.
    const sorted = kept.subarray(0, n).sort();
    const low = sorted[Math.round((n - 1) * 0.1)];
    const high = sorted[Math.round((n - 1) * 0.95)];
    return energyToLufs(high) - energyToLufs(low);
  }

  /**
   * True peak including the ringing after the last sample, as if the stream
   * were followed by silence (mirroring the silent history at its start).
   * Works on a copy so metering can continue afterwards.
   */
  private truePeakWithTail(): number {
    let truePeak = Math.max(this.truePeakValue, this.samplePeakValue);
    const threshold = truePeak / (INTERPOLATOR.l1 * (1 + 1e-9));
    const tail = new Float64Array(2 * TP_TAPS - 1);
    for (let c = 0; c < this.channels; c++) {
      const history = this.work[c].subarray(0, TP_TAPS - 1);
      if (!history.some((x) => Math.abs(x) > threshold)) continue;
      tail.fill(0);
      tail.set(history);
      for (let p = TP_TAPS - 1; p < tail.length; p++) {
        const peak = interpolatedPeak(tail, p);
        if (peak > truePeak) truePeak = peak;
      }
    }
    return truePeak;
  }
}
