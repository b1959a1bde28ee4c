/**
 * Bubbles, after van den Doel ("Physically based models for liquid sounds",
 * 2005): a bubble of radius r rings as a damped sine whose pitch rises as it
 * dies, s(t) = sin(2π f0 t (1 + ξ d t)) e^(−d t), with f0 ≈ 3.26 kHz·mm / r
 * and a damping d that grows as the bubble shrinks. Water is many of them:
 * a few large ones on a lake, a near-continuous crowd in a waterfall.
 *
 * A bubble is made by a recurrence, not by sin and exp per sample: a phasor
 * turned each sample by a rotation that shrinks it (the decay) and that
 * itself turns a little further each sample (the rising pitch).
 */
import { mix } from "../core/random.ts";
import { GRAIN_BLOCK } from "./grains.ts";

/** Pitch of a bubble of radius 1 mm, in Hz (f0 = BUBBLE_HZ_MM / radius in mm). */
export const BUBBLE_HZ_MM = 3260;

/** Amplitude a bubble rings down to before it is cut (about -50 dB). */
const FLOOR = 0.003;

/** Resonance of a bubble of `radius` mm, in Hz. */
export function bubbleHz(radius: number): number {
  return BUBBLE_HZ_MM / radius;
}

/** Damping of a bubble of `radius` mm, per second (viscous and thermal losses). */
export function bubbleDamping(radius: number): number {
  const r = radius / 1000;
  return 0.13 / r + 0.0072 * r ** -1.5;
}

/** Seconds a bubble of `radius` mm rings (to about -50 dB, or to the amplitude `floor`). */
export function bubbleSeconds(radius: number, floor = FLOOR): number {
  return -Math.log(floor) / bubbleDamping(radius);
}

/**
 * A radius in mm from a power law p(r) ∝ r^(−exponent) over [min, max] mm
 * (small bubbles far more often than large ones), for a uniform `u` in [0, 1).
 */
export function powerLawRadius(u: number, min: number, max: number, exponent: number): number {
  const k = 1 - exponent;
  if (Math.abs(k) < 1e-9) return min * (max / min) ** u;
  const a = min ** k;
  return (a + u * (max ** k - a)) ** (1 / k);
}

/** One bubble: where it starts, its size and its gains. */
export interface Bubble {
  /** Story frame of its onset. */
  frame: number;
  /** Radius, in mm. */
  radius: number;
  /** Peak gain. */
  gain: number;
  /** Pitch rise ξ (van den Doel's 0.1: the pitch rises 20% per e-fold of decay). */
  rise: number;
  /** Seconds of a linear attack (a few ms soften a large bubble's onset). */
  attack: number;
}

/**
 * Adds `bubble` into `out`, which holds story frames [startFrame,
 * startFrame + out.length): the part of it that falls there. Bubbles are
 * mono: a voice pans them by the bus it adds them to.
 */
export function addBubble(out: Float32Array, startFrame: number, rate: number, bubble: Bubble): void {
  const d = bubbleDamping(bubble.radius);
  const length = Math.ceil(bubbleSeconds(bubble.radius) * rate);
  const from = Math.max(0, startFrame - bubble.frame);
  const to = Math.min(length, startFrame + out.length - bubble.frame);
  if (from >= to) return;
  // Phase increment per sample w(n) = w0 + a·n: the instantaneous pitch f0 (1 + 2ξ d t).
  const w0 = (2 * Math.PI * bubbleHz(bubble.radius)) / rate;
  const a = (w0 * 2 * bubble.rise * d) / rate;
  const decay = Math.exp(-d / rate);
  // The state at the first frame wanted, in closed form: phase w0 n + a n(n−1)/2, amplitude e^(−d n).
  const amp = decay ** from;
  const phase = w0 * from + (a * from * (from - 1)) / 2;
  let zr = amp * Math.cos(phase);
  let zi = amp * Math.sin(phase);
  let rr = decay * Math.cos(w0 + a * from);
  let ri = decay * Math.sin(w0 + a * from);
  const cr = Math.cos(a);
  const ci = Math.sin(a);
  // The gain goes into the phasor: one multiply less per sample.
  zr *= bubble.gain;
  zi *= bubble.gain;
  const offset = bubble.frame - startFrame;
  const attackEnd = Math.min(to, Math.max(from, Math.round(bubble.attack * rate)));
  const ramp = 1 / Math.max(1, Math.round(bubble.attack * rate));
  let n = from;
  for (; n < attackEnd; n++) {
    out[offset + n] += zi * n * ramp;
    const z = zr * rr - zi * ri;
    zi = zr * ri + zi * rr;
    zr = z;
    const r = rr * cr - ri * ci;
    ri = rr * ci + ri * cr;
    rr = r;
  }
  for (; n < to; n++) {
    out[offset + n] += zi;
    const z = zr * rr - zi * ri;
    zi = zr * ri + zi * rr;
    zr = z;
    const r = rr * cr - ri * ci;
    ri = rr * ci + ri * cr;
    rr = r;
  }
}

/**
 * A bank of bubbles rung once, for a voice with hundreds a second: `count`
 * radii spaced evenly in pitch from `min` to `max` mm, each a table of its
 * whole ring at unit gain. Adding one is a multiply-add per sample, a quarter
 * of the recurrence's cost. The steps in pitch (count 64 over a ratio of 8:
 * 3%) are narrower than the 20% a bubble's pitch sweeps as it dies. A
 * bank for bubbles heard only through a wash of noise may ring them to a
 * higher `floor` (shorter tables, less to add); the last quarter of each is
 * then faded out, so that none stops with a click.
 */
export class BubbleBank {
  private readonly tables: Float32Array[] = [];
  private readonly logMin: number;
  private readonly step: number;

  constructor(rate: number, min: number, max: number, count: number, rise = 0.1, floor = FLOOR) {
    this.logMin = Math.log(min);
    this.step = Math.log(max / min) / (count - 1);
    for (let k = 0; k < count; k++) {
      const radius = Math.exp(this.logMin + k * this.step);
      const table = new Float32Array(Math.ceil(bubbleSeconds(radius, floor) * rate));
      addBubble(table, 0, rate, { frame: 0, radius, gain: 1, rise, attack: 0.0005 });
      if (floor > FLOOR) {
        const fade = Math.floor(table.length / 4);
        for (let n = 0; n < fade; n++) table[table.length - fade + n] *= 0.5 + 0.5 * Math.cos((Math.PI * (n + 1)) / fade);
      }
      this.tables.push(table);
    }
  }

  /** Adds the bubble nearest `radius` mm, starting at story frame `frame`, at `gain`, into `out` (from story frame `startFrame`). */
  add(out: Float32Array, startFrame: number, frame: number, radius: number, gain: number): void {
    const k = Math.round((Math.log(radius) - this.logMin) / this.step);
    const table = this.tables[Math.min(this.tables.length - 1, Math.max(0, k))];
    const from = Math.max(0, startFrame - frame);
    const to = Math.min(table.length, startFrame + out.length - frame);
    const offset = frame - startFrame;
    for (let n = from; n < to; n++) out[offset + n] += gain * table[n];
  }
}

/**
 * The onsets of a crowd of bubbles, `rate` a second, keyed on `key`: the
 * Poisson process of forEachGrain (grains.ts), the same times and the same
 * draws, but walked with two generators reseeded in place, where
 * forEachGrain makes a generator, a closure and an object for each event: for
 * a crowd of hundreds a second, that much garbage a second.
 */
export class BubbleCrowd {
  private readonly times = new Draws();
  private readonly own = new Draws();

  constructor(
    private readonly key: number,
    private readonly rate: number,
  ) {}

  /** Visits every bubble whose time falls in [from, to) seconds, in time order, with its own draws (a grain's `next`). */
  each(from: number, to: number, visit: (time: number, own: Draws) => void): void {
    for (let block = Math.floor(from / GRAIN_BLOCK); block * GRAIN_BLOCK < to; block++) {
      this.times.seed(mix(this.key, block));
      let time = block * GRAIN_BLOCK;
      const end = time + GRAIN_BLOCK;
      for (;;) {
        time += -Math.log(1 - this.times.next()) / this.rate;
        if (time >= end) break;
        const own = this.times.next();
        if (time >= from && time < to) visit(time, this.own.seed(mix(this.key, block, Math.floor(own * 4294967296))));
      }
    }
  }
}

/** sfc32 (core/random.ts), the same values, its state in place and reseeded. */
export class Draws {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  seed(key: number): this {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = key >>> 0;
    for (let i = 0; i < 12; i++) this.next();
    return this;
  }

  /** A uniform value in [0, 1). */
  next(): number {
    const a = this.a >>> 0;
    const b = this.b >>> 0;
    const c = this.c >>> 0;
    let t = (a + b) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.d = ((this.d >>> 0) + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return (t >>> 0) / 4294967296;
  }
}
