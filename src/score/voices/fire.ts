/** A fire: flames that hiss, wood that crackles, and logs that settle. */
import { smoothNoise } from "../modulation.ts";
import { clamp, type VoiceDescription } from "./voice.ts";

export const FIRE: VoiceDescription = {
  params: {
    level: "loudness of the fire",
    density: "how much the wood crackles",
    brightness: "how bright the flames hiss",
  },
  plays: ["settle"],
  reverbSend: 0.1,
  calibration: "fire",
  motion(p, _plan, _voice, t, rng) {
    p.level *= 1 + 0.06 * smoothNoise(rng, t, 5);
    p.density = clamp(p.density * (0.75 + 0.25 * smoothNoise(rng.fork("crackle"), t, 7)));
  },
};
