/**
 * One-shot events in a window of time: the preset's own (a fish leaping, a
 * swell) and those the voices generate (chords, melody notes, lapping water).
 * Each is keyed on its voice and slot, never on a running sequence, so the
 * events of [from, to) are the same whatever was computed before.
 */
import { bump } from "./modulation.ts";
import type { VoiceSpec } from "./preset.ts";
import { paramsAt, type Plan } from "./timeline.ts";
import { type EventType, SCALES } from "./voice-types.ts";

export type ScoreEvent =
  | { kind: "chord"; voice: string; time: number; duration: number; notes: number[] }
  | { kind: "note"; voice: string; time: number; duration: number; midi: number; velocity: number }
  | { kind: "lap"; voice: string; time: number; strength: number; pan: number }
  | { kind: "wave"; voice: string; time: number; strength: number; pan: number }
  | { kind: "drip"; voice: string; time: number; strength: number; pan: number }
  | { kind: Exclude<EventType, "chime">; voice: string; time: number; intensity: number };

/** Seconds between chord changes of a pad. */
export const CHORD_PERIOD = 16;
/** Seconds a chord overlaps the next (its release under the next one's attack). */
export const CHORD_OVERLAP = 8;
/** Longest event, in seconds: how far back a window must look for events still sounding. */
export const LONGEST_EVENT = CHORD_PERIOD + CHORD_OVERLAP;

const PHRASE_SLOT = 9;
/** Seconds per slot of lapping water (at most one lap starts in each). */
export const LAP_SLOT = 1.7;
/** Seconds per slot of waves on the shore (at most one wave comes in each). */
export const WAVE_SLOT = 6;
/** Seconds per slot of drips from the eaves. */
export const DRIP_SLOT = 0.9;

/**
 * Chord palettes by mood, as semitones above the root. Dusky: minor colours;
 * warm: major sevenths and ninths; radiant: open lydian fifths.
 */
const PALETTES: number[][][] = [
  [
    [0, 7, 10, 15],
    [-4, 3, 8, 12],
    [-7, 5, 8, 12],
    [-2, 5, 10, 14],
  ],
  [
    [0, 7, 14, 16],
    [-7, 5, 12, 16],
    [-3, 7, 12, 16],
    [-5, 7, 11, 14],
  ],
  [
    [0, 7, 14, 18],
    [2, 9, 14, 18],
    [-5, 7, 14, 19],
    [0, 12, 19, 23],
  ],
];

/** Every event of `voice` that starts in [from, to), in time order. */
export function eventsInWindow(plan: Plan, voice: VoiceSpec, from: number, to: number): ScoreEvent[] {
  const end = Math.min(to, plan.total);
  if (!(end > from)) return [];
  const events: ScoreEvent[] = [];
  presetEvents(plan, voice, from, end, events);
  switch (voice.type) {
    case "pad":
      chords(plan, voice, from, end, events);
      break;
    case "motif":
      phrases(plan, voice, from, end, events);
      break;
    case "lake":
      laps(plan, voice, from, end, events);
      break;
    case "waves":
      waves(plan, voice, from, end, events);
      break;
    case "rain":
      drips(plan, voice, from, end, events);
      break;
    default:
      break;
  }
  return events.sort((a, b) => a.time - b.time);
}

function presetEvents(plan: Plan, voice: VoiceSpec, from: number, to: number, out: ScoreEvent[]): void {
  for (const planned of plan.beats) {
    for (const [i, event] of planned.beat.events.entries()) {
      if (event.voice !== voice.name) continue;
      const time = planned.start + event.at * (planned.end - planned.start);
      if (time < from || time >= to) continue;
      if (event.type === "chime") {
        const rng = plan.random.fork(`chime:${voice.name}`);
        phrase(plan, voice, time, rng.stream(planned.index, i), event.intensity, out);
      } else {
        out.push({ kind: event.type, voice: voice.name, time, intensity: event.intensity });
      }
    }
  }
}

function chords(plan: Plan, voice: VoiceSpec, from: number, to: number, out: ScoreEvent[]): void {
  const rng = plan.random.fork(`chords:${voice.name}`);
  const pick = (k: number, size: number) => Math.floor(rng.at(k) * size);
  for (let k = Math.max(0, Math.ceil(from / CHORD_PERIOD)); k * CHORD_PERIOD < to; k++) {
    const time = k * CHORD_PERIOD;
    const mood = paramsAt(plan, voice, time).mood;
    const palette = PALETTES[Math.min(2, Math.floor(mood * 3))];
    let index = pick(k, palette.length);
    // Avoid holding the same chord twice (compared with the neighbour's first pick, so it stays pure).
    if (k > 0 && index === pick(k - 1, palette.length)) index = (index + 1) % palette.length;
    const notes = palette[index].map((n) => voice.root + n);
    out.push({ kind: "chord", voice: voice.name, time, duration: CHORD_PERIOD + CHORD_OVERLAP, notes });
  }
}

function phrases(plan: Plan, voice: VoiceSpec, from: number, to: number, out: ScoreEvent[]): void {
  const rng = plan.random.fork(`phrases:${voice.name}`);
  const first = Math.floor(from / PHRASE_SLOT) - 1;
  for (let k = Math.max(0, first); k * PHRASE_SLOT < to; k++) {
    const slotStart = k * PHRASE_SLOT;
    const { density, level } = paramsAt(plan, voice, slotStart);
    if (level <= 0.001 || rng.at(k, 0) >= density * 0.85) continue;
    const notes: ScoreEvent[] = [];
    phrase(plan, voice, slotStart + rng.at(k, 1) * 3, rng.stream(k), 0.5 + 0.4 * rng.at(k, 2), notes);
    for (const note of notes) if (note.time >= from && note.time < to) out.push(note);
  }
}

/** A short melodic phrase: a few notes walking the scale, seeded by `next`. */
function phrase(plan: Plan, voice: VoiceSpec, start: number, next: () => number, strength: number, out: ScoreEvent[]): void {
  const scale = SCALES[voice.scale];
  const register = paramsAt(plan, voice, start).register;
  const count = 3 + Math.floor(next() * 4);
  let degree = Math.round(register * scale.length) + Math.floor(next() * 3);
  let time = start;
  for (let i = 0; i < count; i++) {
    const octave = Math.floor(degree / scale.length);
    const midi = voice.root + 12 + 12 * octave + scale[((degree % scale.length) + scale.length) % scale.length];
    const last = i === count - 1;
    const duration = last ? 3 + next() * 2 : 1.2 + next() * 1.5;
    const velocity = strength * (0.75 + 0.25 * next()) * (i === 0 ? 1 : 0.85);
    out.push({ kind: "note", voice: voice.name, time, duration, midi, velocity });
    const step = [-2, -1, 1, 1, 2][Math.floor(next() * 5)];
    degree = Math.max(0, Math.min(scale.length * 2, degree + step));
    time += 0.7 + next() * 0.9;
  }
}

function laps(plan: Plan, voice: VoiceSpec, from: number, to: number, out: ScoreEvent[]): void {
  const rng = plan.random.fork(`laps:${voice.name}`);
  for (let k = Math.max(0, Math.floor(from / LAP_SLOT) - 1); k * LAP_SLOT < to; k++) {
    const slotStart = k * LAP_SLOT;
    const { density, level } = paramsAt(plan, voice, slotStart);
    if (level <= 0.001 || rng.at(k, 0) >= 0.2 + 0.75 * density) continue;
    const time = slotStart + rng.at(k, 1) * LAP_SLOT;
    if (time < from || time >= to) continue;
    out.push({
      kind: "lap",
      voice: voice.name,
      time,
      strength: 0.35 + 0.65 * rng.at(k, 2),
      pan: (rng.at(k, 3) * 2 - 1) * 0.7,
    });
  }
}

function waves(plan: Plan, voice: VoiceSpec, from: number, to: number, out: ScoreEvent[]): void {
  const rng = plan.random.fork(`waves:${voice.name}`);
  for (let k = Math.max(0, Math.floor(from / WAVE_SLOT) - 1); k * WAVE_SLOT < to; k++) {
    const slotStart = k * WAVE_SLOT;
    const { density, level } = paramsAt(plan, voice, slotStart);
    if (level <= 0.001 || rng.at(k, 0) >= 0.6 + 0.4 * density) continue;
    const time = slotStart + rng.at(k, 1) * 2.5;
    if (time < from || time >= to) continue;
    // A surge lifts the waves around it: a set of larger ones, then calm again.
    const surge = 1 + 0.6 * presetEventField(plan, voice, "surge", time, 30);
    const strength = Math.min(1.5, (0.7 + 0.3 * rng.at(k, 2)) * surge);
    out.push({ kind: "wave", voice: voice.name, time, strength, pan: (rng.at(k, 3) * 2 - 1) * 0.5 });
  }
}

function drips(plan: Plan, voice: VoiceSpec, from: number, to: number, out: ScoreEvent[]): void {
  const rng = plan.random.fork(`drips:${voice.name}`);
  for (let k = Math.max(0, Math.floor(from / DRIP_SLOT)); k * DRIP_SLOT < to; k++) {
    const slotStart = k * DRIP_SLOT;
    const { density, level } = paramsAt(plan, voice, slotStart);
    if (level <= 0.001 || rng.at(k, 0) >= 0.2 + 0.4 * density) continue;
    const time = slotStart + rng.at(k, 1) * DRIP_SLOT;
    if (time < from || time >= to) continue;
    const strength = 0.25 + 0.75 * rng.at(k, 2) ** 2;
    out.push({ kind: "drip", voice: voice.name, time, strength, pan: (rng.at(k, 3) * 2 - 1) * 0.8 });
  }
}

/**
 * How strongly the preset's events of `type` for `voice` act at time t: the
 * sum of their intensities, each a raised-cosine bump of `halfWidth` seconds
 * around its time (a gust passing, a shower, a surge of waves).
 */
export function presetEventField(plan: Plan, voice: VoiceSpec, type: EventType, t: number, halfWidth: number): number {
  let sum = 0;
  for (const planned of plan.beats) {
    for (const event of planned.beat.events) {
      if (event.voice !== voice.name || event.type !== type) continue;
      const centre = planned.start + event.at * (planned.end - planned.start);
      sum += event.intensity * bump(t, centre, halfWidth);
    }
  }
  return sum;
}
