/** A lake: water lapping at the shore, and now and then a fish leaping. */
import type { VoiceSpec } from "../preset-types.ts";
import { paramsAt, type Plan } from "../timeline.ts";
import type { ScoreEvent, VoiceDescription } from "./voice.ts";

/** Seconds per slot of lapping water (at most one lap starts in each). */
export const LAP_SLOT = 1.7;

export const LAKE: VoiceDescription = {
  params: {
    level: "loudness of the water",
    density: "how often the water laps",
    brightness: "how clear the lapping is",
  },
  plays: ["leap"],
  reverbSend: 0.3,
  calibration: "lake",
  generate: laps,
};

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
