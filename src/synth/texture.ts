/**
 * A texture: a voice whose samples are computed here, in plain TypeScript,
 * a chunk of story time at a time, rather than by a graph of native nodes.
 * The engine plays the chunks (engine/kit.ts, TextureSource) and does the
 * rest: the voice's trim, its pan, the shared reverb and the master.
 *
 * A chunk is a pure function of (seed, voice, the story frames it covers):
 * its grains (bubbles, drops, crackles, rustles, chirps) come from blocks of
 * story time keyed by their index (see grains.ts), its noise from a
 * generator keyed by the frame (noise.ts), its filters are warmed up on the
 * frames before it (filters.ts), and its controls are the score's, sampled
 * on the score's grid and interpolated (ControlCurves). So any window of time
 * renders alone, the same on the command line and in the page, and a grain
 * that starts in one chunk and rings into the next is found again, from the
 * same keys, by the next.
 */
import type { Random } from "../core/random.ts";
import { CONTROL_STEP, controlsAt } from "../score/controls.ts";
import { eventsInWindow, type ScoreEvent } from "../score/events.ts";
import type { VoiceSpec } from "../score/preset-types.ts";
import type { Plan } from "../score/timeline.ts";
import { type ParamName, PARAM_NAMES, type Params } from "../score/voices/vocabulary.ts";

/** What the score says about one voice, for a texture to read at any time. */
export interface TextureScore {
  /** The voice's controls at story time t (seconds), exactly as on the score's grid. */
  controls(t: number): Params;
  /** The voice's events that start in [from, to) seconds of story time, in time order. */
  events(from: number, to: number): ScoreEvent[];
}

/** The score of `voice` in `plan`, for its texture. */
export function textureScore(plan: Plan, voice: VoiceSpec): TextureScore {
  return {
    controls: (t) => controlsAt(plan, voice, t),
    events: (from, to) => eventsInWindow(plan, voice, Math.max(0, from), to),
  };
}

/** Where a texture is made: its sample rate, its seeded source, its score. */
export interface TextureContext {
  /** Frames per second, in Hz. */
  rate: number;
  /** The voice's own randomness (forked per layer). */
  rng: Random;
  score: TextureScore;
}

/** The samples of a voice, computed on demand. */
export interface Texture {
  /**
   * Adds the voice's sound over story frames [startFrame, startFrame + length)
   * into `out` (two channels of equal length, left and right), at level as
   * the score sets it (the preset's trim and pan are the engine's).
   */
  render(out: readonly [Float32Array, Float32Array], startFrame: number): void;
}

/** Builds a voice type's texture from its options. */
export type TextureFactory<O> = (context: TextureContext, options: Partial<O>) => Texture;

/** Where each control sits in a row of the grid that ControlCurves holds. */
const SLOT = Object.fromEntries(PARAM_NAMES.map((name, slot) => [name, slot])) as Record<ParamName, number>;
const SLOTS = PARAM_NAMES.length;
/** Grid samples a curves keeps from before its stretch when it moves on (grains that ring into it read them). */
const KEPT_BEHIND = 8;
/** Farthest a read outside the held samples extends them (further, it asks the score and keeps nothing). */
const REACH = 64;

/**
 * The score's controls over a stretch of frames, linearly interpolated
 * between the samples on its grid (CONTROL_STEP), as a ramp between them
 * would sound: the same values whatever stretch is asked for.
 *
 * A texture may hold one and move it from stretch to stretch ({@link moveTo}):
 * the score's samples are a pure function of their place on the grid, so
 * those it already holds serve again, and nothing is allocated per stretch.
 */
export class ControlCurves {
  /** Grid index of the stretch's first sample, and how many samples span it. */
  private first = 0;
  private span = 0;
  private start = 0;
  private frameCount = 0;
  /** The samples held: grid indexes [lo, lo + count), as the score gave them and as rows of SLOTS values. */
  private lo = 0;
  private count = 0;
  private params: Params[] = [];
  private grid = new Float64Array(0);
  /** Each control at every frame of the stretch, and whether it is this stretch's (see frames). */
  private curves: Float32Array[] = [];
  private ready: boolean[] = [];

  constructor(
    private readonly score: TextureScore,
    private readonly rate: number,
    /** First story frame of the stretch. */
    startFrame: number,
    /** Frames in it. */
    length: number,
  ) {
    this.moveTo(startFrame, length);
  }

  /** First story frame of the stretch. */
  get startFrame(): number {
    return this.start;
  }

  /** Frames in it. */
  get length(): number {
    return this.frameCount;
  }

  /**
   * The same curves over story frames [startFrame, startFrame + length):
   * what {@link frames} gave for the last stretch is overwritten.
   */
  moveTo(startFrame: number, length: number): this {
    this.start = startFrame;
    this.frameCount = length;
    this.first = Math.floor(startFrame / this.rate / CONTROL_STEP);
    const last = Math.ceil((startFrame + length) / this.rate / CONTROL_STEP);
    this.span = last - this.first + 1;
    const keep = this.count > 0 && this.lo < this.first && this.lo + this.count >= this.first;
    this.hold(keep ? Math.max(this.lo, this.first - KEPT_BEHIND) : this.first, last);
    this.ready.fill(false);
    return this;
  }

  /** Every control at story time t (seconds), which may lie a little outside the stretch. */
  at(t: number): Params {
    const x = t / CONTROL_STEP - this.first;
    const k = Math.floor(x);
    const [a, b] = this.around(k);
    const f = x - k;
    const p = { ...a };
    for (const name of Object.keys(p) as ParamName[]) p[name] = a[name] + (b[name] - a[name]) * f;
    return p;
  }

  /** One control at story time t. */
  value(name: ParamName, t: number): number {
    return this.read(SLOT[name], t);
  }

  /** One control, to read at any time t as `value(name, t)` does, without finding it by name each time. */
  control(name: ParamName): (t: number) => number {
    const slot = SLOT[name];
    return (t) => this.read(slot, t);
  }

  private read(slot: number, t: number): number {
    const x = t / CONTROL_STEP - this.first;
    const k = Math.floor(x);
    let row = this.first + k - this.lo;
    if (row < 0 || row + 1 >= this.count) {
      const g = this.first + k;
      if (g < this.lo - REACH || g >= this.lo + this.count + REACH) {
        const [p, q] = this.around(k);
        const a = p[PARAM_NAMES[slot]];
        return a + (q[PARAM_NAMES[slot]] - a) * (x - k);
      }
      this.hold(Math.min(this.lo, g), Math.max(this.lo + this.count - 1, g + 1));
      row = g - this.lo;
    }
    const a = this.grid[row * SLOTS + slot];
    return a + (this.grid[(row + 1) * SLOTS + slot] - a) * (x - k);
  }

  /**
   * The grid's samples k and k + 1 (from the first of the stretch): outside
   * the stretch they are asked of the score, on the same grid, so a grain
   * that rings across two stretches reads the same values in both.
   */
  private around(k: number): [Params, Params] {
    const row = this.first + k - this.lo;
    if (row >= 0 && row + 1 < this.count) return [this.params[row], this.params[row + 1]];
    const t = (this.first + k) * CONTROL_STEP;
    return [this.score.controls(t), this.score.controls(t + CONTROL_STEP)];
  }

  /** Holds the grid's samples [from, to], keeping those already held and asking the score for the rest. */
  private hold(from: number, to: number): void {
    const count = to - from + 1;
    if (count > this.params.length) {
      const params: Params[] = new Array(2 * count);
      const grid = new Float64Array(2 * count * SLOTS);
      for (let i = 0; i < this.count; i++) params[i] = this.params[i];
      grid.set(this.grid.subarray(0, this.count * SLOTS));
      this.params = params;
      this.grid = grid;
    }
    // What is held already moves to its new row (in the direction that overwrites nothing still to move).
    const keepFrom = Math.max(from, this.lo);
    const keepTo = Math.min(to, this.lo + this.count - 1);
    if (keepTo >= keepFrom && from !== this.lo) {
      const src = keepFrom - this.lo;
      const dst = keepFrom - from;
      const n = keepTo - keepFrom + 1;
      this.grid.copyWithin(dst * SLOTS, src * SLOTS, (src + n) * SLOTS);
      if (dst < src) for (let i = 0; i < n; i++) this.params[dst + i] = this.params[src + i];
      else for (let i = n - 1; i >= 0; i--) this.params[dst + i] = this.params[src + i];
    }
    for (let g = from; g <= to; g++) {
      if (g >= keepFrom && g <= keepTo) continue;
      const p = this.score.controls(g * CONTROL_STEP);
      const row = g - from;
      this.params[row] = p;
      for (let slot = 0; slot < SLOTS; slot++) this.grid[row * SLOTS + slot] = p[PARAM_NAMES[slot]];
    }
    this.lo = from;
    this.count = count;
  }

  /** One control at every frame of the stretch (computed once per stretch). */
  frames(name: ParamName): Float32Array {
    const slot = SLOT[name];
    let curve = this.curves[slot];
    if (this.ready[slot] && curve) return curve;
    if (curve?.length !== this.frameCount) curve = this.curves[slot] = new Float32Array(this.frameCount);
    const framesPerStep = CONTROL_STEP * this.rate;
    // Segment by segment of the grid: a start value and a slope per frame, no division per frame.
    for (let k = 0; k + 1 < this.span; k++) {
      const from = Math.max(0, Math.ceil((this.first + k) * framesPerStep) - this.start);
      const to = Math.min(this.frameCount, Math.ceil((this.first + k + 1) * framesPerStep) - this.start);
      if (to <= from) continue;
      const row = this.first + k - this.lo;
      const a = this.grid[row * SLOTS + slot];
      const slope = (this.grid[(row + 1) * SLOTS + slot] - a) / framesPerStep;
      const offset = this.start + from - (this.first + k) * framesPerStep;
      for (let i = from; i < to; i++) curve[i] = a + slope * (offset + i - from);
    }
    this.ready[slot] = true;
    return curve;
  }

  /**
   * `map` of one control at every frame of the stretch (a gain from a level,
   * say), into `into` if given (of the stretch's length), else a new array.
   */
  mapped(name: ParamName, map: (value: number) => number, into?: Float32Array): Float32Array {
    const values = this.frames(name);
    const out = into ?? new Float32Array(values.length);
    // The controls move on a 0.25 s grid: mapping every 32nd frame and interpolating is exact
    // for linear maps and within 1e-5 for the smooth ones the voices use.
    const STEP = 32;
    let previous = map(values[0]);
    for (let i = 0; i < values.length; i += STEP) {
      const j = Math.min(values.length - 1, i + STEP);
      const next = map(values[j]);
      const span = j - i || 1;
      for (let n = 0; n < STEP && i + n < values.length; n++) out[i + n] = previous + ((next - previous) * n) / span;
      previous = next;
    }
    return out;
  }
}

/** Perceptual level curve: a 0–1 level to a gain factor. */
export function levelToGain(level: number): number {
  const x = Math.min(1, Math.max(0, level));
  return x * x;
}

/**
 * Whether the level's gain is zero at every story time in [from, to]
 * seconds: every sample of the grid around it is at or under zero, and so
 * is every value interpolated between two of them. A voice whose every
 * sound is scaled by that gain adds exactly nothing there.
 */
export function silentOver(curves: ControlCurves, from: number, to: number): boolean {
  // A sample more on each side than the reads between from and to can touch.
  for (let k = Math.floor(from / CONTROL_STEP) - 1; k <= Math.floor(to / CONTROL_STEP) + 2; k++) {
    if (levelToGain(curves.value("level", k * CONTROL_STEP)) !== 0) return false;
  }
  return true;
}
