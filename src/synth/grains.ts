/**
 * Sparse events of a texture (bubbles, drops, crackles, rustle grains,
 * chirps): a Poisson process laid out in blocks of story time, each block's
 * events drawn from its own key, so the events near any stretch of time are
 * found without drawing those before it. A voice draws at its highest rate
 * and keeps each event with probability (rate now / highest rate): thinning,
 * which gives a Poisson process of a rate that follows the score.
 */
import { mix } from "../core/random.ts";

/** Seconds of story time per block of events. */
export const GRAIN_BLOCK = 0.5;

/** An event's draw: its story time and a generator of its own for its character. */
export interface Grain {
  /** Story time, in seconds. */
  readonly time: number;
  /** Uniform values in [0, 1), the event's own (the first is the thinning draw's). */
  next: () => number;
}

/**
 * sfc32 (core/random.ts) as an object rather than a closure: its state is
 * four int32 fields, so a draw allocates nothing (a closure's variables hold
 * each new value in a box of its own), and the same numbers come out.
 */
class Stream {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  /** Starts the stream `key`, as `sfc32(key)` does. */
  seed(key: number): this {
    this.a = 0x9e3779b9 | 0;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162 | 0;
    this.d = key | 0;
    for (let i = 0; i < 12; i++) this.next();
    return this;
  }

  next(): number {
    const b = this.b;
    const c = this.c;
    const d = (this.d + 1) | 0;
    const t = (((this.a + b) | 0) + d) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    this.d = d;
    return (t >>> 0) / 4294967296;
  }
}

/** A grain as forEachGrain hands it over: its time and its own stream. */
class Draw extends Stream implements Grain {
  time = 0;

  /** This grain: its time, and its stream started from `key`. */
  draw(time: number, key: number): this {
    this.time = time;
    return this.seed(key);
  }
}

/**
 * The generators forEachGrain walks with, made once and reseeded in place.
 * Made per call (and a Draw per event), they all died at each full
 * collection, and so did their classes' shapes (V8 keeps the shape of an
 * object whose fields are added one by one only while an object of that
 * shape lives): V8 then threw away every optimised function that had used
 * them, the grains' visitors with them, and compiled them again in the next
 * window (measured: 7 functions a full collection, 60 ms of compiling).
 */
const TIMES = new Stream();
const DRAW = new Draw();
let walking = false;

/**
 * Visits every event of the Poisson process of `rate` events a second keyed
 * on `key` whose time falls in [from, to) seconds, in time order. The grain
 * handed to `visit` is redrawn for the next event: a visitor reads it at
 * once, keeps nothing of it and walks no other grains meanwhile.
 */
export function forEachGrain(key: number, rate: number, from: number, to: number, visit: (grain: Grain) => void): void {
  if (!(rate > 0) || !(to > from)) return;
  if (walking) throw new Error("forEachGrain called from a grain's visitor");
  walking = true;
  try {
    for (let block = Math.floor(from / GRAIN_BLOCK); block * GRAIN_BLOCK < to; block++) {
      // mix(key, block, slot) is mix(mix(key, block), slot): the block's key serves its events too.
      const blockKey = mix(key, block);
      TIMES.seed(blockKey);
      let time = block * GRAIN_BLOCK;
      const end = time + GRAIN_BLOCK;
      for (;;) {
        time += -Math.log(1 - TIMES.next()) / rate;
        if (time >= end) break;
        // Each event's own values come from its own generator, so what a voice draws for one
        // never shifts the times of the next.
        const own = TIMES.next();
        if (time >= from && time < to) visit(DRAW.draw(time, mix(blockKey, Math.floor(own * 4294967296))));
      }
    }
  } finally {
    walking = false;
  }
}

/**
 * Adds `length` samples of `sample(n)` (n from 0 at the grain's first frame
 * `grainFrame`) to `left`/`right` at gains `gainL`/`gainR`, clipped to the
 * stretch of story frames [startFrame, startFrame + left.length).
 */
export function addGrain(
  left: Float32Array,
  right: Float32Array,
  startFrame: number,
  grainFrame: number,
  length: number,
  gainL: number,
  gainR: number,
  sample: (n: number) => number,
): void {
  const from = Math.max(0, startFrame - grainFrame);
  const to = Math.min(length, startFrame + left.length - grainFrame);
  for (let n = from; n < to; n++) {
    const v = sample(n);
    const i = grainFrame + n - startFrame;
    left[i] += v * gainL;
    right[i] += v * gainR;
  }
}

/** Equal-power gains of a pan from -1 (left) to 1 (right). */
export function panGains(pan: number): [number, number] {
  const p = (Math.min(1, Math.max(-1, pan)) + 1) * (Math.PI / 4);
  return [Math.cos(p), Math.sin(p)];
}
