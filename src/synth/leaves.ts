/**
 * Leaves in a canopy, moved by one slow wind (Farnell): the score's gusts,
 * which it hands over in the voice's `rate` control (0 still, 1 a full gust;
 * a preset cannot set a leaves voice's rate). While the wind blows the canopy
 * never stops: a soft rustle bed, fluttering, and over it rustle grains,
 * short bursts of band-limited noise whose number follows the wind. A gust
 * swells both, a lull thins them. Brightness crossfades a soft and a crisp
 * rustle, and lifts the grains' bands.
 *
 *   noise L/R → bands (soft | crisp by brightness) × flutter × level → out
 *   grains (Poisson, rate ∝ wind): noise → resonator 1–8 kHz × decay → pan → out
 */
import { forEachGrain, type Grain, panGains } from "./grains.ts";
import { fillNoise } from "./noise.ts";
import { ControlCurves, levelToGain, silentOver, type Texture, type TextureContext } from "./texture.ts";
import { flutterAt, GAIN_BLOCK, type NoiseBands, NoiseBed } from "./wind.ts";

export interface LeavesOptions {
  /** The rustle bed's corners, in Hz. */
  bands: NoiseBands;
  /** Gain of the bed at level 1. */
  bed: number;
  /** Gain of the loudest grain at level 1. */
  grain: number;
  /** How deep the bed flutters in a full gust, 0–1. */
  flutterDepth: number;
  /** Grains per second in a full gust. */
  maxRate: number;
  /** Shortest and longest grain, in seconds. */
  grainSeconds: [number, number];
  /** Lowest and highest centre of a grain's band, in Hz. */
  grainHz: [number, number];
  /** Seconds between the knots of the bed's flutter. */
  flutterSeconds: number;
  /** Overall gain at level 1. */
  gain: number;
}

export const LEAVES_DEFAULTS: LeavesOptions = {
  bands: { lowHz: 300, splitHz: 2000, topHz: 7000 },
  bed: 0.07,
  grain: 0.75,
  flutterDepth: 0.8,
  maxRate: 300,
  grainSeconds: [0.005, 0.04],
  grainHz: [1000, 8000],
  flutterSeconds: 0.06,
  // Loud enough to sit with the other voices, the loudest grain in a gust well within ±1 at level 0.8.
  gain: 6,
};

/** What a grain needs, drawn once from its own generator. */
interface Rustle {
  frame: number;
  length: number;
  /** Per-sample decay of its envelope. */
  decay: number;
  /** Resonator coefficients (a bandpass of 0 dB peak). */
  b0: number;
  a1: number;
  a2: number;
  gainL: number;
  gainR: number;
  /** Where in the noise table it starts. */
  offset: number;
}

/** Frames of noise the grains read from, each at its own offset (a grain is far shorter). */
const TABLE = 1 << 16;

export function createLeavesTexture(context: TextureContext, options: Partial<LeavesOptions> = {}): Texture {
  const o = { ...LEAVES_DEFAULTS, ...options };
  const { rate, score } = context;
  const bed = new NoiseBed([context.rng.fork("bed-left").key, context.rng.fork("bed-right").key], rate, o.bands);
  const flutterKeys = [context.rng.fork("flutter-left").key, context.rng.fork("flutter-right").key];
  const grainKey = context.rng.fork("grains").key;
  const flutterPeriod = Math.round(o.flutterSeconds * rate);
  const table = new Float32Array(TABLE);
  fillNoise(table, context.rng.fork("grain-noise").key, 0);

  // The chunk being drawn, for the grains' visitor (made once, not per chunk).
  let out: readonly [Float32Array, Float32Array] = [new Float32Array(0), new Float32Array(0)];
  let startFrame = 0;
  let curves: ControlCurves;
  const g: Rustle = { frame: 0, length: 0, decay: 0, b0: 0, a1: 0, a2: 0, gainL: 0, gainR: 0, offset: 0 };

  /** Draws the grain's rustle into `g`; false if the wind thins it out. */
  function rustle(grain: Grain): boolean {
    const wind = curves.value("rate", grain.time);
    if (grain.next() >= 0.08 + 0.92 * wind ** 1.5) return false;
    const brightness = curves.value("brightness", grain.time);
    const [lo, hi] = o.grainHz;
    const hz = lo * (hi / lo) ** (grain.next() ** (1.7 - 1.4 * brightness));
    const [short, long] = o.grainSeconds;
    const length = Math.round(short * (long / short) ** (grain.next() ** 1.5) * rate);
    const w = (2 * Math.PI * hz) / rate;
    const alpha = Math.sin(w) / (2 * (1.2 + 2.5 * grain.next()));
    // Equal power per grain whatever its band (a wider band passes more noise), softly loud or faint.
    const strength = (0.25 + 0.75 * grain.next() ** 2) * Math.sqrt(1000 / hz) * levelToGain(curves.value("level", grain.time));
    const [gainL, gainR] = panGains(grain.next() * 1.8 - 0.9);
    g.frame = Math.round(grain.time * rate);
    g.length = length;
    g.decay = Math.exp(-7 / length);
    g.b0 = alpha / (1 + alpha);
    g.a1 = (-2 * Math.cos(w)) / (1 + alpha);
    g.a2 = (1 - alpha) / (1 + alpha);
    g.gainL = gainL * strength * o.grain * o.gain;
    g.gainR = gainR * strength * o.grain * o.gain;
    g.offset = Math.floor(grain.next() * TABLE);
    return true;
  }

  const visit = (grain: Grain) => {
    if (rustle(grain)) addRustle(out, startFrame, g, table, 0.0007 * rate);
  };

  /** The bed's gains on its grid: the wind, brightness and level are the two channels', the flutter each its own. */
  function bedGains(): void {
    const softL = bed.soft[0];
    const softR = bed.soft[1];
    const crispL = bed.crisp[0];
    const crispR = bed.crisp[1];
    for (let k = 0; k < bed.points; k++) {
      const frame = (bed.first + k) * GAIN_BLOCK;
      const t = frame / rate;
      const w = curves.value("rate", t);
      const b = curves.value("brightness", t);
      const level = levelToGain(curves.value("level", t)) * o.bed * o.gain * (0.7 + 0.3 * w);
      const gainL = level * (1 + o.flutterDepth * w * flutterAt(flutterKeys[0], frame, flutterPeriod));
      const gainR = level * (1 + o.flutterDepth * w * flutterAt(flutterKeys[1], frame, flutterPeriod));
      softL[k] = gainL * (1.1 - 0.5 * b);
      crispL[k] = gainL * (0.15 + 0.85 * b);
      softR[k] = gainR * (1.1 - 0.5 * b);
      crispR[k] = gainR * (0.15 + 0.85 * b);
    }
  }

  return {
    render(chunk, start) {
      out = chunk;
      startFrame = start;
      const length = chunk[0].length;
      curves = new ControlCurves(score, rate, startFrame, length);
      bed.grid(startFrame, length);
      // Grains that began before the stretch and still sound in it (a frame more, for rounding).
      const from = (startFrame - 1) / rate - o.grainSeconds[1];
      // Out of the story here, grains still ringing in included (the bed's grid may reach a block either side):
      // the bed and every grain are scaled by the level's gain, so what they would add is zero to the bit.
      const bedFrom = (bed.first * GAIN_BLOCK) / rate;
      const bedTo = ((bed.first + bed.points) * GAIN_BLOCK) / rate;
      if (silentOver(curves, Math.min(from, bedFrom), bedTo)) return;
      bedGains();
      bed.add(chunk, startFrame);
      forEachGrain(grainKey, o.maxRate, from, (startFrame + length) / rate, visit);
    },
  };
}

/** Adds rustle `g` where it falls in `out` (from story frame `startFrame`), its noise from `table`, its attack `attack` frames. */
function addRustle(out: readonly [Float32Array, Float32Array], startFrame: number, g: Rustle, table: Float32Array, attack: number): void {
  const left = out[0];
  const right = out[1];
  const to = Math.min(g.length, startFrame + left.length - g.frame);
  const { b0, a1, a2, decay, gainL, gainR, offset } = g;
  const at = g.frame - startFrame;
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  let env = 1;
  // The resonator has state: run it from the grain's start even when the stretch begins later.
  for (let n = 0; n < to; n++) {
    const x = table[(offset + n) & (TABLE - 1)];
    const y = b0 * (x - x2) - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    env *= decay;
    const i = at + n;
    if (i < 0) continue;
    const v = y * env * (n < attack ? n / attack : 1);
    left[i] += v * gainL;
    right[i] += v * gainR;
  }
}
