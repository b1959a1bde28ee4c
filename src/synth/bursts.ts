/**
 * Short grains for textures: a burst of band-passed noise (a drop on a leaf,
 * a crackle of wood) and a bubble's rising plink. Each is computed from its
 * own first frame whatever stretch is asked for (the frames before the
 * stretch are run and thrown away), so a grain that rings across two chunks
 * joins without a seam, and each ends at exactly zero: no step at its end.
 */
import { fillNoise } from "./noise.ts";

/**
 * White noise for the bursts, read from a burst's own offset: a lookup is a
 * quarter of the cost of hashing each frame, and a burst, a few milliseconds
 * at a random place in 1.4 s of noise, never sounds the same stretch twice
 * in a row.
 */
const TABLE_SIZE = 65536;
const TABLE = new Float32Array(TABLE_SIZE);
fillNoise(TABLE, 0x5eed_b0a7, 0);

/** Time constants a grain lasts: its decay to -40 dB (then it is drawn down to exactly zero). */
const SPAN = Math.log(100);

/** A burst of noise through a band-pass, under an exponential decay. */
export interface Burst {
  /** Story frame of its first sample. */
  frame: number;
  /** Centre of its band, in Hz. */
  hz: number;
  /** Q of its band (linear). */
  q: number;
  /** Time constant of its decay, in seconds. */
  decay: number;
  /** RMS of its first milliseconds on the left and right (pan and level in one). */
  gainL: number;
  gainR: number;
  /** Key of its own noise: where it reads the noise table. */
  key: number;
}

/** Frames a burst or plink of decay `decay` (seconds) lasts at `rate` Hz. */
export function grainFrames(decay: number, rate: number): number {
  return Math.ceil(decay * SPAN * rate);
}

/** Adds `burst` to the stretch of story frames [startFrame, startFrame + out[0].length). */
export function addBurst(out: readonly [Float32Array, Float32Array], startFrame: number, rate: number, burst: Burst): void {
  const [left, right] = out;
  const length = grainFrames(burst.decay, rate);
  const end = Math.min(length, startFrame + left.length - burst.frame);
  if (end <= 0 || burst.frame + length <= startFrame) return;
  const w = (2 * Math.PI * Math.min(burst.hz, 0.45 * rate)) / rate;
  const alpha = Math.sin(w) / (2 * burst.q);
  const a0 = 1 + alpha;
  const a1 = (-2 * Math.cos(w)) / a0;
  const a2 = (1 - alpha) / a0;
  // The band's noise power is its share of the spectrum (equivalent bandwidth π/2 · f/Q):
  // scaled to unit RMS, whatever the band, and uniform noise (RMS 1/√3) to 1.
  const b0 = (alpha / a0) * Math.sqrt(3 / ((Math.PI * burst.hz) / burst.q / rate));
  const r = Math.exp(-1 / (burst.decay * rate));
  const floor = r ** length;
  const scale = 1 / (1 - floor);
  const { key, gainL, gainR } = burst;
  const skip = Math.max(0, startFrame - burst.frame);
  let env = scale;
  const tail = floor * scale;
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  // The frames before the stretch only bring the band and the decay to where they stand at its start.
  for (let n = 0; n < skip; n++) {
    const x = TABLE[(key + n) & (TABLE_SIZE - 1)];
    const y = b0 * (x - x2) - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    env *= r;
  }
  const offset = burst.frame - startFrame;
  for (let n = skip; n < end; n++) {
    const x = TABLE[(key + n) & (TABLE_SIZE - 1)];
    const y = b0 * (x - x2) - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    const v = y * (env - tail);
    left[offset + n] += v * gainL;
    right[offset + n] += v * gainR;
    env *= r;
  }
}

/** A bubble: a sine whose pitch rises as it closes, under a soft attack and an exponential decay. */
export interface Plink {
  /** Story frame of its first sample. */
  frame: number;
  /** Its first pitch, in Hz. */
  hz: number;
  /** How fast the pitch rises: f(t) = hz · (1 + rise · t), rise per second. */
  rise: number;
  /** Time constant of its decay, in seconds. */
  decay: number;
  /** Its peak on the left and right. */
  gainL: number;
  gainR: number;
}

/** Adds `plink` to the stretch of story frames [startFrame, startFrame + out[0].length). */
export function addPlink(out: readonly [Float32Array, Float32Array], startFrame: number, rate: number, plink: Plink): void {
  const [left, right] = out;
  const length = grainFrames(plink.decay, rate);
  const end = Math.min(length, startFrame + left.length - plink.frame);
  if (end <= 0 || plink.frame + length <= startFrame) return;
  // The phasor turns by w each frame, and w itself grows by a fixed turn: a linear glide, no sin per frame.
  const w = (2 * Math.PI * plink.hz) / rate;
  const dw = (w * plink.rise) / rate;
  const [stepC, stepS] = [Math.cos(dw), Math.sin(dw)];
  let [turnC, turnS] = [Math.cos(w), Math.sin(w)];
  let [c, s] = [1, 0];
  const r = Math.exp(-1 / (plink.decay * rate));
  // A 1 ms attack: a plink, not a click.
  const q = Math.exp(-1 / (0.001 * rate));
  const floor = r ** length;
  const scale = 1 / (1 - floor);
  let env = scale;
  const tail = floor * scale;
  let attack = 1;
  const skip = Math.max(0, startFrame - plink.frame);
  for (let n = 0; n < end; n++) {
    if (n >= skip) {
      const v = s * (env - tail) * (1 - attack);
      const i = plink.frame + n - startFrame;
      left[i] += v * plink.gainL;
      right[i] += v * plink.gainR;
    }
    const nc = c * turnC - s * turnS;
    s = c * turnS + s * turnC;
    c = nc;
    const tc = turnC * stepC - turnS * stepS;
    turnS = turnC * stepS + turnS * stepC;
    turnC = tc;
    env *= r;
    attack *= q;
  }
}
