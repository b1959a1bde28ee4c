/**
 * One-shot events in a window of time: the preset's own (a fish leaping, a
 * swell) and those the voices generate (chords, melody notes, lapping water;
 * see voices/). Each is keyed on its voice and slot, never on a running
 * sequence, so the events of [from, to) are the same whatever was computed before.
 */
import type { VoiceSpec } from "./preset-types.ts";
import type { Plan } from "./timeline.ts";
import { VOICES } from "./voices/index.ts";
import type { EventType } from "./voices/vocabulary.ts";
import type { ScoreEvent } from "./voices/voice.ts";

export type { ScoreEvent } from "./voices/voice.ts";

/** Every event of `voice` that starts in [from, to), in time order. */
export function eventsInWindow(plan: Plan, voice: VoiceSpec, from: number, to: number): ScoreEvent[] {
  const end = Math.min(to, plan.total);
  if (!(end > from)) return [];
  const events: ScoreEvent[] = [];
  presetEvents(plan, voice, from, end, events);
  VOICES[voice.type].generate?.(plan, voice, from, end, events);
  return events.sort((a, b) => a.time - b.time);
}

function presetEvents(plan: Plan, voice: VoiceSpec, from: number, to: number, out: ScoreEvent[]): void {
  const own = VOICES[voice.type].presetEvent;
  for (const planned of plan.beats) {
    for (const [i, event] of planned.beat.events.entries()) {
      if (event.voice !== voice.name) continue;
      const time = planned.start + event.at * (planned.end - planned.start);
      if (time < from || time >= to) continue;
      if (own) {
        own(plan, voice, { type: event.type, time, intensity: event.intensity, beat: planned.index, index: i }, out);
      } else {
        // The validator lets only a voice with its own presetEvent (the motif) place a chime.
        out.push({ kind: event.type as Exclude<EventType, "chime">, voice: voice.name, time, intensity: event.intensity });
      }
    }
  }
}
