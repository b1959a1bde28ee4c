/** The sea: waves coming in and drawing back over shingle, and sets of larger ones. */
import { smoothNoise } from "../modulation.ts";
import type { VoiceSpec } from "../preset-types.ts";
import { paramsAt, type Plan } from "../timeline.ts";
import { clamp, presetEventField, type ScoreEvent, type VoiceDescription } from "./voice.ts";

/** Seconds per slot of waves on the shore (at most one wave comes in each). */
export const WAVE_SLOT = 6;

export const WAVES: VoiceDescription = {
  params: {
    level: "loudness of the sea",
    density: "how often the waves come in",
    brightness: "how much foam and shingle is heard as they draw back",
  },
  plays: ["surge"],
  reverbSend: 0.2,
  calibration: "waves",
  motion(p, _plan, _voice, t, rng) {
    p.brightness = clamp(p.brightness + 0.08 * smoothNoise(rng, t, 31));
  },
  generate: waves,
};

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
