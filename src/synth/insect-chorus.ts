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
import { warmFrames } from "./filters.ts";
import { panGains } from "./grains.ts";
import { noiseBlock } from "./wind.ts";

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
  drift: SmoothNoise;
}

/**
 * smoothNoise(rng, t, period) (score/modulation.ts) of one source and
 * period, value for value, remembering the knots it read last: a gain
 * taken every 64 frames reads the same knots for seconds on end, and each
 * knot is a hash of its slots.
 */
export class SmoothNoise {
  private readonly short: number;
  private readonly knots = [Number.NaN, Number.NaN];
  private readonly from = [0, 0];
  private readonly to = [0, 0];

  constructor(
    private readonly rng: Random,
    private readonly period: number,
  ) {
    this.short = period * 0.383;
  }

  /** smoothNoise(rng, t, period). */
  at(t: number): number {
    return 0.65 * this.layer(t / this.period, 0) + 0.35 * this.layer(t / this.short, 1);
  }

  private layer(x: number, layer: number): number {
    const k = Math.floor(x);
    if (k !== this.knots[layer]) {
      this.knots[layer] = k;
      this.from[layer] = this.rng.at(layer, k) * 2 - 1;
      this.to[layer] = this.rng.at(layer, k + 1) * 2 - 1;
    }
    const f = x - k;
    const a = this.from[layer];
    const s = f * f * (3 - 2 * f);
    return a + (this.to[layer] - a) * s;
  }
}

/**
 * The far chorus for the seed: `add` writes story frames [startFrame,
 * startFrame + out.length) of it into `out`, each species' level drifting by
 * ±`drift` over `driftSeconds`, the whole × `gainAt(frame)` (on a grid of
 * BLOCK absolute frames, ramped between), a pure function of the frames.
 * Its grid of gains is its own, reused from chunk to chunk.
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
      drift: new SmoothNoise(rng.fork(`species-${i}`), driftSeconds),
    };
  });
  const [A, B, C] = bands;
  const narrowest = Math.min(...species.map((s) => s.widthHz));
  const warm = warmFrames(narrowest / 0.7, rate);
  // Each band's gains, reused from chunk to chunk.
  const grid = [new Float64Array(0), new Float64Array(0), new Float64Array(0)];
  // A block's noise, filled before it is filtered (as the wind's bed does: wind.ts).
  const noise = new Float64Array(BLOCK);

  /** Each band's gain at every BLOCK of frames from `first` (one more than the blocks, to ramp to). */
  const gainGrid = (first: number, blocks: number, gainAt: (frame: number) => number) => {
    if (grid[0].length < blocks + 1) for (let b = 0; b < 3; b++) grid[b] = new Float64Array(blocks + 1);
    const gA = grid[0];
    const gB = grid[1];
    const gC = grid[2];
    for (let k = 0; k <= blocks; k++) {
      const frame = first + k * BLOCK;
      const g = gainAt(frame);
      const t = frame / rate;
      gA[k] = g * A.level * (1 + drift * A.drift.at(t));
      gB[k] = g * B.level * (1 + drift * B.drift.at(t));
      gC[k] = g * C.level * (1 + drift * C.drift.at(t));
    }
  };

  return {
    add(out: readonly [Float32Array, Float32Array], startFrame: number, gainAt: (frame: number) => number): void {
      // From a whole block before the stretch, warmed up, so the gains' grid is on absolute frames.
      const first = Math.floor((startFrame - warm) / BLOCK) * BLOCK;
      const frames = startFrame + out[0].length - first;
      gainGrid(first, Math.ceil(frames / BLOCK), gainAt);
      addBands(out, key, noise, first, startFrame - first, frames, bands, grid);
    },
  };
}

/**
 * Adds the three bands over frames [first, first + frames) of noise stream `key` (a block at a time in `noise`), each ramped
 * to its gains on the grid (from `first`), into `out` from frame first + skip.
 */
function addBands(
  out: readonly [Float32Array, Float32Array],
  key: number,
  noise: Float64Array,
  first: number,
  skip: number,
  frames: number,
  bands: readonly Band[],
  grid: readonly Float64Array[],
): void {
  // Plain loads, no destructuring of the arguments: see NoiseBed.add (wind.ts).
  const A = bands[0];
  const B = bands[1];
  const C = bands[2];
  const gA = grid[0];
  const gB = grid[1];
  const gC = grid[2];
  const ab0 = A.b0;
  const aa1 = A.a1;
  const aa2 = A.a2;
  const bb0 = B.b0;
  const ba1 = B.a1;
  const ba2 = B.a2;
  const cb0 = C.b0;
  const ca1 = C.a1;
  const ca2 = C.a2;
  const aL = A.left;
  const aR = A.right;
  const bL = B.left;
  const bR = B.right;
  const cL = C.left;
  const cR = C.right;
  const left = out[0];
  const right = out[1];
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
    noiseBlock(noise, key, first + i, end - i);
    for (let n = 0; i < end; i++, n++) {
      const x = noise[n];
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
}
