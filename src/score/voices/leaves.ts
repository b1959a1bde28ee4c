/** Wind in a canopy of leaves: a breeze that never quite stops, and gusts that come and go with the density. */
import { gusts, smoothNoise } from "../modulation.ts";
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
  /**
   * One slow wind, 0–1: a breeze of about 0.3 wandering over some 15 s, and the gusts over it.
   * It swells the canopy (between 0.4 and 1 of the level, never off) and its crispness, and the
   * texture reads it, as `rate` (a preset cannot set a leaves voice's rate), for how many
   * rustles it makes.
   */
  motion(p, plan, voice, t, rng) {
    const gust = gusts(rng, t, (s) => paramsAt(plan, voice, s).density) + gustField(plan, voice, t);
    const wind = clamp(0.3 + 0.1 * smoothNoise(rng.fork("breeze"), t, 15) + 0.75 * gust);
    p.level *= 0.4 + 0.6 * wind;
    p.brightness = clamp(p.brightness * (0.85 + 0.15 * wind));
    p.rate = wind;
  },
};

/** How strongly the preset's gusts blow at time t (the night air feels them too). */
export function gustField(plan: Plan, voice: VoiceSpec, t: number): number {
  return presetEventField(plan, voice, "gust", t, 5);
}
