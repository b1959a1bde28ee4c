/**
 * The value of every voice parameter at time t: the beat's targets plus the
 * voice's own slow motion (a waterfall breathing, gusts through leaves, wind
 * rising and falling). Pure: the voices sample it on a fixed grid of absolute
 * time and ramp between the samples.
 */
import type { VoiceSpec } from "./preset.ts";
import { presetEventField } from "./events.ts";
import { gusts, smoothNoise } from "./modulation.ts";
import { paramsAt, type Plan, smoothstep } from "./timeline.ts";
import { PARAM_DEFAULTS, type Params } from "./voice-types.ts";

/** Seconds between control samples; voices ramp linearly between them. */
export const CONTROL_STEP = 0.25;

export function controlsAt(plan: Plan, voice: VoiceSpec, t: number): Params {
  const p = paramsAt(plan, voice, t);
  const rng = plan.random.fork(`motion:${voice.name}`);
  switch (voice.type) {
    case "waterfall": {
      const depth = 0.06 + 0.16 * p.rate;
      const breath = 0.6 * Math.sin((2 * Math.PI * t) / 9.7 + 6.283 * rng.at(1)) + 0.4 * smoothNoise(rng, t, 13);
      p.level *= 1 + depth * breath;
      p.brightness = clamp(p.brightness + 0.08 * smoothNoise(rng.fork("spray"), t, 23));
      break;
    }
    case "leaves": {
      const field = gusts(rng, t, (s) => paramsAt(plan, voice, s).density) + gustEvents(plan, voice, t);
      p.level *= 0.12 + 0.88 * Math.min(1, field);
      p.brightness = clamp(p.brightness * (0.85 + 0.15 * field));
      break;
    }
    case "nightAir": {
      const wind = 0.6 + 0.4 * smoothNoise(rng, t, 8 + 10 * (1 - p.rate)) + gustEvents(plan, voice, t);
      p.level *= Math.min(1.4, wind);
      p.density = clamp(p.density * (0.8 + 0.2 * smoothNoise(rng.fork("insects"), t, 17)));
      p.brightness = clamp(p.brightness + 0.15 * smoothNoise(rng.fork("air"), t, 11));
      break;
    }
    case "pad":
      p.level *= 1 + 0.08 * smoothNoise(rng, t, 19);
      break;
    case "rain": {
      const shower = presetEventField(plan, voice, "shower", t, 20);
      p.level *= (1 + 0.07 * smoothNoise(rng, t, 41)) * (1 + 0.2 * shower);
      p.density = clamp(p.density + 0.08 * smoothNoise(rng.fork("heavy"), t, 29) + 0.3 * shower);
      break;
    }
    case "waves":
      p.brightness = clamp(p.brightness + 0.08 * smoothNoise(rng, t, 31));
      break;
    case "fire":
      p.level *= 1 + 0.06 * smoothNoise(rng, t, 5);
      p.density = clamp(p.density * (0.75 + 0.25 * smoothNoise(rng.fork("crackle"), t, 7)));
      break;
    case "driftNoise": {
      const breath = Math.sin(2 * Math.PI * breathPhase(plan, voice, t));
      p.level *= 1 + 0.12 * p.density * breath;
      p.brightness = clamp(p.brightness + 0.05 * p.density * breath);
      break;
    }
    default:
      break;
  }
  return p;
}

function gustEvents(plan: Plan, voice: VoiceSpec, t: number): number {
  return presetEventField(plan, voice, "gust", t, 5);
}

/** Breaths per minute of a drift-noise voice at rate 0 and at rate 1. */
const BREATHS_PER_MINUTE: [number, number] = [3, 8];

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

function clamp(x: number): number {
  return Math.min(1, Math.max(0, x));
}
