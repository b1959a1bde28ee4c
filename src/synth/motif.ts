/**
 * The melody of connection and trust: soft bell-like notes (the phrases are
 * the score's), each a rounded tone with a faint shimmer above it, into a
 * gentle echo.
 *
 *   note: tone (wave table) · envelope ─┐
 *         shimmer (sine) · envelope ────┴→ echoes at 0, 0.62, 1.24 s … → level → out (mono)
 *
 * The echo is a delay line fed back on itself; here each note is drawn again
 * at each of its echoes' times, at the loop's gain (wet × feedback^(k-1)),
 * until they fall below -66 dB: a note and its echoes are found from the
 * note alone, so any chunk draws what rings in it.
 */
import type { ScoreEvent } from "../score/events.ts";
import { CONTROL_STEP } from "../score/controls.ts";
import { levelToGain, type Texture, type TextureContext, type TextureScore } from "./texture.ts";
import { drawWave, FRACTION, FRACTION_MASK, INDEX_SHIFT, phaseStep, WAVE_SIZE, wavePeak } from "./tones.ts";

export interface MotifOptions {
  /** Attack of a note, in seconds (soft, never a pluck). */
  attack: number;
  /** Echo delay, in seconds, and its feedback, 0–1. */
  echo: number;
  feedback: number;
  /** Harmonic amplitudes of the note's body. */
  harmonics: number[];
}

export const MOTIF_DEFAULTS: MotifOptions = {
  attack: 0.09,
  echo: 0.62,
  feedback: 0.3,
  harmonics: [1, 0.12, 0.04],
};

/** Gain of the echo's return, before the feedback. */
const WET = 0.3;
/** Echoes quieter than this (relative to the note) are left out. */
const FLOOR = 5e-4;
/** Longest note the score writes (a phrase's last, 3–5 s), in seconds. */
const LONGEST_NOTE = 5;

/** A partial of a note (its body or its shimmer): its wave, step and an envelope in note-local frames. */
interface Tone {
  wave: Float32Array;
  step: number;
  /** Frames where each segment starts (the last entry ends the partial) and the values there. */
  frames: number[];
  values: number[];
}

export function createMotifTexture(context: TextureContext, options: Partial<MotifOptions>): Texture {
  const o = { ...MOTIF_DEFAULTS, ...options };
  const { rate, score } = context;
  const body = drawWave(
    o.harmonics.map((a) => a / wavePeak(o.harmonics)),
    o.harmonics.map(() => 0),
    new Float32Array(WAVE_SIZE + 1),
  );
  const sine = drawWave([1], [0], new Float32Array(WAVE_SIZE + 1));
  const shimmer = context.rng.fork("shimmer");
  const delay = Math.round(o.echo * rate);
  const taps: number[] = [1];
  for (let g = WET; g >= FLOOR && taps.length < 64; g *= o.feedback) taps.push(g);

  function partials(note: Extract<ScoreEvent, { kind: "note" }>): Tone[] {
    const hz = 440 * 2 ** ((note.midi - 69) / 12);
    const brightness = score.controls(note.time).brightness;
    const detune = 1.002 + 0.002 * shimmer.at(Math.round(note.time * 1000));
    return [
      { wave: body, hz, weight: 1, decay: note.duration },
      { wave: sine, hz: hz * 4 * detune, weight: 0.1 * brightness, decay: note.duration * 0.35 },
    ].map(({ wave, hz, weight, decay }) => {
      const peak = 0.22 * note.velocity * weight;
      // An exponential decay drawn as linear segments: half, quarter, a tenth, then nothing.
      const times = [0, o.attack, o.attack + decay * 0.2, o.attack + decay * 0.45, o.attack + decay * 0.75, o.attack + decay];
      return {
        wave,
        step: phaseStep(hz, rate),
        frames: times.map((t) => Math.ceil(t * rate)),
        values: [0, peak, peak * 0.5, peak * 0.25, peak * 0.1, 0],
      };
    });
  }

  /** Each note's dry sound (by time, then pitch), drawn once and kept while its echoes ring. */
  const drawn = new Map<number, Map<number, Dry>>();
  const pool = new DryPool(rate);
  function dry(note: Extract<ScoreEvent, { kind: "note" }>): Dry {
    let pitches = drawn.get(note.time);
    if (!pitches) {
      pitches = new Map();
      drawn.set(note.time, pitches);
    }
    let sound = pitches.get(note.midi);
    if (!sound) {
      const tones = partials(note);
      let length = 0;
      for (const p of tones) length = Math.max(length, p.frames[p.frames.length - 1]);
      sound = { samples: pool.take(length), length };
      for (const p of tones) addPartial(sound.samples, length, p);
      pitches.set(note.midi, sound);
    }
    return sound;
  }

  // The chunk's mono sum, kept from chunk to chunk and silent between them (cleared where it was written).
  let mono = new Float32Array(0);
  const longest = Math.ceil((LONGEST_NOTE + o.attack) * rate);
  const lookBack = (longest + (taps.length - 1) * delay) / rate;

  return {
    render(out, startFrame) {
      const length = out[0].length;
      const from = startFrame / rate;
      if (mono.length < length) mono = new Float32Array(length);
      // The stretch of `mono` the notes reach: the rest stays silent.
      let low = length;
      let high = 0;
      for (const note of score.events(from - lookBack, (startFrame + length) / rate)) {
        if (note.kind !== "note") continue;
        const first = Math.ceil(note.time * rate);
        for (let k = 0; k < taps.length; k++) {
          const at = first + k * delay - startFrame;
          if (at >= length || at + longest <= 0) continue;
          const sound = dry(note);
          const a = Math.max(0, -at);
          const b = Math.min(sound.length, length - at);
          if (b > a) {
            low = Math.min(low, at + a);
            high = Math.max(high, at + b);
          }
          addScaled(mono, at, taps[k], sound.samples, a, b);
        }
      }
      for (const [time, pitches] of drawn) {
        if (time >= from - lookBack) continue;
        for (const sound of pitches.values()) pool.give(sound.samples);
        drawn.delete(time);
      }
      if (high > low) {
        applyLevel(mono, low, high, startFrame, rate, score, out);
        mono.fill(0, low, high);
      }
    },
  };
}

/** A note's dry sound: its first `length` samples (the array may be longer). */
interface Dry {
  samples: Float32Array;
  length: number;
}

/**
 * Arrays for notes' dry sounds, given back when a note has rung out and
 * taken again by a later one: a note's sound is up to 5 s (a megabyte), and
 * the melody plays a few a second with their echoes. Sized in half seconds,
 * so that any note finds one.
 */
class DryPool {
  private readonly free: Float32Array[] = [];
  private readonly size: number;

  constructor(rate: number) {
    this.size = Math.ceil(rate / 2);
  }

  /** An array of at least `length` samples, silent over them. */
  take(length: number): Float32Array {
    const index = this.free.findIndex((samples) => samples.length >= length);
    if (index === -1) return new Float32Array(Math.ceil(length / this.size) * this.size);
    const samples = this.free[index];
    this.free[index] = this.free[this.free.length - 1];
    this.free.pop();
    return samples.fill(0, 0, length);
  }

  give(samples: Float32Array): void {
    this.free.push(samples);
  }
}

/** Adds `gain × samples[n]` for n in [a, b) into `into` at index `at + n`. */
function addScaled(into: Float32Array, at: number, gain: number, samples: Float32Array, a: number, b: number): void {
  for (let n = a; n < b; n++) into[at + n] += gain * samples[n];
}

/** Adds mono[low, high) into both channels of `out` at the score's level (ramped between its control samples). */
function applyLevel(
  mono: Float32Array,
  low: number,
  high: number,
  startFrame: number,
  rate: number,
  score: TextureScore,
  out: readonly [Float32Array, Float32Array],
): void {
  const cell = CONTROL_STEP * rate;
  const [left, right] = out;
  for (let k = Math.floor((startFrame + low) / cell); k * cell < startFrame + high; k++) {
    const g0 = levelGain(score, k);
    const g1 = levelGain(score, k + 1);
    const from = Math.max(low, Math.ceil(k * cell) - startFrame);
    const to = Math.min(high, Math.ceil((k + 1) * cell) - startFrame);
    for (let i = from; i < to; i++) {
      const v = mono[i] * (g0 + ((g1 - g0) * (startFrame + i - k * cell)) / cell);
      left[i] += v;
      right[i] += v;
    }
  }
}

/** The level's gain at control sample k (of the score's grid). */
function levelGain(score: TextureScore, k: number): number {
  return levelToGain(score.controls(k * CONTROL_STEP).level) * 2;
}

/** Adds partial `p` into out[0, length), its frame 0 at index 0. */
function addPartial(out: Float32Array, length: number, p: Tone): void {
  const { wave, step, frames, values } = p;
  for (let s = 0; s + 1 < frames.length; s++) {
    const a = frames[s];
    const b = Math.min(frames[s + 1], length);
    if (b <= a) continue;
    const v0 = values[s];
    const slope = (values[s + 1] - values[s]) / (frames[s + 1] - frames[s]);
    let phase = Math.imul(step, a);
    for (let n = a; n < b; n++) {
      const k = phase >>> INDEX_SHIFT;
      const w = wave[k];
      out[n] += (v0 + slope * (n - frames[s])) * (w + (wave[k + 1] - w) * (phase & FRACTION_MASK) * FRACTION);
      phase = (phase + step) | 0;
    }
  }
}
