/** The night air: wind rising and falling, and crickets singing in it. */
import { smoothNoise } from "../modulation.ts";
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
  // The wind's rise and fall (and its gusts) is the texture's own (synth/night-air.ts): the crickets keep their level.
  motion(p, _plan, _voice, t, rng) {
    p.density = clamp(p.density * (0.8 + 0.2 * smoothNoise(rng.fork("insects"), t, 17)));
    p.brightness = clamp(p.brightness + 0.15 * smoothNoise(rng.fork("air"), t, 11));
  },
};
