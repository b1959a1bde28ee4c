/**
 * Slow motion for voices: smooth seeded noise and gusts. Each is a pure
 * function of (random source, t), so any instant can be computed alone.
 */
import type { Random } from "../core/random.ts";

/**
 * Smooth value noise in [-1, 1] that changes over about `period` seconds.
 * Two layers at incommensurate periods, so it never settles into a cycle.
 */
export function smoothNoise(rng: Random, t: number, period: number): number {
  return 0.65 * valueNoise(rng, t / period, 0) + 0.35 * valueNoise(rng, t / (period * 0.383), 1);
}

function valueNoise(rng: Random, x: number, layer: number): number {
  const k = Math.floor(x);
  const f = x - k;
  const a = rng.at(layer, k) * 2 - 1;
  const b = rng.at(layer, k + 1) * 2 - 1;
  const s = f * f * (3 - 2 * f);
  return a + (b - a) * s;
}

/** Slot length of gusts, in seconds. */
const GUST_SLOT = 5;

/**
 * A field of gusts in [0, 1]: in each 5 s slot a gust passes with
 * probability `density(slotStart)`, at a seeded time, width and strength.
 */
export function gusts(rng: Random, t: number, density: (t: number) => number): number {
  const k = Math.floor(t / GUST_SLOT);
  let sum = 0;
  for (let slot = k - 2; slot <= k + 1; slot++) {
    const start = slot * GUST_SLOT;
    if (rng.at(slot, 0) >= density(start)) continue;
    const centre = start + rng.at(slot, 1) * GUST_SLOT;
    const halfWidth = 1.5 + rng.at(slot, 2) * 3;
    const strength = 0.45 + 0.55 * rng.at(slot, 3);
    const x = (t - centre) / halfWidth;
    if (x > -1 && x < 1) sum += strength * 0.5 * (1 + Math.cos(Math.PI * x));
  }
  return Math.min(1, sum);
}

/** A raised-cosine bump of the given half-width around `centre`, 0–1. */
export function bump(t: number, centre: number, halfWidth: number): number {
  const x = (t - centre) / halfWidth;
  return x > -1 && x < 1 ? 0.5 * (1 + Math.cos(Math.PI * x)) : 0;
}
