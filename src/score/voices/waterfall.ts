/** A distant waterfall: a rumble that breathes, with spray over it. */
import { smoothNoise } from "../modulation.ts";
import { clamp, type VoiceDescription } from "./voice.ts";

export const WATERFALL: VoiceDescription = {
  params: {
    level: "loudness of the distant fall",
    brightness: "how much spray is heard over the rumble",
    rate: "how fast the hum breathes",
  },
  plays: [],
  reverbSend: 0.25,
  calibration: "waterfall",
  motion(p, _plan, _voice, t, rng) {
    const depth = 0.012 + 0.03 * p.rate;
    const breath = 0.6 * Math.sin((2 * Math.PI * t) / 9.7 + 6.283 * rng.at(1)) + 0.4 * smoothNoise(rng, t, 13);
    p.level *= 1 + depth * breath;
    p.brightness = clamp(p.brightness + 0.04 * smoothNoise(rng.fork("spray"), t, 23));
  },
};
