/** Drift noise: a coloured hush that breathes slowly, for sleep. */
import type { VoiceSpec } from "../preset-types.ts";
import { type Plan, smoothstep } from "../timeline.ts";
import { PARAM_DEFAULTS } from "./vocabulary.ts";
import { clamp, type VoiceDescription } from "./voice.ts";

/** Breaths per minute of a drift-noise voice at rate 0 and at rate 1. */
const BREATHS_PER_MINUTE: [number, number] = [3, 8];

export const DRIFT_NOISE: VoiceDescription = {
  params: {
    level: "loudness of the hush",
    brightness: "its colour: 0 deep brown, 0.5 pink, 1 airy",
    rate: "breaths per minute, from 3 at 0 to 8 at 1",
    density: "how deep each breath is",
  },
  plays: [],
  reverbSend: 0.08,
  calibration: "driftNoise",
  motion(p, plan, voice, t) {
    const breath = Math.sin(2 * Math.PI * breathPhase(plan, voice, t));
    p.level *= 1 + 0.12 * p.density * breath;
    p.brightness = clamp(p.brightness + 0.05 * p.density * breath);
  },
};

/**
 * Breaths (cycles) a drift-noise voice has taken by time t: the integral of
 * its planned breathing rate, exact over each smoothstep transition, so the
 * breath slows or quickens without a jump in phase.
 */
export function breathPhase(plan: Plan, voice: VoiceSpec, t: number): number {
  const segments = plan.curves.get(voice.name)?.rate ?? [];
  let value = segments.length > 0 ? segments[0].from : PARAM_DEFAULTS.rate;
  let time = 0;
  let integral = 0;
  for (const s of segments) {
    if (s.start >= t) break;
    integral += value * (s.start - time);
    const d = Math.min(t - s.start, s.duration);
    const x = s.duration > 0 ? d / s.duration : 1;
    // ∫ smoothstep from 0 to x is x³ - x⁴/2.
    integral += s.from * d + (s.to - s.from) * s.duration * (x ** 3 - x ** 4 / 2);
    time = s.start + d;
    value = s.from + (s.to - s.from) * smoothstep(x);
  }
  integral += value * Math.max(0, t - time);
  const [slow, fast] = BREATHS_PER_MINUTE;
  return (slow * t + (fast - slow) * integral) / 60;
}
