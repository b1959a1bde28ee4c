/** Rain: a patter to a steady hush, drips from the eaves, and heavier showers. */
import { smoothNoise } from "../modulation.ts";
import type { VoiceSpec } from "../preset-types.ts";
import { paramsAt, type Plan } from "../timeline.ts";
import { clamp, presetEventField, type ScoreEvent, type VoiceDescription } from "./voice.ts";

/** Seconds per slot of drips from the eaves. */
export const DRIP_SLOT = 0.9;

export const RAIN: VoiceDescription = {
  params: {
    level: "loudness of the rain",
    density: "how heavy it falls: a light patter to a steady hush",
    brightness: "how close and crisp the drops are",
  },
  plays: ["shower"],
  reverbSend: 0.2,
  calibration: "rain",
  motion(p, plan, voice, t, rng) {
    const shower = presetEventField(plan, voice, "shower", t, 20);
    p.level *= (1 + 0.07 * smoothNoise(rng, t, 41)) * (1 + 0.2 * shower);
    p.density = clamp(p.density + 0.08 * smoothNoise(rng.fork("heavy"), t, 29) + 0.3 * shower);
  },
  generate: drips,
};

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
