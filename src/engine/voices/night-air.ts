/**
 * Night air: soft wind that rises and falls, and a far chorus of insects,
 * narrow bands high up, pulsing in chirps.
 *
 *   noise ─┬→ bandpass low / high (wind; brightness crossfades) → gains ─┐
 *          └→ bandpass Q 30 @ f1, f2 → chirp gain → pulse gain → gain ─┴→ out
 *   chirp and pulse gains are driven by oscillators phased to story time
 */
import * as Tone from "tone";
import type { Random } from "../../core/random.ts";
import type { Params } from "../../score/voice-types.ts";
import { biquads, darkBright, levelToGain, NoiseSource, phaseAt, phasedWave, Ramp, type Voice, type VoiceContext } from "../kit.ts";

export interface NightAirOptions {
  /** Centres of the low and the airy wind band, in Hz. */
  windHz: [number, number];
  /** Centres of the two insect bands, in Hz. */
  insectHz: [number, number];
  /** Pulses per second within a chirp. */
  pulseRate: number;
  /** Chirps per second. */
  chirpRate: number;
}

export const NIGHT_AIR_DEFAULTS: NightAirOptions = {
  windHz: [280, 900],
  insectHz: [4300, 5150],
  pulseRate: 23,
  chirpRate: 1.35,
};

export function createNightAir(vc: VoiceContext, options: Partial<NightAirOptions>, rng: Random): Voice {
  const o = { ...NIGHT_AIR_DEFAULTS, ...options };
  const { context } = vc;
  const noise = new NoiseSource(vc, rng.fork("noise"));
  const windBands = o.windHz.map((hz) => biquads(context, "bandpass", hz, 1, 0.8)[0]);
  const winds = windBands.map(() => new Tone.Gain({ context, gain: 0 }));
  const bands = o.insectHz.map((hz) => biquads(context, "bandpass", hz, 1, 30)[0]);
  // Each gain is 1 plus a unit oscillator: it swings from 0 to 2, a full tremolo.
  const chirp = new Tone.Gain({ context, gain: 1 });
  const pulse = new Tone.Gain({ context, gain: 1 });
  const insects = new Tone.Gain({ context, gain: 0 });
  const output = new Tone.Gain({ context });

  noise.fan(...windBands, ...bands);
  windBands.forEach((band, i) => {
    band.chain(winds[i], output);
  });
  for (const band of bands) band.connect(chirp);
  chirp.chain(pulse, insects, output);

  // Oscillators start with the phase they would have had running since story time 0.
  const rates = [o.chirpRate * (0.95 + 0.1 * rng.at(1)), o.pulseRate * (0.95 + 0.1 * rng.at(2))];
  const oscillators = rates.map((frequency) => {
    const osc = new Tone.ToneOscillatorNode({ context, frequency });
    osc.setPeriodicWave(phasedWave(context, [1], phaseAt(frequency, 0, vc.origin)));
    return osc;
  });
  oscillators[0].connect(chirp.gain);
  oscillators[1].connect(pulse.gain);
  for (const osc of oscillators) osc.start(0);

  const ramps = {
    low: new Ramp(vc, winds[0].gain),
    high: new Ramp(vc, winds[1].gain),
    insects: new Ramp(vc, insects.gain),
  };

  return {
    output,
    set(c: Params, time: number) {
      // Gusts may lift the wind a little above level 1.
      const [low, high] = darkBright(Math.min(2, c.level * c.level) * 3, c.brightness);
      ramps.low.to(low, time);
      ramps.high.to(high * 0.8, time);
      // Narrow bands carry little power: the chorus needs this much gain to be heard, far off.
      ramps.insects.to(levelToGain(Math.min(1, c.level)) * c.density * 2.5, time);
    },
    play() {},
    cover(from, to) {
      noise.cover(from, to);
    },
    dispose() {
      for (const node of [...windBands, ...winds, ...bands, chirp, pulse, insects, output, ...oscillators]) node.dispose();
      noise.dispose();
    },
  };
}
