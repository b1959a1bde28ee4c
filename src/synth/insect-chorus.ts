/**
 * The far chorus of a summer night: beyond the few insects one can pick out,
 * hundreds more sing, at every distance, out of step. Their pulses overlap
 * and blur, so what reaches the listener is a steady shimmer: a band of noise
 * on each species' carrier, the species apart in pitch (each its own
 * acoustic niche, Krause), their levels drifting only slowly as singers join
 * and fall silent. Far away, air has taken their harmonics, and
 * each species' crowd has its own place.
 *
 *   noise → bandpass per species × its drift × gain → pan → out
 */
import type { Random } from "../core/random.ts";
import { smoothNoise } from "../score/modulation.ts";
import { warmFrames } from "./filters.ts";
import { panGains } from "./grains.ts";
import { noiseAt } from "./noise.ts";

/** One species of the far chorus. */
export interface ChorusSpecies {
  /** Range of its carrier, in Hz (the seed picks one). */
  hz: [number, number];
  /** Width of its band, in Hz. */
  widthHz: number;
  /** Its share of the chorus, in amplitude. */
  level: number;
}

/** The chorus's three species: low, middle and high. */
export type Species3 = readonly [ChorusSpecies, ChorusSpecies, ChorusSpecies];

/** Frames between the points where the chorus computes its gains (it ramps between them). */
const BLOCK = 64;

interface Band {
  left: number;
  right: number;
  b0: number;
  a1: number;
  a2: number;
  level: number;
  drift: Random;
}

/**
 * The far chorus for the seed: `add` writes story frames [startFrame,
 * startFrame + out.length) of it into `out`, each species' level drifting by
 * ±`drift` over `driftSeconds`, the whole × `gainAt(frame)` (on a grid of
 * BLOCK absolute frames, ramped between), a pure function of the frames.
 */
export function createFarChorus(rng: Random, rate: number, species: Species3, drift = 0.5, driftSeconds = 4) {
  const key = rng.fork("far-chorus").key;
  const bands: Band[] = species.map((s, i) => {
    const hz = rng.range(s.hz[0], s.hz[1], 10 + i);
    // The RBJ bandpass (0 dB at its peak): y = b0 (x - x2) - a1 y1 - a2 y2.
    const w = (2 * Math.PI * hz) / rate;
    const alpha = Math.sin(w) / (2 * (hz / s.widthHz));
    const [left, right] = panGains(rng.range(-0.7, 0.7, 20 + i));
    return {
      left,
      right,
      b0: alpha / (1 + alpha),
      a1: (-2 * Math.cos(w)) / (1 + alpha),
      a2: (1 - alpha) / (1 + alpha),
      level: s.level,
      drift: rng.fork(`species-${i}`),
    };
  });
  const narrowest = Math.min(...species.map((s) => s.widthHz));
  const warm = warmFrames(narrowest / 0.7, rate);

  /** Gain of band b at every BLOCK of frames from `first` (one more than the blocks, to ramp to). */
  const gainGrid = (first: number, blocks: number, gainAt: (frame: number) => number) => {
    const grid = bands.map(() => new Float64Array(blocks + 1));
    for (let k = 0; k <= blocks; k++) {
      const frame = first + k * BLOCK;
      const g = gainAt(frame);
      for (let b = 0; b < bands.length; b++) {
        grid[b][k] = g * bands[b].level * (1 + drift * smoothNoise(bands[b].drift, frame / rate, driftSeconds));
      }
    }
    return grid;
  };

  return {
    add(out: readonly [Float32Array, Float32Array], startFrame: number, gainAt: (frame: number) => number): void {
      const length = out[0].length;
      // From a whole block before the stretch, warmed up, so the gains' grid is on absolute frames.
      const first = Math.floor((startFrame - warm) / BLOCK) * BLOCK;
      const frames = startFrame + length - first;
      const [gA, gB, gC] = gainGrid(first, Math.ceil(frames / BLOCK), gainAt);
      const [A, B, C] = bands;
      const [ab0, aa1, aa2, bb0, ba1, ba2, cb0, ca1, ca2] = [A.b0, A.a1, A.a2, B.b0, B.a1, B.a2, C.b0, C.a1, C.a2];
      const [aL, aR, bL, bR, cL, cR] = [A.left, A.right, B.left, B.right, C.left, C.right];
      const [left, right] = out;
      const skip = startFrame - first;
      let x1 = 0;
      let x2 = 0;
      let a1 = 0;
      let a2 = 0;
      let b1 = 0;
      let b2 = 0;
      let c1 = 0;
      let c2 = 0;
      // The three species in one pass: one noise, three resonances, each ramped to its gain and panned.
      for (let k = 0, i = 0; i < frames; k++) {
        const end = Math.min(frames, (k + 1) * BLOCK);
        let ga = gA[k];
        let gb = gB[k];
        let gc = gC[k];
        const da = (gA[k + 1] - ga) / BLOCK;
        const db = (gB[k + 1] - gb) / BLOCK;
        const dc = (gC[k + 1] - gc) / BLOCK;
        for (; i < end; i++) {
          const x = noiseAt(key, first + i);
          const d = x - x2;
          x2 = x1;
          x1 = x;
          const a = ab0 * d - aa1 * a1 - aa2 * a2;
          a2 = a1;
          a1 = a;
          const b = bb0 * d - ba1 * b1 - ba2 * b2;
          b2 = b1;
          b1 = b;
          const c = cb0 * d - ca1 * c1 - ca2 * c2;
          c2 = c1;
          c1 = c;
          const va = a * ga;
          const vb = b * gb;
          const vc = c * gc;
          ga += da;
          gb += db;
          gc += dc;
          if (i < skip) continue;
          left[i - skip] += va * aL + vb * bL + vc * cL;
          right[i - skip] += va * aR + vb * bR + vc * cR;
        }
      }
    },
  };
}
