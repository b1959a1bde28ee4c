/**
 * Coloured noise for drifting off: a deep brown rumble, a soft pink hush or
 * an airy one, crossfaded by brightness, breathing slowly (the breath, its
 * rate and depth are in the score's controls, so the sound rises and falls
 * like a sleeper's breathing and can slow down with the story).
 *
 *   noise A ─┬→ leaky integrator (brown, IIR) → highpass 28 Hz ──→ brown gain ─┐
 *            └→ pinking filter (IIR, -3 dB/octave) → highpass 450 Hz → air gain ──┼→ out
 *   noise B ──→ pinking filter ─────────────────────────────────→ pink gain ────┘
 *
 * Neighbouring colours come from independent noise, so a crossfade between
 * them adds energies, as the loudness model assumes (a crossfade of one noise
 * filtered two ways would add its shared low end in phase, up to 2 dB louder).
 */
import * as Tone from "tone";
import type { Random } from "../../core/random.ts";
import type { Params } from "../../score/voice-types.ts";
import { biquads, levelToGain, NoiseSource, Ramp, type Voice, type VoiceContext } from "../kit.ts";

export interface DriftNoiseOptions {
  /** Corner of the brown noise's integrator, in Hz (below it the spectrum is flat). */
  brownHz: number;
  /** Cut-off under the brown noise, in Hz: lower is felt, not heard. */
  floorHz: number;
  /** Low edge of the airy colour, in Hz. */
  airHz: number;
  /** Gains that make the three colours equally loud at level 1. */
  balance: [number, number, number];
}

export const DRIFT_NOISE_DEFAULTS: DriftNoiseOptions = {
  brownHz: 30,
  floorHz: 28,
  airHz: 450,
  balance: [4.2, 1.1, 1.23],
};

/**
 * Paul Kellet's and Julius O. Smith's pinking filter (three poles and zeros):
 * within ±0.5 dB of -3 dB per octave across the audio band at 44.1 kHz
 * (shifted by under a tenth of an octave at 48 kHz).
 */
const PINK_FEEDFORWARD = [0.049922035, -0.095993537, 0.050612699, -0.004408786];
const PINK_FEEDBACK = [1, -2.494956002, 2.017265875, -0.5221894];

/** Weights of brown, pink and airy for a brightness 0–1: equal-power steps brown → pink → air. */
export function colourWeights(brightness: number): [number, number, number] {
  const b = Math.min(1, Math.max(0, brightness));
  if (b <= 0.5) {
    const x = (b / 0.5) * (Math.PI / 2);
    return [Math.cos(x), Math.sin(x), 0];
  }
  const x = ((b - 0.5) / 0.5) * (Math.PI / 2);
  return [0, Math.cos(x), Math.sin(x)];
}

export function createDriftNoise(vc: VoiceContext, options: Partial<DriftNoiseOptions>, rng: Random): Voice {
  const o = { ...DRIFT_NOISE_DEFAULTS, ...options };
  const { context } = vc;
  const noise = new NoiseSource(vc, rng.fork("noise"));
  const pinkNoise = new NoiseSource(vc, rng.fork("pink"));
  // y[n] = (1 - a) x[n] + a y[n-1]: unity at DC, falling 6 dB per octave above brownHz.
  const a = Math.exp((-2 * Math.PI * o.brownHz) / context.sampleRate);
  // The feedforward is padded to the feedback's length: node-web-audio-api 1.0.9 drops feedback taps beyond it.
  const brownFilter = context.createIIRFilter([1 - a, 0], [1, -a]);
  const [floor] = biquads(context, "highpass", o.floorHz);
  const pinkFilter = context.createIIRFilter(PINK_FEEDFORWARD, PINK_FEEDBACK);
  const airFilter = context.createIIRFilter(PINK_FEEDFORWARD, PINK_FEEDBACK);
  const [airBand] = biquads(context, "highpass", o.airHz);
  const gains = [0, 0, 0].map((gain) => new Tone.Gain({ context, gain }));
  const output = new Tone.Gain({ context });

  noise.fan(brownFilter, airFilter);
  pinkNoise.fan(pinkFilter);
  Tone.connect(brownFilter, floor);
  floor.chain(gains[0], output);
  Tone.connect(pinkFilter, gains[1]);
  Tone.connect(airFilter, airBand);
  airBand.chain(gains[2], output);
  gains[1].connect(output);
  const ramps = gains.map((gain) => new Ramp(vc, gain.gain));

  return {
    output,
    set(c: Params, time: number) {
      const gain = levelToGain(c.level);
      colourWeights(c.brightness).forEach((weight, i) => {
        ramps[i].to(gain * weight * o.balance[i], time);
      });
    },
    play() {},
    cover(from, to) {
      noise.cover(from, to);
      pinkNoise.cover(from, to);
    },
    dispose() {
      for (const node of [floor, airBand, ...gains, output]) node.dispose();
      for (const filter of [brownFilter, pinkFilter, airFilter]) filter.disconnect();
      noise.dispose();
      pinkNoise.dispose();
    },
  };
}
