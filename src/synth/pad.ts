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
const [[LOW_LEFT, LOW_RIGHT], [HIGH_LEFT, HIGH_RIGHT]] = [-0.6, 0.6].map(panGains);
/** Seconds a swell lasts. */
const SWELL = 16;

interface Chord {
  start: number;
  end: number;
  /** The envelope as (story time, value) points, the note's share of the level included. */
  points: [number, number][];
  /** Each note's dark and bright wave, interleaved (2 × (WAVE_SIZE + 1) points). */
  pairs: Float32Array[];
  /** Each note's mix of them at brightness `heldAt` (cos·dark + sin·bright), drawn while the brightness holds. */
  held: Float32Array[];
  heldAt: number;
  /** Phase step per drawn frame, and phase at drawn frame 0, of each note's lower ([0]) and upper ([1]) oscillator (32-bit). */
  steps: [Int32Array, Int32Array];
  phases: [Int32Array, Int32Array];
}

/** Drawn frames [from, to) of a stretch where the brightness holds (at `brightness`) or moves (NaN). */
interface Run {
  from: number;
  to: number;
  brightness: number;
}

/** The score's level gain and brightness on the control grid from index k0, and the runs of brightness over a chunk. */
interface Grid {
  k0: number;
  /** Drawn frames per grid step. */
  cell: number;
  gains: Float64Array;
  brightness: Float64Array;
  /** The chunk's runs are the first `runCount` (the rest are kept for later chunks). */
  runs: Run[];
  runCount: number;
}

/**
 * A chunk's working arrays, kept from chunk to chunk and made again only
 * when a chunk needs more drawn frames: a chunk is about 12,000 of them, and
 * new arrays for each cost more in allocation and collection than drawing.
 */
interface Scratch {
  /** Held lower, upper; dark lower, upper; bright lower, upper (the chords' sum, before the mix). */
  paths: Float32Array[];
  /** The same six of one chord, before its envelope. */
  own: Float32Array[];
  /** The drawn stereo pad. */
  channels: [Float32Array, Float32Array];
  /** A chord's envelope, a swell's lift, over drawn frames. */
  envelope: Float32Array;
  swell: Float32Array;
}

export function createPadTexture(context: TextureContext, options: Partial<PadOptions>): Texture {
  const o = { ...PAD_DEFAULTS, ...options };
  const { rate, score } = context;
  const drawRate = rate / STEP;
  const drift = context.rng.fork("detune");
  const random = (...slots: number[]) => drift.at(...slots);
  const peak = wavePeak(o.harmonics);
  const responses = o.cutoffHz.map((hz) => lowpassResponse(hz, rate));
  const chords = new Map<number, Chord>();
  const grid: Grid = {
    k0: 0,
    cell: CONTROL_STEP * drawRate,
    gains: new Float64Array(0),
    brightness: new Float64Array(0),
    runs: [],
    runCount: 0,
  };
  let scratch = makeScratch(0);
  const swellPoints: [number, number][] = [
    [0, 0],
    [0, 0],
    [0, 0],
    [0, 0],
    [0, 0],
  ];

  function chordOf(event: Extract<ScoreEvent, { kind: "chord" }>): Chord {
    let chord = chords.get(event.time);
    if (!chord) {
      chord = chordSound(o, rate, peak, responses, random, event);
      chords.set(event.time, chord);
    }
    return chord;
  }

  return {
    render(out, startFrame) {
      const length = out[0].length;
      const from = startFrame / rate;
      const to = (startFrame + length) / rate;
      // Drawn frame j is story frame j·STEP; the stretch needs one before it to two past its end.
      const first = Math.floor(startFrame / STEP) - 1;
      const count = Math.ceil((startFrame + length) / STEP) - first + 2;
      if (scratch.envelope.length < count) scratch = makeScratch(count);
      for (const path of scratch.paths) path.fill(0, 0, count);
      controlGrid(score, first, count, grid);
      for (const event of score.events(from - CHORD_PERIOD - CHORD_OVERLAP, to)) {
        if (event.kind !== "chord" || event.time + event.duration <= from) continue;
        addChord(chordOf(event), first, count, drawRate, grid, scratch);
      }
      for (const start of chords.keys()) if (start < from - 2 * (CHORD_PERIOD + CHORD_OVERLAP)) chords.delete(start);
      mixDown(scratch, count, grid, first);
      for (const event of score.events(from - SWELL, to)) {
        if (event.kind !== "swell") continue;
        const [t, lift] = [event.time, 0.9 * event.intensity];
        setPoint(swellPoints[0], t, 0);
        setPoint(swellPoints[1], t + 3, lift * 0.5);
        setPoint(swellPoints[2], t + 6, lift);
        setPoint(swellPoints[3], t + 11, lift * 0.4);
        setPoint(swellPoints[4], t + SWELL, 0);
        const swell = segments(swellPoints, first, 1 / drawRate, count, scratch.swell);
        const [left, right] = scratch.channels;
        for (let j = 0; j < count; j++) {
          left[j] *= 1 + swell[j];
          right[j] *= 1 + swell[j];
        }
      }
      for (let c = 0; c < 2; c++) upsample(scratch.channels[c], startFrame - first * STEP, out[c]);
    },
  };
}

function makeScratch(count: number): Scratch {
  return {
    paths: Array.from({ length: 6 }, () => new Float32Array(count)),
    own: Array.from({ length: 6 }, () => new Float32Array(count)),
    channels: [new Float32Array(count), new Float32Array(count)],
    envelope: new Float32Array(count),
    swell: new Float32Array(count),
  };
}

function setPoint(point: [number, number], time: number, value: number): void {
  point[0] = time;
  point[1] = value;
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
  const chord: Chord = {
    start,
    end,
    points: [],
    pairs: [],
    held: [],
    heldAt: Number.NaN,
    steps: [new Int32Array(midis.length), new Int32Array(midis.length)],
    phases: [new Int32Array(midis.length), new Int32Array(midis.length)],
  };
  midis.forEach((midi, i) => {
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
    chord.pairs.push(waves);
    chord.held.push(new Float32Array(WAVE_SIZE + 1));
    // Two oscillators a few cents apart (single precision, as a Web Audio oscillator holds it), started at the chord's start.
    [-1, 1].forEach((side, s) => {
      const f = Math.fround(hz * 2 ** ((side * o.detuneCents * (0.7 + 0.6 * random(Math.round(start), i, side))) / 1200));
      chord.steps[s][i] = phaseStep(f * STEP, rate);
      chord.phases[s][i] = phaseOf(-f * start);
    });
  });
  // Two detuned oscillators per note and two chords overlapping: keep their sum well inside ±1.
  const perNote = 0.25 / midis.length;
  // Equal-power-like rise and fall, drawn as a few linear segments.
  const shape = [0, 0.1, 0.35, 0.65, 0.9, 1];
  chord.points = [
    ...shape.map((x, i): [number, number] => [start + (o.attack * i) / 5, x * perNote]),
    ...shape.map((_, i): [number, number] => [end - o.release + (o.release * i) / 5, shape[5 - i] * perNote]),
  ];
  return chord;
}

/** The controls on their grid over drawn frames [first, first + count), and the runs where the brightness holds, into `grid`. */
function controlGrid(score: TextureScore, first: number, count: number, grid: Grid): void {
  const { cell } = grid;
  const k0 = Math.floor(first / cell);
  grid.k0 = k0;
  const samples = Math.ceil((first + count) / cell) + 2 - k0;
  if (grid.gains.length < samples) {
    grid.gains = new Float64Array(samples);
    grid.brightness = new Float64Array(samples);
  }
  const { gains, brightness, runs } = grid;
  for (let k = k0; (k - 1) * cell < first + count; k++) {
    const c = score.controls(k * CONTROL_STEP);
    gains[k - k0] = levelToGain(c.level);
    brightness[k - k0] = Math.min(1, Math.max(0, c.brightness));
  }
  grid.runCount = 0;
  for (let k = k0; k * cell < first + count; k++) {
    const b0 = brightness[k - k0];
    const b1 = brightness[k - k0 + 1];
    const from = Math.max(0, Math.ceil(k * cell) - first);
    const to = Math.min(count, Math.ceil((k + 1) * cell) - first);
    const held = b0 === b1 ? b0 : Number.NaN;
    const last = grid.runCount > 0 ? runs[grid.runCount - 1] : undefined;
    if (last && (last.brightness === held || (Number.isNaN(last.brightness) && Number.isNaN(held)))) last.to = to;
    else if (to > from) {
      runs[grid.runCount] ??= { from: 0, to: 0, brightness: 0 };
      const run = runs[grid.runCount++];
      run.from = from;
      run.to = to;
      run.brightness = held;
    }
  }
}

/** Adds `chord` into the six paths over drawn frames [first, first + count) (at `drawRate`), by the runs of brightness. */
function addChord(chord: Chord, first: number, count: number, drawRate: number, grid: Grid, scratch: Scratch): void {
  const a = Math.max(0, Math.ceil(chord.start * drawRate) - first);
  const b = Math.min(count, Math.ceil(chord.end * drawRate) - first);
  if (b <= a) return;
  const { own } = scratch;
  // The chord's own paths that its runs write (held, or dark and bright), cleared first.
  let held = false;
  let moving = false;
  for (let r = 0; r < grid.runCount; r++) {
    const run = grid.runs[r];
    if (Math.max(a, run.from) >= Math.min(b, run.to)) continue;
    if (Number.isNaN(run.brightness)) moving = true;
    else held = true;
  }
  for (let p = 0; p < 6; p++) if (p < 2 ? held : moving) own[p].fill(0, 0, b - a);
  for (let r = 0; r < grid.runCount; r++) {
    const run = grid.runs[r];
    const from = Math.max(a, run.from);
    const to = Math.min(b, run.to);
    if (to <= from) continue;
    const holds = !Number.isNaN(run.brightness);
    const waves = holds ? heldWaves(chord, run.brightness) : chord.pairs;
    for (let n = 0; n < waves.length; n++) {
      for (let side = 0; side < 2; side++) {
        const step = chord.steps[side][n];
        const phase = (chord.phases[side][n] + Math.imul(step, first + from)) | 0;
        if (holds) addTone(waves[n], phase, step, own[side], from - a, to - a);
        else addTonePair(waves[n], phase, step, own[2 + side], own[4 + side], from - a, to - a);
      }
    }
  }
  const envelope = segments(chord.points, first + a, 1 / drawRate, b - a, scratch.envelope);
  for (let p = 0; p < 6; p++) if (p < 2 ? held : moving) addScaled(scratch.paths[p], a, envelope, own[p], b - a);
}

/** Adds `gain[i] × samples[i]` for i in [0, length) into `into` from index `at`. */
function addScaled(into: Float32Array, at: number, gain: Float32Array, samples: Float32Array, length: number): void {
  for (let i = 0; i < length; i++) into[at + i] += gain[i] * samples[i];
}

/** The chord's notes' waves at a brightness that holds: the dark and bright waves crossfaded at equal power. */
function heldWaves(chord: Chord, brightness: number): Float32Array[] {
  if (chord.heldAt === brightness) return chord.held;
  const dark = Math.cos((brightness * Math.PI) / 2);
  const bright = Math.sin((brightness * Math.PI) / 2);
  chord.held.forEach((wave, n) => {
    const pair = chord.pairs[n];
    for (let i = 0; i < wave.length; i++) wave[i] = dark * pair[2 * i] + bright * pair[2 * i + 1];
  });
  chord.heldAt = brightness;
  return chord.held;
}

/**
 * The drawn stereo pad, into the scratch's channels: the held mix at the
 * level, the dark and bright mixes at their equal-power shares of it
 * (ramped between the control samples, as the engine's gains were), the
 * sides panned.
 */
function mixDown(scratch: Scratch, count: number, grid: Grid, first: number): void {
  const { k0, cell, gains, brightness } = grid;
  const [left, right] = scratch.channels;
  const [heldLow, heldHigh, darkLow, darkHigh, brightLow, brightHigh] = scratch.paths;
  for (let k = k0; k * cell < first + count; k++) {
    const g0 = gains[k - k0];
    const g1 = gains[k - k0 + 1];
    const from = Math.max(0, Math.ceil(k * cell) - first);
    const to = Math.min(count, Math.ceil((k + 1) * cell) - first);
    if (brightness[k - k0] === brightness[k - k0 + 1]) {
      for (let j = from; j < to; j++) {
        const g = g0 + (g1 - g0) * ((first + j) / cell - k);
        left[j] = g * (LOW_LEFT * heldLow[j] + HIGH_LEFT * heldHigh[j]);
        right[j] = g * (LOW_RIGHT * heldLow[j] + HIGH_RIGHT * heldHigh[j]);
      }
      continue;
    }
    const d0 = g0 * Math.cos((brightness[k - k0] * Math.PI) / 2);
    const d1 = g1 * Math.cos((brightness[k - k0 + 1] * Math.PI) / 2);
    const b0 = g0 * Math.sin((brightness[k - k0] * Math.PI) / 2);
    const b1 = g1 * Math.sin((brightness[k - k0 + 1] * Math.PI) / 2);
    for (let j = from; j < to; j++) {
      const f = (first + j) / cell - k;
      const d = d0 + (d1 - d0) * f;
      const b = b0 + (b1 - b0) * f;
      left[j] = d * (LOW_LEFT * darkLow[j] + HIGH_LEFT * darkHigh[j]) + b * (LOW_LEFT * brightLow[j] + HIGH_LEFT * brightHigh[j]);
      right[j] = d * (LOW_RIGHT * darkLow[j] + HIGH_RIGHT * darkHigh[j]) + b * (LOW_RIGHT * brightLow[j] + HIGH_RIGHT * brightHigh[j]);
    }
  }
}

/** drawn's value at out's frame i (a frame every STEP story frames, the first `offset` frames before out's first). */
function between(drawn: Float32Array, offset: number, i: number): number {
  const j = Math.floor((offset + i) / STEP);
  const mid = (9 * (drawn[j] + drawn[j + 1]) - drawn[j - 1] - drawn[j + 2]) / 16;
  const r = (offset + i) % STEP;
  return r < 2 ? drawn[j] + ((mid - drawn[j]) * r) / 2 : mid + ((drawn[j + 1] - mid) * (r - 2)) / 2;
}

/**
 * Adds `drawn` (a frame every STEP story frames, the first `offset` frames
 * before out's first) into `out`: a cubic midpoint between drawn frames,
 * then linear steps between those.
 */
function upsample(drawn: Float32Array, offset: number, out: Float32Array): void {
  let i = 0;
  for (; i < out.length && (offset + i) % STEP !== 0; i++) out[i] += between(drawn, offset, i);
  for (let j = ((offset + i) / STEP) | 0; i + STEP <= out.length; j++, i += STEP) {
    const a = drawn[j];
    const b = drawn[j + 1];
    const mid = (9 * (a + b) - drawn[j - 1] - drawn[j + 2]) / 16;
    out[i] += a;
    out[i + 1] += (a + mid) / 2;
    out[i + 2] += mid;
    out[i + 3] += (mid + b) / 2;
  }
  for (; i < out.length; i++) out[i] += between(drawn, offset, i);
}
