/**
 * Filters in plain TypeScript: biquads (the RBJ cookbook's) and one-pole
 * sections, run over a stretch of samples in place. A texture's chunk is a
 * pure function of its frames, so a filter over a continuous signal starts
 * from rest a little before the chunk ({@link warmFrames}) and the chunk
 * keeps only what follows: the start-up transient has died away by then,
 * below -120 dB, so consecutive chunks join as if filtered in one pass.
 */

/**
 * Frames filtered per call of a section's loop. V8 optimises a function that
 * is called often, from what its code has done so far; one called a few times
 * a chunk with a 50 000-frame loop was optimised in the middle of its first
 * loop ("on-stack replacement"), before the code after the loop had ever run,
 * and that code then fell back to the slow tiers at the end of every call
 * (noise-chain.ts has the same).
 */
const STRETCH = 1024;

export type BiquadType = "lowpass" | "highpass" | "bandpass" | "peaking" | "lowshelf" | "highshelf";

/** A biquad section (direct form I), with its own state. */
export class Biquad {
  private b0 = 1;
  private b1 = 0;
  private b2 = 0;
  private a1 = 0;
  private a2 = 0;
  private x1 = 0;
  private x2 = 0;
  private y1 = 0;
  private y2 = 0;

  /** Q is linear (0.7071 is Butterworth); gain in dB, for peaking and shelves. */
  constructor(type: BiquadType, frequency: number, rate: number, Q = Math.SQRT1_2, gainDb = 0) {
    this.design(type, frequency, rate, Q, gainDb);
  }

  design(type: BiquadType, frequency: number, rate: number, Q = Math.SQRT1_2, gainDb = 0): this {
    const w = (2 * Math.PI * Math.min(frequency, rate * 0.49)) / rate;
    const cos = Math.cos(w);
    const alpha = Math.sin(w) / (2 * Q);
    const A = 10 ** (gainDb / 40);
    let b0: number;
    let b1: number;
    let b2: number;
    let a0: number;
    let a1: number;
    let a2: number;
    switch (type) {
      case "lowpass":
        [b0, b1, b2, a0, a1, a2] = [(1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha];
        break;
      case "highpass":
        [b0, b1, b2, a0, a1, a2] = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha];
        break;
      case "bandpass":
        // Constant 0 dB peak gain.
        [b0, b1, b2, a0, a1, a2] = [alpha, 0, -alpha, 1 + alpha, -2 * cos, 1 - alpha];
        break;
      case "peaking":
        [b0, b1, b2, a0, a1, a2] = [1 + alpha * A, -2 * cos, 1 - alpha * A, 1 + alpha / A, -2 * cos, 1 - alpha / A];
        break;
      case "lowshelf": {
        const s = 2 * Math.sqrt(A) * alpha;
        [b0, b1, b2] = [A * (A + 1 - (A - 1) * cos + s), 2 * A * (A - 1 - (A + 1) * cos), A * (A + 1 - (A - 1) * cos - s)];
        [a0, a1, a2] = [A + 1 + (A - 1) * cos + s, -2 * (A - 1 + (A + 1) * cos), A + 1 + (A - 1) * cos - s];
        break;
      }
      case "highshelf": {
        const s = 2 * Math.sqrt(A) * alpha;
        [b0, b1, b2] = [A * (A + 1 + (A - 1) * cos + s), -2 * A * (A - 1 + (A + 1) * cos), A * (A + 1 + (A - 1) * cos - s)];
        [a0, a1, a2] = [A + 1 - (A - 1) * cos + s, 2 * (A - 1 - (A + 1) * cos), A + 1 - (A - 1) * cos - s];
        break;
      }
    }
    this.b0 = b0 / a0;
    this.b1 = b1 / a0;
    this.b2 = b2 / a0;
    this.a1 = a1 / a0;
    this.a2 = a2 / a0;
    return this;
  }

  /**
   * Its coefficients [b0, b1, b2, a1, a2] (normalised by a0), for a voice
   * that runs the section inline in a loop of its own: the same arithmetic as
   * {@link run}, y = b0·x + b1·x1 + b2·x2 - a1·y1 - a2·y2, in that order.
   */
  coefficients(): [number, number, number, number, number] {
    return [this.b0, this.b1, this.b2, this.a1, this.a2];
  }

  /** Back to rest. */
  reset(): this {
    this.x1 = this.x2 = this.y1 = this.y2 = 0;
    return this;
  }

  /** Filters `data` in place, from index `from` to `to`. */
  run(data: Float32Array, from = 0, to = data.length): void {
    for (let at = from; at < to; at += STRETCH) this.stretch(data, at, Math.min(to, at + STRETCH));
    // Denormals cost a hundredfold in a silent tail: flush them.
    if (Math.abs(this.y1) < 1e-25) this.y1 = 0;
    if (Math.abs(this.y2) < 1e-25) this.y2 = 0;
  }

  /** Filters `data[from, to)` in place, its state carried in the fields. */
  private stretch(data: Float32Array, from: number, to: number): void {
    const b0 = this.b0;
    const b1 = this.b1;
    const b2 = this.b2;
    const a1 = this.a1;
    const a2 = this.a2;
    let x1 = this.x1;
    let x2 = this.x2;
    let y1 = this.y1;
    let y2 = this.y2;
    for (let i = from; i < to; i++) {
      const x = data[i];
      const y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
      x2 = x1;
      x1 = x;
      y2 = y1;
      y1 = y;
      data[i] = y;
    }
    this.x1 = x1;
    this.x2 = x2;
    this.y1 = y1;
    this.y2 = y2;
  }

  /** One sample through the section. */
  tick(x: number): number {
    const y = this.b0 * x + this.b1 * this.x1 + this.b2 * this.x2 - this.a1 * this.y1 - this.a2 * this.y2;
    this.x2 = this.x1;
    this.x1 = x;
    this.y2 = this.y1;
    this.y1 = y;
    return y;
  }
}

/** A one-pole lowpass with cut-off `frequency` (-6 dB per octave): its coefficient. */
export function onePole(frequency: number, rate: number): number {
  return 1 - Math.exp((-2 * Math.PI * frequency) / rate);
}

/**
 * Frames a filter chain whose lowest corner is `lowestHz` needs from rest to
 * forget its start within -120 dB (a resonance of Q about 1 rings longer:
 * allow for it), to whole render quanta.
 */
export function warmFrames(lowestHz: number, rate: number): number {
  // A pole at f decays as exp(-2πf·t·ζ); ζ ≥ 0.35 for the Q these voices use: 120 dB = ln(1e6) ≈ 13.8.
  const seconds = 13.8 / (2 * Math.PI * lowestHz * 0.35);
  return Math.ceil((seconds * rate) / 128) * 128;
}
