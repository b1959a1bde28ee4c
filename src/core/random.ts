/**
 * Seeded, time-keyed randomness. Nothing in Reverie draws unseeded numbers: every
 * random value is a pure hash of (seed, voice, slot), so any window of time
 * can be computed on its own and the same seed gives the same sound anywhere.
 */

/** 32-bit string hash (FNV-1a followed by a murmur3 finaliser). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix(h >>> 0);
}

/** murmur3's 32-bit finaliser: a strong integer mix. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines a key with integer slots into a new 32-bit key. */
export function mix(key: number, ...slots: number[]): number {
  let h = key >>> 0;
  for (const slot of slots) {
    // Slots may be negative or beyond 32 bits (sample indexes of long renders).
    const lo = slot | 0;
    const hi = Math.floor(slot / 4294967296) | 0;
    h = fmix((h ^ Math.imul(lo, 0x9e3779b1)) + 0x7f4a7c15);
    h = fmix((h ^ Math.imul(hi, 0x85ebca77)) + 0x165667b1);
  }
  return h >>> 0;
}

/** Uniform value in [0, 1) from a 32-bit key. */
export function unit(key: number): number {
  return (key >>> 0) / 4294967296;
}

/**
 * sfc32: a small, fast generator for bulk values (noise buffers, dither).
 * Seed it from a key made with `mix`, so the stream itself is keyed on time.
 */
export function sfc32(key: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = key >>> 0;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** Turns a --seed value (a number or a word) into a 32-bit key. */
export function seedKey(seed: string | number): number {
  const text = typeof seed === "number" ? String(seed) : seed.trim();
  return hashString(`reverie:${text}`);
}

/**
 * A keyed random source. `fork("leaves")` gives a voice its own source, so
 * adding a voice never reshuffles the others; `at(slot…)` is a pure function
 * of the slots, never of how many values were drawn before.
 */
export class Random {
  constructor(readonly key: number) {}

  static fromSeed(seed: string | number): Random {
    return new Random(seedKey(seed));
  }

  fork(name: string): Random {
    return new Random(mix(this.key, hashString(name)));
  }

  /** Uniform in [0, 1) for these slots. */
  at(...slots: number[]): number {
    return unit(mix(this.key, ...slots));
  }

  /** Uniform in [lo, hi) for these slots. */
  range(lo: number, hi: number, ...slots: number[]): number {
    return lo + (hi - lo) * this.at(...slots);
  }

  /** A generator keyed on these slots, for bulk values. */
  stream(...slots: number[]): () => number {
    return sfc32(mix(this.key, ...slots));
  }
}
