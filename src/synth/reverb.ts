/**
 * The shared reverb's design, and the reverb itself in plain TypeScript: an
 * 8-line feedback delay network (Householder feedback, a damping lowpass and
 * a loss per pass in each line, alternate lines to left and right with
 * alternating signs). engine/reverb.ts builds the same network from native
 * nodes for the page's live graph; an offline render, where every voice is a
 * texture, runs this one over the textures' send (engine/texture-bus.ts), so
 * the engine runs none of its 32 nodes in every render quantum.
 *
 *   in L/R → pre-delay → 8 × [delay → lowpass → × g_i] ─┬→ out L/R
 *                        ↑  own output + (−2/N)·Σ outputs  (Householder)
 */

export interface ReverbOptions {
  /** Time for the tail to fall by 60 dB, in seconds. */
  decay: number;
  /** Cut-off of the damping in the loop, in Hz. */
  dampingHz: number;
  /** Pre-delay, in seconds. */
  preDelay: number;
}

export const REVERB_DEFAULTS: ReverbOptions = { decay: 3.2, dampingHz: 4200, preDelay: 0.025 };

/** Delay lengths in milliseconds: mutually prime, spread over a large, soft room. */
export const LINES_MS = [43.1, 53.7, 61.3, 71.9, 83.3, 97.1, 107.9, 127.3];

/** The damping's Q, in dB as Web Audio takes it for a lowpass: -6 dB keeps the loop below unity everywhere. */
export const DAMPING_Q_DB = -6;

/** Each pass round a line of `seconds` loses its share of 60 dB per `decay`: 10^(-3·seconds/decay). */
export function lineLoss(seconds: number, decay: number): number {
  return 10 ** ((-3 * seconds) / decay);
}

/** Frames processed at once: fewer than the shortest line, so a block reads only what earlier blocks wrote. */
const BLOCK = 1024;

interface Line {
  ring: Float32Array;
  mask: number;
  /** Delay in frames (fractional: read by linear interpolation, as a DelayNode does). */
  delay: number;
  loss: number;
  /** The damping's state. */
  x1: number;
  x2: number;
  y1: number;
  y2: number;
  /** The line's output over the current block. */
  out: Float32Array;
}

/** The reverb's state, carried from one call to the next: feed it consecutive stretches of time. */
export class Reverb {
  private readonly lines: Line[];
  /** The damping lowpass's coefficients, as Web Audio's biquad designs them (Q in dB). */
  private readonly damping: { b0: number; b1: number; b2: number; a1: number; a2: number };
  private readonly pre: Float32Array[];
  private readonly preMask: number;
  private readonly preFrames: number;
  /** Frames processed so far (the rings' write position). */
  private t = 0;

  constructor(rate: number, options: Partial<ReverbOptions> = {}) {
    const o = { ...REVERB_DEFAULTS, ...options };
    if (LINES_MS.length !== 8) throw new Error("the reverb's mix is written for 8 lines");
    const ringOf = (frames: number) => {
      let size = 1;
      while (size < frames + BLOCK + 4) size <<= 1;
      return new Float32Array(size);
    };
    this.lines = LINES_MS.map((ms) => {
      const delay = (ms / 1000) * rate;
      const ring = ringOf(Math.ceil(delay));
      return {
        ring,
        mask: ring.length - 1,
        delay,
        loss: lineLoss(ms / 1000, o.decay),
        out: new Float32Array(BLOCK),
        x1: 0,
        x2: 0,
        y1: 0,
        y2: 0,
      };
    });
    const w = (2 * Math.PI * o.dampingHz) / rate;
    const alpha = Math.sin(w) / (2 * 10 ** (DAMPING_Q_DB / 20));
    const cos = Math.cos(w);
    const a0 = 1 + alpha;
    this.damping = { b0: (1 - cos) / 2 / a0, b1: (1 - cos) / a0, b2: (1 - cos) / 2 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
    this.preFrames = Math.round(o.preDelay * rate);
    this.pre = [ringOf(this.preFrames), ringOf(this.preFrames)];
    this.preMask = this.pre[0].length - 1;
  }

  /** Adds the reverb of `inL`/`inR` into `outL`/`outR` (all of one length). */
  process(inL: Float32Array, inR: Float32Array, outL: Float32Array, outR: Float32Array): void {
    for (let from = 0; from < inL.length; from += BLOCK) this.block(inL, inR, outL, outR, from, Math.min(BLOCK, inL.length - from));
  }

  private block(inL: Float32Array, inR: Float32Array, outL: Float32Array, outR: Float32Array, from: number, count: number): void {
    const { lines, t, preMask, preFrames } = this;
    const [preL, preR] = this.pre;
    for (let n = 0; n < count; n++) {
      preL[(t + n) & preMask] = inL[from + n];
      preR[(t + n) & preMask] = inR[from + n];
    }
    // Each line's output over the block: its ring read `delay` frames back, damped, scaled,
    // in one pass (the damping a direct-form biquad, its state carried in the line).
    const { b0, b1, b2, a1, a2 } = this.damping;
    for (const line of lines) {
      const { ring, mask, delay, out, loss } = line;
      const whole = Math.floor(delay);
      const frac = delay - whole;
      let { x1, x2, y1, y2 } = line;
      for (let n = 0; n < count; n++) {
        const at = t + n - whole;
        const a = ring[at & mask];
        const x = a + (ring[(at - 1) & mask] - a) * frac;
        const y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
        x2 = x1;
        x1 = x;
        y2 = y1;
        y1 = y;
        out[n] = y * loss;
      }
      // Denormals cost a hundredfold in a silent tail: flush them.
      line.x1 = x1;
      line.x2 = x2;
      line.y1 = Math.abs(y1) < 1e-25 ? 0 : y1;
      line.y2 = Math.abs(y2) < 1e-25 ? 0 : y2;
    }
    // The Householder mix, the lines' inputs and the taps, with the eight lines unrolled:
    // a loop over them per frame costs as much again as everything else here.
    const [l0, l1, l2, l3, l4, l5, l6, l7] = lines;
    const [o0, o1, o2, o3, o4, o5, o6, o7] = [l0.out, l1.out, l2.out, l3.out, l4.out, l5.out, l6.out, l7.out];
    const [r0, r1, r2, r3, r4, r5, r6, r7] = [l0.ring, l1.ring, l2.ring, l3.ring, l4.ring, l5.ring, l6.ring, l7.ring];
    const [m0, m1, m2, m3, m4, m5, m6, m7] = [l0.mask, l1.mask, l2.mask, l3.mask, l4.mask, l5.mask, l6.mask, l7.mask];
    const mixBack = -2 / 8;
    const tap = 0.5; // 1 / sqrt(N / 2)
    for (let n = 0; n < count; n++) {
      const y0 = o0[n];
      const y1 = o1[n];
      const y2 = o2[n];
      const y3 = o3[n];
      const y4 = o4[n];
      const y5 = o5[n];
      const y6 = o6[n];
      const y7 = o7[n];
      const back = (y0 + y1 + y2 + y3 + y4 + y5 + y6 + y7) * mixBack;
      const p = t + n;
      const xl = preL[(p - preFrames) & preMask] + back;
      const xr = preR[(p - preFrames) & preMask] + back;
      // Even lines take the left input, odd ones the right.
      r0[p & m0] = xl + y0;
      r1[p & m1] = xr + y1;
      r2[p & m2] = xl + y2;
      r3[p & m3] = xr + y3;
      r4[p & m4] = xl + y4;
      r5[p & m5] = xr + y5;
      r6[p & m6] = xl + y6;
      r7[p & m7] = xr + y7;
      // Alternate lines feed the left and right outputs, with alternating signs for width.
      outL[from + n] += (y0 - y2 + y4 - y6) * tap;
      outR[from + n] += (y1 - y3 + y5 - y7) * tap;
    }
    this.t = t + count;
  }
}

/**
 * A reverb kept for the life of the process, never run. A render makes a
 * reverb a window, and at a full collection between two windows none is
 * alive: V8 then forgets the class's shape (the shape of an object whose
 * fields are added one by one lives only while such an object does) and
 * throws away the optimised code that used it, Reverb.block with it, to
 * compile it again in the next window. This one keeps the shape alive.
 */
export const SHAPE_KEEPER: Reverb = new Reverb(1000);
