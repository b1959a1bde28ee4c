/**
 * Sparse events of a texture (bubbles, drops, crackles, rustle grains,
 * chirps): a Poisson process laid out in blocks of story time, each block's
 * events drawn from its own key, so the events near any stretch of time are
 * found without drawing those before it. A voice draws at its highest rate
 * and keeps each event with probability (rate now / highest rate): thinning,
 * which gives a Poisson process of a rate that follows the score.
 */
import { mix, sfc32 } from "../core/random.ts";

/** Seconds of story time per block of events. */
export const GRAIN_BLOCK = 0.5;

/** An event's draw: its story time and a generator of its own for its character. */
export interface Grain {
  /** Story time, in seconds. */
  time: number;
  /** Uniform values in [0, 1), the event's own (the first is the thinning draw's). */
  next: () => number;
}

/**
 * Visits every event of the Poisson process of `rate` events a second keyed
 * on `key` whose time falls in [from, to) seconds, in time order.
 */
export function forEachGrain(key: number, rate: number, from: number, to: number, visit: (grain: Grain) => void): void {
  if (!(rate > 0) || !(to > from)) return;
  for (let block = Math.floor(from / GRAIN_BLOCK); block * GRAIN_BLOCK < to; block++) {
    const next = sfc32(mix(key, block));
    let time = block * GRAIN_BLOCK;
    const end = time + GRAIN_BLOCK;
    for (;;) {
      time += -Math.log(1 - next()) / rate;
      if (time >= end) break;
      // Each event's own values come from its own generator, so what a voice draws for one
      // never shifts the times of the next.
      const own = next();
      if (time >= from && time < to) visit({ time, next: sfc32(mix(key, block, Math.floor(own * 4294967296))) });
    }
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
