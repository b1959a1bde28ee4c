/**
 * What a voice type is, on the score's side: what its parameters mean, the
 * preset events it plays, its slow motion, the events it makes itself, its
 * reverb send and its calibration. Its graph is on the engine's side
 * (src/engine/voices/), since the score never imports Tone.
 */
import type { Random } from "../../core/random.ts";
import { bump } from "../modulation.ts";
import type { VoiceSpec } from "../preset-types.ts";
import type { Plan } from "../timeline.ts";
import type { EventType, ParamName, Params } from "./vocabulary.ts";

export type ScoreEvent =
  | { kind: "chord"; voice: string; time: number; duration: number; notes: number[] }
  | { kind: "note"; voice: string; time: number; duration: number; midi: number; velocity: number }
  | { kind: "lap"; voice: string; time: number; strength: number; pan: number }
  | { kind: "wave"; voice: string; time: number; strength: number; pan: number }
  | { kind: "drip"; voice: string; time: number; strength: number; pan: number }
  | { kind: Exclude<EventType, "chime">; voice: string; time: number; intensity: number };

/** One of the preset's events, placed in story time. */
export interface PlacedEvent {
  type: EventType;
  /** Story time, in seconds. */
  time: number;
  /** 0–1. */
  intensity: number;
  /** Index of its beat in the plan. */
  beat: number;
  /** Index of the event in its beat. */
  index: number;
}

export interface VoiceDescription {
  /** What each parameter a beat may move means (the page shows these as hints). */
  params: Partial<Record<ParamName, string>>;
  /** The preset events this voice plays. */
  plays: readonly EventType[];
  /** How much of the voice goes to the shared reverb, 0–1. */
  reverbSend: number;
  /** Its entry in voice-loudness.json. */
  calibration: string;
  /**
   * Its own slow motion on top of the beat's targets `p` at story time t
   * (changed in place); `rng` is the voice's motion source.
   */
  motion?(p: Params, plan: Plan, voice: VoiceSpec, t: number, rng: Random): void;
  /** Appends the events it makes itself that start in [from, to). */
  generate?(plan: Plan, voice: VoiceSpec, from: number, to: number, out: ScoreEvent[]): void;
  /** Appends what one of its preset events plays; by default the event itself. */
  presetEvent?(plan: Plan, voice: VoiceSpec, event: PlacedEvent, out: ScoreEvent[]): void;
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

export function clamp(x: number): number {
  return Math.min(1, Math.max(0, x));
}
