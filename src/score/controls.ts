/**
 * The value of every voice parameter at time t: the beat's targets plus the
 * voice's own slow motion (a waterfall breathing, gusts through leaves, wind
 * rising and falling; see voices/). Pure: the voices sample it on a fixed
 * grid of absolute time and ramp between the samples.
 */
import type { VoiceSpec } from "./preset-types.ts";
import { paramsAt, type Plan } from "./timeline.ts";
import { VOICES } from "./voices/index.ts";
import type { Params } from "./voices/vocabulary.ts";

/** Seconds between control samples; voices ramp linearly between them. */
export const CONTROL_STEP = 0.25;

export function controlsAt(plan: Plan, voice: VoiceSpec, t: number): Params {
  const p = paramsAt(plan, voice, t);
  const rng = plan.random.fork(`motion:${voice.name}`);
  VOICES[voice.type].motion?.(p, plan, voice, t, rng);
  return p;
}
