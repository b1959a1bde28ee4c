/** The motif: short phrases of melody walking the preset's scale, and chimes. */
import type { VoiceSpec } from "../preset-types.ts";
import { paramsAt, type Plan } from "../timeline.ts";
import { SCALES } from "./vocabulary.ts";
import type { ScoreEvent, VoiceDescription } from "./voice.ts";

/** Seconds per slot of phrases (at most one starts in each). */
const PHRASE_SLOT = 9;

export const MOTIF: VoiceDescription = {
  params: {
    level: "loudness of the melody",
    density: "how many notes are played",
    register: "how high the melody sits",
    brightness: "how bell-like the tone is",
  },
  plays: ["chime"],
  reverbSend: 0.55,
  calibration: "motif",
  generate: phrases,
  presetEvent(plan, voice, event, out) {
    const rng = plan.random.fork(`chime:${voice.name}`);
    phrase(plan, voice, event.time, rng.stream(event.beat, event.index), event.intensity, out);
  },
};

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
