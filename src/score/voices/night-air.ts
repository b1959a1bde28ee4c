/** The night air: wind rising and falling, and insects singing in it. */
import { smoothNoise } from "../modulation.ts";
import { gustField } from "./leaves.ts";
import { clamp, type VoiceDescription } from "./voice.ts";

export const NIGHT_AIR: VoiceDescription = {
  params: {
    level: "loudness of the night air",
    density: "how many insects sing",
    brightness: "how airy the wind is",
    rate: "how fast the wind moves",
  },
  plays: ["gust"],
  reverbSend: 0.3,
  calibration: "nightAir",
  motion(p, plan, voice, t, rng) {
    const wind = 0.6 + 0.4 * smoothNoise(rng, t, 8 + 10 * (1 - p.rate)) + gustField(plan, voice, t);
    p.level *= Math.min(1.4, wind);
    p.density = clamp(p.density * (0.8 + 0.2 * smoothNoise(rng.fork("insects"), t, 17)));
    p.brightness = clamp(p.brightness + 0.15 * smoothNoise(rng.fork("air"), t, 11));
  },
};
