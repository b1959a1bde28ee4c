/** The pad: slow chords that follow the mood, and swells. */
import { smoothNoise } from "../modulation.ts";
import type { VoiceSpec } from "../preset-types.ts";
import { paramsAt, type Plan } from "../timeline.ts";
import type { ScoreEvent, VoiceDescription } from "./voice.ts";

/** Seconds between chord changes of a pad. */
export const CHORD_PERIOD = 16;
/** Seconds a chord overlaps the next (its release under the next one's attack). */
export const CHORD_OVERLAP = 8;

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

export const PAD: VoiceDescription = {
  params: {
    level: "loudness of the harmony",
    brightness: "how open the filter is",
    mood: "0 dusky minor, 0.5 warm, 1 radiant",
  },
  plays: ["swell"],
  reverbSend: 0.45,
  calibration: "pad",
  motion(p, _plan, _voice, t, rng) {
    p.level *= 1 + 0.08 * smoothNoise(rng, t, 19);
  },
  generate: chords,
};

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
