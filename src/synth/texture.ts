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
import type { ParamName, Params } from "../score/voices/vocabulary.ts";

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

/**
 * The score's controls over a stretch of frames, linearly interpolated
 * between the samples on its grid (CONTROL_STEP), as a ramp between them
 * would sound: the same values whatever stretch is asked for.
 */
export class ControlCurves {
  /** Grid index of the first sample held. */
  private readonly first: number;
  private readonly samples: Params[] = [];
  private readonly cache = new Map<ParamName, Float32Array>();

  constructor(
    private readonly score: TextureScore,
    private readonly rate: number,
    /** First story frame of the stretch. */
    readonly startFrame: number,
    /** Frames in it. */
    readonly length: number,
  ) {
    this.first = Math.floor(startFrame / rate / CONTROL_STEP);
    const last = Math.ceil((startFrame + length) / rate / CONTROL_STEP);
    for (let k = this.first; k <= last; k++) this.samples.push(score.controls(k * CONTROL_STEP));
  }

  /** Every control at story time t (seconds), which may lie a little outside the stretch. */
  at(t: number): Params {
    const x = t / CONTROL_STEP - this.first;
    const k = Math.floor(x);
    if (k < 0 || k + 1 >= this.samples.length) return this.score.controls(t);
    const a = this.samples[k];
    const b = this.samples[k + 1];
    const f = x - k;
    const p = { ...a };
    for (const name of Object.keys(p) as ParamName[]) p[name] = a[name] + (b[name] - a[name]) * f;
    return p;
  }

  /** One control at story time t. */
  value(name: ParamName, t: number): number {
    const x = t / CONTROL_STEP - this.first;
    const k = Math.floor(x);
    if (k < 0 || k + 1 >= this.samples.length) return this.score.controls(t)[name];
    const a = this.samples[k][name];
    return a + (this.samples[k + 1][name] - a) * (x - k);
  }

  /** One control at every frame of the stretch (computed once). */
  frames(name: ParamName): Float32Array {
    let curve = this.cache.get(name);
    if (curve) return curve;
    curve = new Float32Array(this.length);
    const framesPerStep = CONTROL_STEP * this.rate;
    // The control's samples in an array of their own: a lookup by name per frame costs tenfold.
    const values = Float64Array.from(this.samples, (p) => p[name]);
    const { first, startFrame } = this;
    for (let i = 0; i < this.length; i++) {
      const x = (startFrame + i) / framesPerStep - first;
      const k = Math.floor(x);
      const a = values[k];
      curve[i] = a + (values[k + 1] - a) * (x - k);
    }
    this.cache.set(name, curve);
    return curve;
  }

  /** `map` of one control at every frame of the stretch (a gain from a level, say). */
  mapped(name: ParamName, map: (value: number) => number): Float32Array {
    const values = this.frames(name);
    const out = new Float32Array(values.length);
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
