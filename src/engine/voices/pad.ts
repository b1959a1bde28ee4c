/**
 * The harmonic pad: slow chords whose colour follows the story's mood (the
 * chords come from the score), each note a pair of soft detuned oscillators
 * spread left and right; brightness crossfades a dark and an open lowpass.
 * A swell event lifts the whole pad and settles again.
 *
 *   chord k: buffers of 5 s ─┐
 *   chord k+1 …  ────────────┴→ swell ─┬→ lowpass dark → gain ─┬→ out
 *                                      └→ lowpass bright → gain ┘
 *
 * A chord's oscillators, its envelope and the pan of its two sides are drawn
 * here, into a buffer per 5 s of story time, from the wave table an
 * oscillator would play (the same sound, to interpolation error, below
 * -90 dB): a dozen native oscillators cost a render more than all the rest
 * of the pad, and a chord's samples are a pure function of story time, so
 * any window of it is the same.
 */
import * as Tone from "tone";
import type { ScoreEvent } from "../../score/events.ts";
import type { Random } from "../../core/random.ts";
import type { Params } from "../../score/voice-types.ts";
import { quantumFrames } from "../../core/frames.ts";
import {
  biquads,
  darkBright,
  envelope,
  levelToGain,
  localFrame,
  midiToHz,
  NodePool,
  playBuffer,
  quantumStart,
  Ramp,
  type Voice,
  type VoiceContext,
  WAVE_TABLE_SIZE,
  waveTable,
} from "../kit.ts";

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

/** Seconds of a chord per generated buffer (to whole render quanta), on the story's grid. */
const CHUNK = 5;
/** Pan of the lower and of the upper oscillator of each note, -1 to 1. */
const SIDE_PAN = [-0.6, 0.6];

interface Chord {
  start: number;
  end: number;
  /** The envelope as (story time, value) points, the note's share of the level included. */
  points: [number, number][];
  /** Frequency (Hz, single precision as a Web Audio oscillator holds it) and side of each oscillator. */
  oscillators: { frequency: number; side: number }[];
  /** Index of the next chunk to generate. */
  next: number;
}

export function createPad(vc: VoiceContext, options: Partial<PadOptions>, rng: Random): Voice {
  const o = { ...PAD_DEFAULTS, ...options };
  const { context } = vc;
  const rate = context.sampleRate;
  const chunkFrames = quantumFrames(CHUNK, rate);
  const filters = o.cutoffHz.map((hz) => biquads(context, "lowpass", hz)[0]);
  const gains = filters.map(() => new Tone.Gain({ context, gain: 0 }));
  const swell = new Tone.Gain({ context, gain: 1 });
  const output = new Tone.Gain({ context });
  swell.fan(...filters);
  filters.forEach((filter, i) => {
    filter.chain(gains[i], output);
  });
  const sources = new NodePool(vc);
  const ramps = gains.map((gain) => new Ramp(vc, gain.gain));
  const drift = rng.fork("detune");
  const table = waveTable(o.harmonics);
  // Equal-power pan of a mono signal, as Web Audio's StereoPannerNode does it.
  const panGains = SIDE_PAN.map((pan) => [Math.cos(((pan + 1) * Math.PI) / 4), Math.sin(((pan + 1) * Math.PI) / 4)]);
  const chords: Chord[] = [];
  let coveredTo = vc.start;

  function playChord(event: Extract<ScoreEvent, { kind: "chord" }>): void {
    const start = event.time;
    const end = start + event.duration;
    if (end <= vc.start) return;
    const { points, oscillators } = chordSound(o, drift, event.notes, start, end);
    const chord = { start, end, points, oscillators, next: Math.floor((Math.max(start, vc.start) * rate) / chunkFrames) };
    chords.push(chord);
    fill(chord);
  }

  /** Generates the chord's buffers that begin before the covered time. */
  function fill(chord: Chord): void {
    for (; (chord.next * chunkFrames) / rate < Math.min(coveredTo, chord.end); chord.next++) {
      const first = Math.max(chord.next * chunkFrames, Math.round(vc.start * rate));
      // A chord's first buffer begins on the render quantum of its start (silent before it, see
      // applyEnvelope), so that it plays by a plain copy (see localFrame).
      const from = Math.max(first, quantumStart(vc, Math.floor(chord.start * rate)));
      const to = Math.min((chord.next + 1) * chunkFrames, Math.ceil(chord.end * rate));
      if (to <= from) continue;
      const buffer = context.createBuffer(2, to - from, rate);
      draw(chord, from, buffer.getChannelData(0), buffer.getChannelData(1));
      playBuffer(vc, sources, buffer, [swell], localFrame(vc, from), to / rate);
    }
  }

  /** Draws the chord from story frame `from` into `left` and `right`. */
  function draw(chord: Chord, from: number, left: Float32Array, right: Float32Array): void {
    for (const { frequency, side } of chord.oscillators) {
      const cycles = frequency * (from / rate - chord.start);
      addWave(table, cycles - Math.floor(cycles), frequency / rate, panGains[side][0], panGains[side][1], left, right);
    }
    applyEnvelope(chord.points, chord.start, chord.end, from, rate, left, right);
  }

  return {
    output,
    set(c: Params, time: number) {
      darkBright(levelToGain(c.level), c.brightness).forEach((gain, i) => {
        ramps[i].to(gain, time);
      });
    },
    play(event) {
      if (event.kind === "chord") playChord(event);
      else if (event.kind === "swell" && event.time >= vc.start) playSwell(vc, swell, event.time, event.intensity);
    },
    cover(_from, to) {
      coveredTo = Math.max(coveredTo, to);
      for (let i = chords.length - 1; i >= 0; i--) {
        fill(chords[i]);
        if ((chords[i].next * chunkFrames) / rate >= chords[i].end) chords.splice(i, 1);
      }
    },
    dispose() {
      sources.dispose();
      for (const node of [...filters, ...gains, swell, output]) node.dispose();
    },
  };
}

/** The oscillators of a chord of `notes` (MIDI) from `start` to `end` (story seconds), and its envelope. */
function chordSound(o: PadOptions, drift: Random, notes: number[], start: number, end: number): Pick<Chord, "points" | "oscillators"> {
  // Two detuned oscillators per note and two chords overlapping: keep their sum well inside ±1.
  const perNote = 0.25 / notes.length;
  const oscillators = notes.flatMap((midi, i) =>
    [-1, 1].map((side) => {
      const cents = side * o.detuneCents * (0.7 + 0.6 * drift.at(Math.round(start), i, side));
      return { frequency: Math.fround(midiToHz(midi) * 2 ** (cents / 1200)), side: side < 0 ? 0 : 1 };
    }),
  );
  // Equal-power-like rise and fall, drawn as a few linear segments.
  const shape = [0, 0.1, 0.35, 0.65, 0.9, 1];
  const points: [number, number][] = [
    ...shape.map((x, i): [number, number] => [start + (o.attack * i) / 5, x * perNote]),
    ...shape.map((_, i): [number, number] => [end - o.release + (o.release * i) / 5, shape[5 - i] * perNote]),
  ];
  return { points, oscillators };
}

/** The harmony swelling and settling over 16 s from story time `time`. */
function playSwell(vc: VoiceContext, swell: Tone.Gain, time: number, intensity: number): void {
  const lift = 1 + 0.9 * intensity;
  envelope(vc, swell.gain, [
    [time, 1],
    [time + 3, 1 + (lift - 1) * 0.5],
    [time + 6, lift],
    [time + 11, 1 + (lift - 1) * 0.4],
    [time + 16, 1],
  ]);
}

/**
 * Adds a wave drawn from `table` (a cycle of WAVE_TABLE_SIZE points and a
 * guard point), from `phase` (cycles, 0–1) on by `step` cycles a sample,
 * into `left` and `right` with the given gains. A plain function of its
 * arguments, so V8 compiles its loop once for every pad.
 */
function addWave(table: Float32Array, phase: number, step: number, gl: number, gr: number, left: Float32Array, right: Float32Array): void {
  const n = left.length;
  for (let i = 0; i < n; i++) {
    const position = phase * WAVE_TABLE_SIZE;
    const k = position | 0;
    const a = table[k];
    const v = a + (table[k + 1] - a) * (position - k);
    left[i] += gl * v;
    right[i] += gr * v;
    phase += step;
    if (phase >= 1) phase -= 1;
  }
}

/**
 * Multiplies `left` and `right`, which begin at story frame `from`, by a
 * piecewise-linear envelope of (story time, value) points, as a Web Audio
 * gain ramped through them would, and by zero outside [start, end).
 */
function applyEnvelope(
  points: [number, number][],
  start: number,
  end: number,
  from: number,
  rate: number,
  left: Float32Array,
  right: Float32Array,
): void {
  const n = left.length;
  const first = Math.max(0, Math.min(n, Math.ceil(start * rate) - from));
  const stop = Math.max(first, Math.min(n, Math.ceil(end * rate) - from));
  left.fill(0, 0, first);
  right.fill(0, 0, first);
  left.fill(0, stop);
  right.fill(0, stop);
  // Segment by segment: the samples whose time falls in [t0, t1), with the gain stepped along.
  for (let k = 0; k + 1 < points.length; k++) {
    const [t0, v0] = points[k];
    const [t1, v1] = points[k + 1];
    const a = Math.max(first, Math.ceil(t0 * rate) - from);
    const b = Math.min(stop, k + 2 === points.length ? stop : Math.ceil(t1 * rate) - from);
    if (b <= a) continue;
    const slope = t1 > t0 ? (v1 - v0) / (t1 - t0) / rate : 0;
    let gain = v0 + slope * (from + a - t0 * rate);
    if (slope === 0) {
      for (let i = a; i < b; i++) {
        left[i] *= gain;
        right[i] *= gain;
      }
      continue;
    }
    for (let i = a; i < b; i++) {
      left[i] *= gain;
      right[i] *= gain;
      gain += slope;
    }
  }
}
