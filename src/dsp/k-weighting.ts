/**
 * BS.1770 K-weighting: the coefficients for a sample rate and the one filter
 * every K-weighted measurement runs through (the loudness meter, the probe's
 * span energies, the browser tests' audio-thread meter).
 */
import { dbToGain } from "../core/units.ts";

/** Coefficients of one biquad, normalised so that a0 = 1. */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** The two stages of K-weighting. */
export interface KWeighting {
  /** The high-shelf "pre-filter" (head effects). */
  shelf: Biquad;
  /** The RLB high-pass. */
  highpass: Biquad;
}

/**
 * BS.1770 K-weighting for a sample rate (Hz): the high-shelf "pre-filter"
 * then the RLB high-pass. Derived from the analog prototypes by the bilinear
 * transform, as libebur128 does, so 44.1 kHz is as exact as the 48 kHz table
 * in the recommendation (which these reproduce at 48 kHz).
 */
export function kWeightingCoefficients(sampleRate: number): KWeighting {
  // Prototype parameters fitted to the 48 kHz table (values from libebur128).
  let f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  let q = 0.7071752369554196;
  let k = Math.tan((Math.PI * f0) / sampleRate);
  const vh = dbToGain(gainDb);
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
 * K-weighting filters for `channels` channels, each the shelf then the
 * high-pass in transposed direct form II, with state carried between calls.
 *
 * Self-contained (no reference to anything outside the class) on purpose:
 * the browser tests inject its source into an AudioWorklet.
 */
export class KWeightingFilter {
  /** Per channel: shelf s1, s2, high-pass s1, s2. */
  private readonly state: Float64Array;
  private readonly coefficients: KWeighting;

  constructor(coefficients: KWeighting, channels: number) {
    this.coefficients = coefficients;
    this.state = new Float64Array(4 * channels);
  }

  /**
   * K-weights `count` samples of channel `c` from `input[offset]` and returns
   * `sum` plus the sum of their squares (the squares are added to `sum` one
   * by one, so a running sum can be carried across calls).
   */
  sumOfSquares(c: number, input: ArrayLike<number>, offset: number, count: number, sum: number): number {
    const { b0, b1, b2, a1, a2 } = this.coefficients.shelf;
    const { b0: h0, b1: h1, b2: h2, a1: g1, a2: g2 } = this.coefficients.highpass;
    const state = this.state;
    const base = 4 * c;
    let s1 = state[base];
    let s2 = state[base + 1];
    let t1 = state[base + 2];
    let t2 = state[base + 3];
    const end = offset + count;
    for (let i = offset; i < end; i++) {
      const x = input[i];
      const y = b0 * x + s1;
      s1 = b1 * x - a1 * y + s2;
      s2 = b2 * x - a2 * y;
      const z = h0 * y + t1;
      t1 = h1 * y - g1 * z + t2;
      t2 = h2 * y - g2 * z;
      sum += z * z;
    }
    // Below 1e-25 the state is flushed to zero: denormals are slow and inaudible.
    state[base] = Math.abs(s1) < 1e-25 ? 0 : s1;
    state[base + 1] = Math.abs(s2) < 1e-25 ? 0 : s2;
    state[base + 2] = Math.abs(t1) < 1e-25 ? 0 : t1;
    state[base + 3] = Math.abs(t2) < 1e-25 ? 0 : t2;
    return sum;
  }

  /**
   * {@link KWeightingFilter.sumOfSquares} of channels 0 and 1 at once, adding
   * to `sums[0]` and `sums[1]`: the same arithmetic sample by sample, so the
   * same sums, but twice as fast. Each channel's filter is a chain of
   * dependent multiply-adds that keeps the processor waiting; two
   * independent chains in one loop fill each other's gaps.
   */
  sumOfSquaresStereo(left: ArrayLike<number>, right: ArrayLike<number>, offset: number, count: number, sums: Float64Array): void {
    const { b0, b1, b2, a1, a2 } = this.coefficients.shelf;
    const { b0: h0, b1: h1, b2: h2, a1: g1, a2: g2 } = this.coefficients.highpass;
    const state = this.state;
    let s1 = state[0];
    let s2 = state[1];
    let t1 = state[2];
    let t2 = state[3];
    let u1 = state[4];
    let u2 = state[5];
    let v1 = state[6];
    let v2 = state[7];
    let sumLeft = sums[0];
    let sumRight = sums[1];
    const end = offset + count;
    for (let i = offset; i < end; i++) {
      const x = left[i];
      const w = right[i];
      const y = b0 * x + s1;
      const r = b0 * w + u1;
      s1 = b1 * x - a1 * y + s2;
      u1 = b1 * w - a1 * r + u2;
      s2 = b2 * x - a2 * y;
      u2 = b2 * w - a2 * r;
      const z = h0 * y + t1;
      const q = h0 * r + v1;
      t1 = h1 * y - g1 * z + t2;
      v1 = h1 * r - g1 * q + v2;
      t2 = h2 * y - g2 * z;
      v2 = h2 * r - g2 * q;
      sumLeft += z * z;
      sumRight += q * q;
    }
    state[0] = Math.abs(s1) < 1e-25 ? 0 : s1;
    state[1] = Math.abs(s2) < 1e-25 ? 0 : s2;
    state[2] = Math.abs(t1) < 1e-25 ? 0 : t1;
    state[3] = Math.abs(t2) < 1e-25 ? 0 : t2;
    state[4] = Math.abs(u1) < 1e-25 ? 0 : u1;
    state[5] = Math.abs(u2) < 1e-25 ? 0 : u2;
    state[6] = Math.abs(v1) < 1e-25 ? 0 : v1;
    state[7] = Math.abs(v2) < 1e-25 ? 0 : v2;
    sums[0] = sumLeft;
    sums[1] = sumRight;
  }
}

/**
 * Mean K-weighted energy of a stream (mean square per channel, summed; see
 * `energyToLufs`), without gating: what the score's loudness model predicts.
 */
export class KWeightedEnergy {
  private readonly filter: KWeightingFilter;
  private sum = 0;
  private frames = 0;

  constructor(
    sampleRate: number,
    private readonly channels: number,
  ) {
    this.filter = new KWeightingFilter(kWeightingCoefficients(sampleRate), channels);
  }

  /** Takes the next block: one Float32Array per channel, all the same length. */
  push(block: readonly Float32Array[]): void {
    for (let c = 0; c < this.channels; c++) {
      const x = block[c];
      this.sum += this.filter.sumOfSquares(c, x, 0, x.length, 0);
    }
    this.frames += block[0].length;
  }

  /** Mean energy so far (0 before any audio). */
  mean(): number {
    return this.frames > 0 ? this.sum / this.frames : 0;
  }
}
