/**
 * The harmonic pad: slow chords whose colour follows the story's mood (the
 * chords are the score's), each note a pair of soft detuned oscillators
 * spread left and right; brightness crossfades a dark and an open lowpass.
 * A swell event lifts the whole pad and settles again.
 *
 *   oscillator (dark wave, bright wave) ×8 a chord → chord envelope ─┐
 *   the chord under it …  ───────────────────────────────────────────┴→ dark·gd + bright·gb → swell → out
 *
 * The lowpasses are fixed and the oscillators periodic, so each filtered
 * oscillator is a periodic wave too: its harmonics scaled and turned by the
 * filter's response at their frequencies. Each oscillator is drawn from a
 * table of its dark and bright waves (or, while the brightness holds, of
 * their mix), at a quarter of the rate, and the chunk is interpolated back up.
 */
import { CONTROL_STEP } from "../score/controls.ts";
import type { ScoreEvent } from "../score/events.ts";
import { CHORD_OVERLAP, CHORD_PERIOD } from "../score/voices/pad.ts";
import { panGains } from "./grains.ts";
import { levelToGain, type Texture, type TextureContext, type TextureScore } from "./texture.ts";
import { addTone, addTonePair, drawWave, lowpassResponse, phaseOf, phaseStep, segments, WAVE_SIZE, wavePeak } from "./tones.ts";

export interface PadOptions {
  /** Cut-off of the dark and of the open filter, in Hz. */
  cutoffHz: [number, number];
  /** Detune of each note's pair, in cents (one up, one down). */
  detuneCents: number;
  /** Attack and release of a chord, in seconds. */
  attack: number;
  release: number;
  /** Harmonic amplitudes of the oscillators' wave (a soft, rounded saw). */
  harmonics: number[];
}

export const PAD_DEFAULTS: PadOptions = {
  cutoffHz: [350, 2600],
  detuneCents: 5,
  attack: 6,
  release: 8,
  harmonics: [1, 0.4, 0.22, 0.12, 0.07, 0.04, 0.025],
};

/**
 * Story frames per frame drawn: the pad is drawn at a quarter of the rate
 * and brought back up by a cubic midpoint to twice that, then linearly
 * (images of a 1 kHz harmonic at -64 dB, of a 2 kHz one at -40 dB; the
 * pad has little above 1 kHz).
 */
const STEP = 4;
/** Left and right gains of the lower and of the upper oscillator of each note (pans -0.6 and 0.6). */
const SIDE_PAN = [-0.6, 0.6].map(panGains);
/** Seconds a swell lasts. */
const SWELL = 16;

interface Note {
  /** The dark and the bright wave, interleaved (2 × (WAVE_SIZE + 1) points). */
  waves: Float32Array;
  /** Their mix at one brightness (cos·dark + sin·bright), drawn while the brightness holds. */
  held?: { brightness: number; wave: Float32Array };
  /** Phase step per drawn frame, and phase at drawn frame 0, of the lower and of the upper oscillator (32-bit). */
  steps: number[];
  phases: number[];
}

interface Chord {
  start: number;
  end: number;
  /** The envelope as (story time, value) points, the note's share of the level included. */
  points: [number, number][];
  notes: Note[];
}

/** Drawn frames [from, to) of a stretch where the brightness holds (at `brightness`) or moves (NaN). */
interface Run {
  from: number;
  to: number;
  brightness: number;
}

/** The score's level gain and brightness on the control grid from index k0. */
interface Grid {
  k0: number;
  /** Drawn frames per grid step. */
  cell: number;
  gains: number[];
  brightness: number[];
  runs: Run[];
}

export function createPadTexture(context: TextureContext, options: Partial<PadOptions>): Texture {
  const o = { ...PAD_DEFAULTS, ...options };
  const { rate, score } = context;
  const drawRate = rate / STEP;
  const drift = context.rng.fork("detune");
  const peak = wavePeak(o.harmonics);
  const responses = o.cutoffHz.map((hz) => lowpassResponse(hz, rate));
  const chords = new Map<number, Chord>();

  function chordOf(event: Extract<ScoreEvent, { kind: "chord" }>): Chord {
    let chord = chords.get(event.time);
    if (!chord) {
      chord = chordSound(o, rate, peak, responses, (...slots) => drift.at(...slots), event);
      chords.set(event.time, chord);
    }
    return chord;
  }

  return {
    render(out, startFrame) {
      const length = out[0].length;
      const [from, to] = [startFrame / rate, (startFrame + length) / rate];
      // Drawn frame j is story frame j·STEP; the stretch needs one before it to two past its end.
      const first = Math.floor(startFrame / STEP) - 1;
      const count = Math.ceil((startFrame + length) / STEP) - first + 2;
      const grid = controlGrid(score, first, count, drawRate);
      // Held lower, upper; dark lower, upper; bright lower, upper.
      const paths = Array.from({ length: 6 }, () => new Float32Array(count));
      for (const event of score.events(from - CHORD_PERIOD - CHORD_OVERLAP, to)) {
        if (event.kind === "chord" && event.time + event.duration > from) addChord(chordOf(event), first, drawRate, grid.runs, paths);
      }
      for (const start of chords.keys()) if (start < from - 2 * (CHORD_PERIOD + CHORD_OVERLAP)) chords.delete(start);
      const swells = score.events(from - SWELL, to).filter((e) => e.kind === "swell");
      const drawn = mixDown(paths, grid, first, swells, 1 / drawRate);
      for (let c = 0; c < 2; c++) upsample(drawn[c], startFrame - first * STEP, out[c]);
    },
  };
}

/** The notes of a chord (their filtered waves and oscillators) and its envelope. */
function chordSound(
  o: PadOptions,
  rate: number,
  peak: number,
  responses: ((hz: number) => [number, number])[],
  random: (...slots: number[]) => number,
  event: Extract<ScoreEvent, { kind: "chord" }>,
): Chord {
  const { time: start, duration, notes: midis } = event;
  const end = start + duration;
  const notes = midis.map((midi, i): Note => {
    const hz = 440 * 2 ** ((midi - 69) / 12);
    const waves = new Float32Array(2 * (WAVE_SIZE + 1));
    responses.forEach((response, path) => {
      const h = o.harmonics.map((_, n) => response((n + 1) * hz));
      const gains = h.map(([re, im], n) => (o.harmonics[n] / peak) * Math.hypot(re, im));
      drawWave(
        gains,
        h.map(([re, im]) => Math.atan2(im, re)),
        waves,
        path,
        2,
      );
    });
    // Two oscillators a few cents apart (single precision, as a Web Audio oscillator holds it), started at the chord's start.
    const detuned = [-1, 1].map((side) =>
      Math.fround(hz * 2 ** ((side * o.detuneCents * (0.7 + 0.6 * random(Math.round(start), i, side))) / 1200)),
    );
    return { waves, steps: detuned.map((f) => phaseStep(f * STEP, rate)), phases: detuned.map((f) => phaseOf(-f * start)) };
  });
  // Two detuned oscillators per note and two chords overlapping: keep their sum well inside ±1.
  const perNote = 0.25 / midis.length;
  // Equal-power-like rise and fall, drawn as a few linear segments.
  const shape = [0, 0.1, 0.35, 0.65, 0.9, 1];
  const points: [number, number][] = [
    ...shape.map((x, i): [number, number] => [start + (o.attack * i) / 5, x * perNote]),
    ...shape.map((_, i): [number, number] => [end - o.release + (o.release * i) / 5, shape[5 - i] * perNote]),
  ];
  return { start, end, points, notes };
}

/** The controls on their grid over drawn frames [first, first + count), and the runs where the brightness holds. */
function controlGrid(score: TextureScore, first: number, count: number, drawRate: number): Grid {
  const cell = CONTROL_STEP * drawRate;
  const k0 = Math.floor(first / cell);
  const grid: Grid = { k0, cell, gains: [], brightness: [], runs: [] };
  for (let k = k0; (k - 1) * cell < first + count; k++) {
    const c = score.controls(k * CONTROL_STEP);
    grid.gains.push(levelToGain(c.level));
    grid.brightness.push(Math.min(1, Math.max(0, c.brightness)));
  }
  for (let k = k0; k * cell < first + count; k++) {
    const [b0, b1] = [grid.brightness[k - k0], grid.brightness[k - k0 + 1]];
    const run = {
      from: Math.max(0, Math.ceil(k * cell) - first),
      to: Math.min(count, Math.ceil((k + 1) * cell) - first),
      brightness: b0 === b1 ? b0 : Number.NaN,
    };
    const last = grid.runs[grid.runs.length - 1];
    if (last && (last.brightness === run.brightness || (Number.isNaN(last.brightness) && Number.isNaN(run.brightness)))) last.to = run.to;
    else if (run.to > run.from) grid.runs.push(run);
  }
  return grid;
}

/** Adds `chord` into the six `paths` over drawn frames from `first` (at `drawRate`), by the runs of brightness. */
function addChord(chord: Chord, first: number, drawRate: number, runs: Run[], paths: Float32Array[]): void {
  const a = Math.max(0, Math.ceil(chord.start * drawRate) - first);
  const b = Math.min(paths[0].length, Math.ceil(chord.end * drawRate) - first);
  if (b <= a) return;
  const own: (Float32Array | undefined)[] = paths.map(() => undefined);
  const path = (p: number) => {
    own[p] ??= new Float32Array(b - a);
    return own[p];
  };
  for (const run of runs) {
    const [from, to] = [Math.max(a, run.from), Math.min(b, run.to)];
    if (to <= from) continue;
    const held = !Number.isNaN(run.brightness);
    for (const note of chord.notes) {
      for (let side = 0; side < 2; side++) {
        const phase = (note.phases[side] + Math.imul(note.steps[side], first + from)) | 0;
        if (held) addTone(heldWave(note, run.brightness), phase, note.steps[side], path(side), from - a, to - a);
        else addTonePair(note.waves, phase, note.steps[side], path(2 + side), path(4 + side), from - a, to - a);
      }
    }
  }
  const envelope = segments(chord.points, first + a, 1 / drawRate, b - a);
  own.forEach((samples, p) => {
    if (samples) addScaled(paths[p], a, envelope, samples);
  });
}

/** Adds `gain[i] × samples[i]` into `into` from index `at`. */
function addScaled(into: Float32Array, at: number, gain: Float32Array, samples: Float32Array): void {
  for (let i = 0; i < samples.length; i++) into[at + i] += gain[i] * samples[i];
}

/** A note's wave at a brightness that holds: the dark and bright waves crossfaded at equal power. */
function heldWave(note: Note, brightness: number): Float32Array {
  if (note.held?.brightness === brightness) return note.held.wave;
  const [dark, bright] = [Math.cos((brightness * Math.PI) / 2), Math.sin((brightness * Math.PI) / 2)];
  const wave = new Float32Array(WAVE_SIZE + 1);
  for (let i = 0; i < wave.length; i++) wave[i] = dark * note.waves[2 * i] + bright * note.waves[2 * i + 1];
  note.held = { brightness, wave };
  return wave;
}

/**
 * The drawn stereo pad: the held mix at the level, the dark and bright mixes
 * at their equal-power shares of it (ramped between the control samples, as
 * the engine's gains were), the sides panned, lifted by any swell.
 */
function mixDown(paths: Float32Array[], grid: Grid, first: number, swells: ScoreEvent[], dt: number): [Float32Array, Float32Array] {
  const count = paths[0].length;
  const { k0, cell, gains, brightness } = grid;
  const [[ll, lr], [ul, ur]] = SIDE_PAN;
  const channels: [Float32Array, Float32Array] = [new Float32Array(count), new Float32Array(count)];
  const [left, right] = channels;
  const [heldLow, heldHigh, darkLow, darkHigh, brightLow, brightHigh] = paths;
  for (let k = k0; k * cell < first + count; k++) {
    const [g0, g1] = [gains[k - k0], gains[k - k0 + 1]];
    const [d0, d1] = [g0 * Math.cos((brightness[k - k0] * Math.PI) / 2), g1 * Math.cos((brightness[k - k0 + 1] * Math.PI) / 2)];
    const [b0, b1] = [g0 * Math.sin((brightness[k - k0] * Math.PI) / 2), g1 * Math.sin((brightness[k - k0 + 1] * Math.PI) / 2)];
    const [from, to] = [Math.max(0, Math.ceil(k * cell) - first), Math.min(count, Math.ceil((k + 1) * cell) - first)];
    for (let j = from; j < to; j++) {
      const f = (first + j) / cell - k;
      if (brightness[k - k0] === brightness[k - k0 + 1]) {
        const g = g0 + (g1 - g0) * f;
        left[j] = g * (ll * heldLow[j] + ul * heldHigh[j]);
        right[j] = g * (lr * heldLow[j] + ur * heldHigh[j]);
        continue;
      }
      const [d, b] = [d0 + (d1 - d0) * f, b0 + (b1 - b0) * f];
      left[j] = d * (ll * darkLow[j] + ul * darkHigh[j]) + b * (ll * brightLow[j] + ul * brightHigh[j]);
      right[j] = d * (lr * darkLow[j] + ur * darkHigh[j]) + b * (lr * brightLow[j] + ur * brightHigh[j]);
    }
  }
  for (const event of swells) {
    if (event.kind !== "swell") continue;
    const [t, lift] = [event.time, 0.9 * event.intensity];
    const swell = segments(
      [
        [t, 0],
        [t + 3, lift * 0.5],
        [t + 6, lift],
        [t + 11, lift * 0.4],
        [t + SWELL, 0],
      ],
      first,
      dt,
      count,
    );
    for (let j = 0; j < count; j++) for (const channel of channels) channel[j] *= 1 + swell[j];
  }
  return channels;
}

/**
 * Adds `drawn` (a frame every STEP story frames, the first `offset` frames
 * before out's first) into `out`: a cubic midpoint between drawn frames,
 * then linear steps between those.
 */
function upsample(drawn: Float32Array, offset: number, out: Float32Array): void {
  const at = (i: number) => {
    const j = Math.floor((offset + i) / STEP);
    const mid = (9 * (drawn[j] + drawn[j + 1]) - drawn[j - 1] - drawn[j + 2]) / 16;
    const r = (offset + i) % STEP;
    return r < 2 ? drawn[j] + ((mid - drawn[j]) * r) / 2 : mid + ((drawn[j + 1] - mid) * (r - 2)) / 2;
  };
  let i = 0;
  for (; i < out.length && (offset + i) % STEP !== 0; i++) out[i] += at(i);
  for (let j = (offset + i) / STEP; i + STEP <= out.length; j++, i += STEP) {
    const [a, b] = [drawn[j], drawn[j + 1]];
    const mid = (9 * (a + b) - drawn[j - 1] - drawn[j + 2]) / 16;
    out[i] += a;
    out[i + 1] += (a + mid) / 2;
    out[i + 2] += mid;
    out[i + 3] += (mid + b) / 2;
  }
  for (; i < out.length; i++) out[i] += at(i);
}
