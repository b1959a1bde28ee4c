/**
 * Leaves in an ancient canopy: a broadband rustle whose grain flutters (the
 * noise's own low band, squared, modulates its high band) and whose level
 * follows the gusts in the score's controls. Brightness crossfades a soft and
 * a crisp rustle.
 *
 *   noise ─┬→ highpass → flutter gain ─┬→ lowpass (soft) → gain ─┬→ out
 *          │                ↑          └→ lowpass (crisp) → gain ─┘
 *          └→ lowpass 30 Hz → ×k → square → depth (gain input)
 */
import * as Tone from "tone";
import type { Random } from "../../core/random.ts";
import type { Params } from "../../score/voice-types.ts";
import { biquads, darkBright, levelToGain, NoiseSource, Ramp, type Voice, type VoiceContext } from "../kit.ts";

export interface LeavesOptions {
  /** Low edge of the rustle, in Hz. */
  lowHz: number;
  /** Top of the soft and of the crisp rustle, in Hz. */
  softHz: number;
  crispHz: number;
  /** How deep the flutter of the leaves is, 0–1. */
  flutter: number;
}

export const LEAVES_DEFAULTS: LeavesOptions = {
  lowHz: 600,
  softHz: 2800,
  crispHz: 9000,
  flutter: 0.8,
};

export function createLeaves(vc: VoiceContext, options: Partial<LeavesOptions>, rng: Random): Voice {
  const o = { ...LEAVES_DEFAULTS, ...options };
  const { context } = vc;
  const noise = new NoiseSource(vc, rng.fork("noise"));
  const [highpass] = biquads(context, "highpass", o.lowHz);
  const flutterBand = biquads(context, "lowpass", 30, 2);
  const flutterDrive = new Tone.Gain({ context, gain: 28 });
  const square = new Tone.WaveShaper({ context, mapping: (x) => x * x, length: 1024 });
  const depth = new Tone.Gain({ context, gain: o.flutter * 2 });
  const flutter = new Tone.Gain({ context, gain: 1 - o.flutter });
  const [soft] = biquads(context, "lowpass", o.softHz);
  const [crisp] = biquads(context, "lowpass", o.crispHz);
  const softGain = new Tone.Gain({ context, gain: 0 });
  const crispGain = new Tone.Gain({ context, gain: 0 });
  const output = new Tone.Gain({ context });

  noise.fan(highpass, flutterBand[0]);
  highpass.connect(flutter);
  flutterBand[1].chain(flutterDrive, square, depth);
  depth.connect(flutter.gain);
  flutter.fan(soft, crisp);
  soft.chain(softGain, output);
  crisp.chain(crispGain, output);
  const ramps = { soft: new Ramp(vc, softGain.gain), crisp: new Ramp(vc, crispGain.gain) };

  return {
    output,
    set(c: Params, time: number) {
      const [dark, bright] = darkBright(levelToGain(c.level) * 2.2, c.brightness);
      ramps.soft.to(dark * 1.4, time);
      ramps.crisp.to(bright, time);
    },
    play() {},
    cover(from, to) {
      noise.cover(from, to);
    },
    dispose() {
      for (const node of [highpass, ...flutterBand, flutterDrive, square, depth, flutter, soft, crisp, softGain, crispGain, output]) {
        node.dispose();
      }
      noise.dispose();
    },
  };
}
