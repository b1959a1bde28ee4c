/**
 * The value of every voice parameter at time t: the beat's targets plus the
 * voice's own slow motion (a waterfall breathing, gusts through leaves, wind
 * rising and falling). Pure: the voices sample it on a fixed grid of absolute
 * time and ramp between the samples.
 */
import type { VoiceSpec } from "./preset.ts";
import { bump, gusts, smoothNoise } from "./modulation.ts";
import { paramsAt, type Plan } from "./timeline.ts";
import type { Params } from "./voice-types.ts";

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
    default:
      break;
  }
  return p;
}

function gustEvents(plan: Plan, voice: VoiceSpec, t: number): number {
  let sum = 0;
  for (const planned of plan.beats) {
    for (const event of planned.beat.events) {
      if (event.voice !== voice.name || event.type !== "gust") continue;
      const centre = planned.start + event.at * (planned.end - planned.start);
      sum += event.intensity * bump(t, centre, 5);
    }
  }
  return sum;
}

function clamp(x: number): number {
  return Math.min(1, Math.max(0, x));
}
