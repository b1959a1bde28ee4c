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
import { Biquad } from "./filters.ts";

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
  damping: Biquad;
  loss: number;
  /** The line's output over the current block. */
  out: Float32Array;
}

/** The reverb's state, carried from one call to the next: feed it consecutive stretches of time. */
export class Reverb {
  private readonly lines: Line[];
  private readonly pre: Float32Array[];
  private readonly preMask: number;
  private readonly preFrames: number;
  /** Frames processed so far (the rings' write position). */
  private t = 0;

  constructor(rate: number, options: Partial<ReverbOptions> = {}) {
    const o = { ...REVERB_DEFAULTS, ...options };
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
        damping: new Biquad("lowpass", o.dampingHz, rate, 10 ** (DAMPING_Q_DB / 20)),
        loss: lineLoss(ms / 1000, o.decay),
        out: new Float32Array(BLOCK),
      };
    });
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
    // Each line's output over the block: its ring read `delay` frames back, damped, scaled.
    for (const line of lines) {
      const { ring, mask, delay, out } = line;
      const whole = Math.floor(delay);
      const frac = delay - whole;
      for (let n = 0; n < count; n++) {
        const at = t + n - whole;
        const a = ring[at & mask];
        const b = ring[(at - 1) & mask];
        out[n] = a + (b - a) * frac;
      }
      line.damping.run(out, 0, count);
      const g = line.loss;
      for (let n = 0; n < count; n++) out[n] *= g;
    }
    const mixBack = -2 / lines.length;
    const tap = 1 / Math.sqrt(lines.length / 2);
    for (let n = 0; n < count; n++) {
      let sum = 0;
      for (const line of lines) sum += line.out[n];
      const back = sum * mixBack;
      const xl = preL[(t + n - preFrames) & preMask];
      const xr = preR[(t + n - preFrames) & preMask];
      let left = 0;
      let right = 0;
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        const y = line.out[n];
        line.ring[(t + n) & line.mask] = (i % 2 === 0 ? xl : xr) + y + back;
        // Alternate lines feed the left and right outputs, with alternating signs for width.
        const signed = i % 4 < 2 ? y : -y;
        if (i % 2 === 0) left += signed;
        else right += signed;
      }
      outL[from + n] += left * tap;
      outR[from + n] += right * tap;
    }
    this.t = t + count;
  }
}
