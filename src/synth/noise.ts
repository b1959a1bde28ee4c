/**
 * White noise addressed by story frame: sample n of a stream is a hash of
 * (the stream's key, n), so any stretch of it is computed alone, with no
 * state carried from the frames before, and it never loops.
 */

/** Sample `frame` of the noise stream `key`, uniform in [-1, 1). */
export function noiseAt(key: number, frame: number): number {
  // murmur3's finaliser over the frame spread by the golden ratio, xor the key.
  let h = Math.imul(frame | 0, 0x9e3779b1) ^ key;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h * 4.656612873077393e-10;
}

/**
 * Frames per call of fillNoise's loop: a short loop called many times is
 * optimised as a whole function and early, where one long loop a call is
 * optimised in the middle of it, later (see filters.ts).
 */
const STRETCH = 1024;

/** Fills `out` with frames [startFrame, startFrame + out.length) of the noise stream `key`. */
export function fillNoise(out: Float32Array, key: number, startFrame: number): void {
  for (let from = 0; from < out.length; from += STRETCH) fillStretch(out, key, startFrame, from, Math.min(out.length, from + STRETCH));
}

/** Indexes [from, to) of fillNoise's `out`. */
function fillStretch(out: Float32Array, key: number, startFrame: number, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    let h = Math.imul((startFrame + i) | 0, 0x9e3779b1) ^ key;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    out[i] = h * 4.656612873077393e-10;
  }
}
