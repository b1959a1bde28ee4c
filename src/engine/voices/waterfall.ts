/**
 * The distant waterfall: a low rumble and a soft band of spray, breathing
 * slowly (the breath itself is in the score's controls). Brightness lets more
 * spray through over the rumble.
 *
 *   noise ─┬→ lowpass 24 dB (rumble) → gain ─┐
 *          └→ bandpass (spray) ──────→ gain ─┴→ out
 */
import * as Tone from "tone";
import type { Random } from "../../core/random.ts";
import type { Params } from "../../score/voice-types.ts";
import { biquads, levelToGain, NoiseSource, Ramp, type Voice, type VoiceContext } from "../kit.ts";

export interface WaterfallOptions {
  /** Rumble cut-off, in Hz. */
  rumbleHz: number;
  /** Centre of the spray band, in Hz. */
  sprayHz: number;
  /** Spray level relative to the rumble at brightness 1, 0–1. */
  spray: number;
}

export const WATERFALL_DEFAULTS: WaterfallOptions = {
  rumbleHz: 240,
  sprayHz: 2400,
  spray: 0.4,
};

export function createWaterfall(vc: VoiceContext, options: Partial<WaterfallOptions>, rng: Random): Voice {
  const o = { ...WATERFALL_DEFAULTS, ...options };
  const { context } = vc;
  const noise = new NoiseSource(vc, rng.fork("noise"));
  const rumbleFilters = biquads(context, "lowpass", o.rumbleHz, 2);
  const sprayFilters = biquads(context, "bandpass", o.sprayHz, 1, 0.6);
  const rumble = new Tone.Gain({ context, gain: 0 });
  const spray = new Tone.Gain({ context, gain: 0 });
  const output = new Tone.Gain({ context });
  noise.fan(rumbleFilters[0], sprayFilters[0]);
  rumbleFilters[1].chain(rumble, output);
  sprayFilters[0].chain(spray, output);
  const ramps = { rumble: new Ramp(vc, rumble.gain), spray: new Ramp(vc, spray.gain) };

  return {
    output,
    set(c: Params, time: number) {
      const gain = levelToGain(c.level);
      // The rumble's energy sits in a narrow low band, so it needs more gain to be heard.
      ramps.rumble.to(gain * 5, time);
      ramps.spray.to(gain * o.spray * (0.25 + 0.75 * c.brightness), time);
    },
    play() {},
    cover(from, to) {
      noise.cover(from, to);
    },
    dispose() {
      for (const node of [...rumbleFilters, ...sprayFilters, rumble, spray, output]) node.dispose();
      noise.dispose();
    },
  };
}
