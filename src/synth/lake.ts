/**
 * The lake under the stars: slow swells of low water lapping at the shore
 * (each lap from the score), with a few larger bubbles and a small splash
 * as each breaks, a bubble now and then between them, and the silver fish:
 * a soft splash, drops falling back as a cluster of bubbles, and the rings
 * it makes reaching the shore as smaller laps.
 *
 *   noise L/R → lowpass (clear) ─┬──────────────→ × clear ─┐
 *                                └→ lowpass (dark) → × dark ┴→ × swells (laps, rings) ─┐
 *   bubbles (laps, between, leaps) ─────────────────────────────────────────────────────┼→ × level → out
 *   splashes (noise bursts, band-passed, soft attack) ──────────────────────────────────┘
 */
import { mix, sfc32 } from "../core/random.ts";
import type { ScoreEvent } from "../score/events.ts";
import { addBubble, bubbleSeconds, powerLawRadius } from "./bubbles.ts";
import { Biquad, warmFrames } from "./filters.ts";
import { forEachGrain, panGains } from "./grains.ts";
import { fillNoise, noiseAt } from "./noise.ts";
import { ControlCurves, levelToGain, type Texture, type TextureContext } from "./texture.ts";

export interface LakeOptions {
  /** Top of the lapping water when clear and when dark, in Hz. */
  waterHz: [number, number];
  /** Level of the still water between laps, relative to a lap, 0–1. */
  bed: number;
  /** Bubbles a second between the laps at density 0 and 1. */
  bubbles: [number, number];
  /** Band of a splash, in Hz. */
  splashHz: [number, number];
}

export const LAKE_DEFAULTS: LakeOptions = {
  waterHz: [1400, 500],
  bed: 0.18,
  bubbles: [0.4, 3],
  splashHz: [700, 8000],
};

/** Seconds a swell of water lasts, and when it crests. */
const SWELL = { length: 1.6, crest: 0.4 };
/** How far back a stretch looks for events still sounding (the leap's last ring), in seconds. */
const LOOKBACK = 7;
/** Gains at level 1: the lapping water's, a bubble's, a lap's splash's, the leap's splash's. */
const GAIN = { water: 2, bubble: 0.25, splash: 0.25, leap: 0.2 };
/** Frames per step of the swells' envelope (interpolated between). */
const STEP = 64;

/** A swell of water: a lap, or a ring from the leap reaching the shore. */
interface Swell {
  time: number;
  strength: number;
  pan: number;
}

/** A burst of band-passed noise with a raised-cosine attack and an exponential decay. */
interface Splash {
  time: number;
  gain: number;
  pan: number;
  /** Seconds of the attack, and of the decay's e-fold. */
  attack: number;
  decay: number;
}

export function lakeTexture(context: TextureContext, options: Partial<LakeOptions>): Texture {
  const o = { ...LAKE_DEFAULTS, ...options };
  const { rate, score } = context;
  const keys = { noise: context.rng.fork("noise").key, bubbles: context.rng.fork("bubbles").key, events: context.rng.fork("events").key };
  const warm = warmFrames(o.waterHz[1], rate);

  function render(out: readonly [Float32Array, Float32Array], startFrame: number): void {
    const length = out[0].length;
    const lookback = LOOKBACK * rate;
    const curves = new ControlCurves(score, rate, startFrame - lookback, length + lookback);
    const from = startFrame / rate;
    const to = (startFrame + length) / rate;
    const swells: Swell[] = [];
    const splashes: Splash[] = [];
    const wet = [new Float32Array(length), new Float32Array(length)] as const;
    const bubble = (time: number, radius: number, gain: number, pan: number, attack = 0.002) => {
      const [l, r] = panGains(pan);
      const frame = Math.round(time * rate);
      addBubble(wet[0], startFrame, rate, { frame, radius, gain: gain * l * GAIN.bubble, rise: 0.1, attack });
      addBubble(wet[1], startFrame, rate, { frame, radius, gain: gain * r * GAIN.bubble, rise: 0.1, attack });
    };
    for (const event of score.events(from - LOOKBACK, to)) {
      const next = sfc32(mix(keys.events, Math.round(event.time * 1000)));
      const bright = curves.value("brightness", event.time);
      if (event.kind === "lap") lap(event, next, bright, swells, splashes, bubble);
      else if (event.kind === "leap") leap(event, next, swells, splashes, bubble);
    }
    // Bubbles rising between the laps, as many as the density says.
    const [fewest, most] = o.bubbles;
    forEachGrain(keys.bubbles, most, from - bubbleSeconds(6), to, (grain) => {
      if (grain.next() * most >= fewest + (most - fewest) * curves.value("density", grain.time)) return;
      bubble(grain.time, powerLawRadius(grain.next(), 1.2, 5, 2), 0.3 + 0.5 * grain.next(), grain.next() * 1.6 - 0.8);
    });
    for (const splash of splashes) addSplash(wet, startFrame, rate, splash, o.splashHz, mix(keys.noise, Math.round(splash.time * rate), 2));
    const envelopes = swellEnvelopes(swells, startFrame, length);
    for (let channel = 0; channel < 2; channel++) water(out[channel], wet[channel], envelopes[channel], channel, startFrame, curves);
  }

  /** The lapping water of one channel under its envelope, the bubbles and splashes over it, at the level. */
  function water(
    target: Float32Array,
    wet: Float32Array,
    envelope: Float32Array,
    channel: number,
    startFrame: number,
    curves: ControlCurves,
  ): void {
    const length = target.length;
    const clear = new Float32Array(warm + length);
    fillNoise(clear, mix(keys.noise, channel), startFrame - warm);
    new Biquad("lowpass", o.waterHz[0], rate).run(clear);
    new Biquad("lowpass", o.waterHz[0], rate).run(clear);
    const dark = clear.slice();
    new Biquad("lowpass", o.waterHz[1], rate).run(dark);
    for (let from = 0; from < length; from += STEP) {
      const t = (startFrame + from) / rate;
      const gain = levelToGain(curves.value("level", t));
      const bright = curves.value("brightness", t);
      // Dark water is quieter at the top: lift it so brightness moves the colour more than the level.
      const [c, d] = [bright, (1 - bright) * 1.6];
      const [e0, e1] = [envelope[from / STEP], envelope[from / STEP + 1]];
      const end = Math.min(length, from + STEP);
      for (let i = from; i < end; i++) {
        const e = e0 + ((e1 - e0) * (i - from)) / STEP;
        const w = warm + i;
        target[i] += gain * (GAIN.water * e * (c * clear[w] + d * dark[w]) + wet[i]);
      }
    }
  }

  /** The bed and the swells of the stretch, per channel, on a grid of STEP frames. */
  function swellEnvelopes(swells: Swell[], startFrame: number, length: number): Float32Array[] {
    const points = Math.ceil(length / STEP) + 1;
    const envelopes = [new Float32Array(points).fill(o.bed), new Float32Array(points).fill(o.bed)];
    for (const swell of swells) {
      const [l, r] = panGains(swell.pan);
      const first = Math.max(0, Math.ceil((swell.time * rate - startFrame) / STEP));
      const last = Math.min(points - 1, Math.floor(((swell.time + SWELL.length) * rate - startFrame) / STEP));
      for (let k = first; k <= last; k++) {
        const shape = swellShape((startFrame + k * STEP) / rate - swell.time) * swell.strength;
        envelopes[0][k] += shape * l;
        envelopes[1][k] += shape * r;
      }
    }
    return envelopes;
  }

  return { render };
}

/** Adds a splash into `wet`: noise through a band, from rest at its start, so any stretch of it is the same. */
function addSplash(
  wet: readonly [Float32Array, Float32Array],
  startFrame: number,
  rate: number,
  splash: Splash,
  band: [number, number],
  key: number,
): void {
  const first = Math.round(splash.time * rate);
  const length = Math.ceil((splash.attack + 7 * splash.decay) * rate);
  const from = Math.max(0, startFrame - first);
  const to = Math.min(length, startFrame + wet[0].length - first);
  if (from >= to) return;
  const hp = new Biquad("highpass", band[0], rate);
  const lp = new Biquad("lowpass", band[1], rate);
  const lp2 = new Biquad("lowpass", band[1], rate);
  const [l, r] = panGains(splash.pan);
  const attack = splash.attack * rate;
  const fall = Math.exp(-1 / (splash.decay * rate));
  let level = 1;
  for (let n = 0; n < to; n++) {
    const x = lp2.tick(lp.tick(hp.tick(noiseAt(key, n))));
    let envelope = level;
    if (n < attack) envelope = 0.5 - 0.5 * Math.cos((Math.PI * n) / attack);
    else level *= fall;
    if (n >= from) {
      const v = x * envelope * splash.gain;
      wet[0][first + n - startFrame] += v * l;
      wet[1][first + n - startFrame] += v * r;
    }
  }
}

type AddBubble = (time: number, radius: number, gain: number, pan: number, attack?: number) => void;

/** A lap: a swell, a few larger bubbles as it breaks, and on a clear night a small splash and droplets. */
function lap(
  event: Extract<ScoreEvent, { kind: "lap" }>,
  next: () => number,
  bright: number,
  swells: Swell[],
  splashes: Splash[],
  bubble: AddBubble,
): void {
  const { time, strength: s, pan } = event;
  swells.push({ time, strength: s, pan });
  const crest = time + SWELL.crest;
  for (let i = Math.floor(1 + 3 * s * next()); i > 0; i--)
    bubble(crest + 0.5 * next() - 0.1, powerLawRadius(next(), 1.5, 6, 2), s * (0.4 + 0.6 * next()), pan + 0.3 * (next() - 0.5));
  if (next() < 0.3 + 0.6 * bright) splashes.push({ time: crest + 0.1 * next(), gain: GAIN.splash * s, pan, attack: 0.012, decay: 0.04 });
  for (let i = Math.floor(5 * bright * next()); i > 0; i--)
    bubble(crest + 0.4 * next(), powerLawRadius(next(), 0.35, 0.9, 2), 0.4 * s, pan, 0.0005);
}

/** The fish: a soft splash, the drops falling back as bubbles, and its rings reaching the shore. */
function leap(
  event: { time: number; intensity: number },
  next: () => number,
  swells: Swell[],
  splashes: Splash[],
  bubble: AddBubble,
): void {
  const { time, intensity: x } = event;
  const pan = 0.4 * (next() - 0.5);
  // A soft attack (30 ms), never a step: the leap stands out of a quiet passage by its shape, not its peak.
  splashes.push({ time, gain: GAIN.leap * x, pan, attack: 0.03, decay: 0.12 });
  splashes.push({ time: time + 0.18 + 0.1 * next(), gain: 0.5 * GAIN.leap * x, pan: pan + 0.2, attack: 0.025, decay: 0.08 });
  for (let i = 0; i < 12; i++) {
    const at = time + 0.1 + 0.8 * next() ** 1.5;
    bubble(at, powerLawRadius(next(), 0.8, 4, 1.5), x * (0.5 + 0.8 * next()), pan + 0.5 * (next() - 0.5));
  }
  for (let i = 0, at = time + 1; i < 5; i++, at += 0.7 + 0.25 * next()) {
    const strength = x * 0.9 * 0.7 ** i;
    swells.push({ time: at - SWELL.crest, strength, pan: pan + 0.3 * (next() - 0.5) });
    bubble(at + 0.2 * next(), powerLawRadius(next(), 1.5, 5, 2), strength, pan);
  }
}

/** A swell's height `x` seconds after it starts: a raised-cosine rise to its crest, a slower fall. */
function swellShape(x: number): number {
  if (x <= 0 || x >= SWELL.length) return 0;
  if (x < SWELL.crest) return 0.5 - 0.5 * Math.cos((Math.PI * x) / SWELL.crest);
  return 0.5 + 0.5 * Math.cos((Math.PI * (x - SWELL.crest)) / (SWELL.length - SWELL.crest));
}
