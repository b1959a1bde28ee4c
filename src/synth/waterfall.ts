/**
 * The distant waterfall: falling water so dense it is nearly broadband, a
 * low roar under it, and a crowd of bubbles in it so many and so far off that
 * they all but merge into noise (van den Doel: a vast fall's bubbles approach
 * noise). Distance takes the top off steeply. Each region of the water sways
 * on its own, quickly and a little, as splashes come and go here and there;
 * its slow breathing is in the score's level. Brightness lets more high spray
 * and smaller bubbles through.
 *
 *   noise (mono) → highpass → lowpass² (the roar) ───────────────× sway ─→ gain ─┐
 *   noise L/R → lowpass² (the spray's top) ─┬──────────────× sway × gain(brightness) ─┼→ × level → out
 *                                           └→ lowpass (the wash) ─┬→ lowpass (its body) × sway ─┤
 *                                                                  └→ the rest (its upper half) × sway ─┤
 *   bubbles (Poisson, power-law radii) → two buses, panned ─────────────────────────────┘
 */
import { mix } from "../core/random.ts";
import { BubbleBank, bubbleSeconds, powerLawRadius } from "./bubbles.ts";
import { Biquad, type BiquadType, onePole, warmFrames } from "./filters.ts";
import { forEachGrain, panGains } from "./grains.ts";
import { fillNoise } from "./noise.ts";
import { flutterAt } from "./wind.ts";
import { ControlCurves, levelToGain, type Texture, type TextureContext } from "./texture.ts";

export interface WaterfallOptions {
  /** Top of the roar, in Hz. */
  roarHz: number;
  /** Top of the wash of falling water, in Hz. */
  washHz: number;
  /** Top of the high spray, in Hz (the wash's top at brightness 1). */
  sprayHz: number;
  /** Level of the water over the roar (wash, spray, bubbles) relative to it, 0–1. */
  spray: number;
  /** Bubbles per second. */
  bubbles: number;
  /** Radii of the bubbles, in mm: the smallest at brightness 0 and 1, the largest. */
  radius: [number, number, number];
}

export const WATERFALL_DEFAULTS: WaterfallOptions = {
  roarHz: 320,
  washHz: 2600,
  sprayHz: 5500,
  spray: 0.4,
  bubbles: 900,
  radius: [1.0, 0.6, 3.5],
};

/**
 * Gains of the layers at level 1: the roar's, the wash's, the spray's at
 * brightness 1, a bubble's. A bubble's gain does not grow with its size: the
 * large ones ring longest, and with gains that grew too they would pile up at
 * the crowd's lowest pitch (a hum near 1 kHz no fall has); so, with the
 * power-law radii, each size carries about the same power.
 */
const GAIN = { roar: 0.8, wash: 1, spray: 0.55, bubble: 0.18 };

/** The roar's floor, in Hz: a distant fall's roar is heard in the low hundreds; what is below does not carry. */
const ROAR_FLOOR = 150;

/** Where the wash's low half (its body) meets its upper half, in Hz (6 dB per octave: the two overlap). */
const SPLIT_HZ = 800;

/**
 * Each region of the water (the roar, the wash's body, the wash's upper half,
 * the spray) swells and ebbs on its own, slowly: depth, and seconds between
 * the knots of its motion. The splashes that make a fall come and go here and
 * there, not all at once, so its bands move apart, not together.
 */
const SWAY: readonly [number, number][] = [
  [0.18, 0.27],
  [0.14, 0.18],
  [0.14, 0.15],
  [0.07, 0.12],
];

/**
 * Fills `into[r]` with the sway of region r over story frames [startFrame,
 * startFrame + length): a gain near 1, its knots on a grid of absolute
 * frames and ramped from block to block (`keys[r]`, the region's stream).
 */
function swayCurves(into: Float32Array[], keys: readonly number[], startFrame: number, rate: number): void {
  const at = (r: number, frame: number) => 1 + SWAY[r][0] * flutterAt(keys[r], frame, SWAY[r][1] * rate);
  for (let r = 0; r < SWAY.length; r++) {
    const sway = into[r];
    let x0 = at(r, startFrame);
    for (let from = 0; from < sway.length; from += BLOCK) {
      const to = Math.min(sway.length, from + BLOCK);
      const x1 = at(r, startFrame + to);
      const dx = (x1 - x0) / (to - from);
      for (let i = from; i < to; i++) sway[i] = x0 + dx * (i - from);
      x0 = x1;
    }
  }
}

/** `x` through a one-pole lowpass of coefficient `k` (6 dB per octave), in place. */
function smooth(x: Float32Array, k: number): Float32Array {
  let y = 0;
  for (let i = 0; i < x.length; i++) x[i] = y += k * (x[i] - y);
  return x;
}

/** `from` through a lowpass at `hz` (quality `q`) at `rate`, into `into` (as long as `from`). */
function below(into: Float32Array, from: Float32Array, hz: number, rate: number, q = Math.SQRT1_2): Float32Array {
  into.set(from);
  new Biquad("lowpass", hz, rate, q).run(into);
  return into;
}

/** Amplitude the bubbles ring down to (-30 dB): below it they are lost in the wash. */
const BUBBLE_FLOOR = 0.03;

/** Bubbles land on two buses panned this far left and right. */
const BUS_PAN = 0.6;

/** Frames over which the level and brightness are ramped linearly (they move on a 0.25 s grid). */
const BLOCK = 64;

export function waterfallTexture(context: TextureContext, options: Partial<WaterfallOptions>): Texture {
  const o = { ...WATERFALL_DEFAULTS, ...options };
  const { rate, score } = context;
  const keys = {
    roar: context.rng.fork("roar").key,
    noise: context.rng.fork("noise").key,
    bubbles: context.rng.fork("bubbles").key,
    sway: SWAY.map((_, r) => context.rng.fork(`sway${r}`).key),
  };
  const warm = warmFrames(Math.min(ROAR_FLOOR, o.roarHz), rate);
  const longest = bubbleSeconds(o.radius[2], BUBBLE_FLOOR);
  const lookback = Math.ceil(longest * rate);
  const buses = [panGains(-BUS_PAN), panGains(BUS_PAN)];
  const bank = new BubbleBank(rate, Math.min(o.radius[0], o.radius[1]), o.radius[2], 64, 0.1, BUBBLE_FLOOR);
  // Buffers reused from chunk to chunk (each is overwritten or cleared before use): allocating
  // a megabyte a chunk cost more in garbage collection than the filters.
  const scratch: Float32Array[] = [];
  const buffer = (slot: number, length: number) => {
    if (scratch[slot]?.length !== length) scratch[slot] = new Float32Array(length);
    return scratch[slot];
  };

  function render(out: readonly [Float32Array, Float32Array], startFrame: number): void {
    const length = out[0].length;
    // The curves reach back over the bubbles still ringing, so each reads its brightness at its onset.
    const curves = new ControlCurves(score, rate, startFrame - lookback, length + lookback);
    const bubbled = [buffer(0, length).fill(0), buffer(1, length).fill(0)] as const;
    bubbles(bubbled, startFrame, curves);
    // The distant roar is one source, the same in both ears; the water over it is wide.
    const roar = filtered(2, keys.roar, startFrame, length, [
      ["highpass", ROAR_FLOOR],
      ["lowpass", o.roarHz],
      ["lowpass", o.roarHz],
    ]).subarray(warm);
    const [level, spray] = gainCurves(curves, startFrame, length);
    const sway = SWAY.map((_, r) => buffer(8 + r, length));
    swayCurves(sway, keys.sway, startFrame, rate);
    const over = o.spray;
    for (let channel = 0; channel < 2; channel++) {
      const warmed = filtered(3, mix(keys.noise, channel), startFrame, length, [
        ["lowpass", o.sprayHz],
        ["lowpass", o.sprayHz],
      ]);
      const bright = warmed.subarray(warm);
      // The wash's filters warm up over the same frames before the stretch.
      const wash = below(buffer(4, warm + length), warmed, o.washHz, rate, 0.6).subarray(warm);
      const deep = buffer(7, warm + length);
      deep.set(buffer(4, warm + length));
      const low = smooth(deep, onePole(SPLIT_HZ, rate)).subarray(warm);
      const [a, b] = [buses[0][channel], buses[1][channel]];
      const [left, right] = bubbled;
      const [s0, s1, s2, s3] = sway;
      const target = out[channel];
      for (let i = 0; i < length; i++) {
        const water =
          GAIN.wash * (s1[i] * low[i] + s2[i] * (wash[i] - low[i])) + spray[i] * s3[i] * (bright[i] - wash[i]) + a * left[i] + b * right[i];
        target[i] += level[i] * (GAIN.roar * s0[i] * roar[i] + over * water);
      }
    }
  }

  /** The level's gain and the spray's over the stretch, ramped from block to block. */
  function gainCurves(curves: ControlCurves, startFrame: number, length: number): [Float32Array, Float32Array] {
    const level = buffer(5, length);
    const spray = buffer(6, length);
    let [g0, s0] = gains(curves, startFrame / rate);
    for (let from = 0; from < length; from += BLOCK) {
      const to = Math.min(length, from + BLOCK);
      const [g1, s1] = gains(curves, (startFrame + to) / rate);
      const step = 1 / (to - from);
      for (let i = from; i < to; i++) {
        const f = (i - from) * step;
        level[i] = g0 + (g1 - g0) * f;
        spray[i] = s0 + (s1 - s0) * f;
      }
      [g0, s0] = [g1, s1];
    }
    return [level, spray];
  }

  /** The level's gain and the spray's at story time t. */
  function gains(curves: ControlCurves, t: number): [number, number] {
    return [levelToGain(curves.value("level", t)), GAIN.spray * (0.15 + 0.85 * curves.value("brightness", t))];
  }

  /** Noise `key` through `sections` over the stretch and the `warm` frames before it, in scratch buffer `slot`. */
  function filtered(slot: number, key: number, startFrame: number, length: number, sections: [BiquadType, number][]): Float32Array {
    const noise = buffer(slot, warm + length);
    fillNoise(noise, key, startFrame - warm);
    for (const [type, hz] of sections) new Biquad(type, hz, rate).run(noise);
    return noise;
  }

  /** The bubbles sounding in the stretch, at unit level, on their two buses. */
  function bubbles(into: readonly [Float32Array, Float32Array], startFrame: number, curves: ControlCurves): void {
    const from = startFrame / rate;
    const to = (startFrame + into[0].length) / rate;
    forEachGrain(keys.bubbles, o.bubbles, from - longest, to, (grain) => {
      const bright = curves.value("brightness", grain.time);
      const smallest = o.radius[0] + (o.radius[1] - o.radius[0]) * bright;
      const radius = powerLawRadius(grain.next(), smallest, o.radius[2], 2.5);
      const gain = GAIN.bubble * (0.4 + 0.6 * grain.next());
      bank.add(into[grain.next() < 0.5 ? 0 : 1], startFrame, Math.round(grain.time * rate), radius, gain);
    });
  }

  return { render };
}
