/** Wind in a canopy of leaves: gusts that come and go with the density. */
import { gusts } from "../modulation.ts";
import type { VoiceSpec } from "../preset-types.ts";
import { paramsAt, type Plan } from "../timeline.ts";
import { clamp, presetEventField, type VoiceDescription } from "./voice.ts";

export const LEAVES: VoiceDescription = {
  params: {
    level: "loudness of the canopy",
    density: "how often gusts pass through",
    brightness: "how crisp the rustle is",
  },
  plays: ["gust"],
  reverbSend: 0.2,
  calibration: "leaves",
  motion(p, plan, voice, t, rng) {
    const field = gusts(rng, t, (s) => paramsAt(plan, voice, s).density) + gustField(plan, voice, t);
    p.level *= 0.12 + 0.88 * Math.min(1, field);
    p.brightness = clamp(p.brightness * (0.85 + 0.15 * field));
  },
};

/** How strongly the preset's gusts blow at time t (the night air feels them too). */
export function gustField(plan: Plan, voice: VoiceSpec, t: number): number {
  return presetEventField(plan, voice, "gust", t, 5);
}
