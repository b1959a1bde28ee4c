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
import { addBubble, type Bubble, bubbleSeconds, powerLawRadius } from "./bubbles.ts";
import { Biquad, warmFrames } from "./filters.ts";
import { forEachGrain, type Grain, panGains } from "./grains.ts";
import { fillNoise, noiseAt } from "./noise.ts";
import { ControlCurves, levelToGain, type Texture, type TextureContext, type TextureScore } from "./texture.ts";

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
  return new Lake(context, { ...LAKE_DEFAULTS, ...options });
}

/** Two channels of scratch, `length` frames each. */
function pair(length: number): [Float32Array, Float32Array] {
  return [new Float32Array(length), new Float32Array(length)];
}

/**
 * The lake's texture. Its scratch is its own, sized when the chunk's length
 * changes and reused from chunk to chunk: the bubbles and splashes of each
 * channel (wet), the swells' envelopes, the filters, a pool of splashes.
 */
class Lake implements Texture {
  private readonly rate: number;
  private readonly score: TextureScore;
  private readonly keys: { noise: number; bubbles: number; events: number };
  private readonly warm: number;
  private wet = pair(0);
  private envelopes = pair(0);
  /** One channel's water at a time (from `warm` frames before the chunk): clear, and dark. */
  private clear = new Float32Array(0);
  private dark = new Float32Array(0);
  private gains = new Float64Array(0);
  private bright = new Float64Array(0);
  /** The clear water's two lowpasses, and the dark one's. */
  private readonly lowpasses: [Biquad, Biquad, Biquad];
  private readonly band: [Biquad, Biquad, Biquad];
  // The splashes of the chunk, added after its bubbles (in that order, as the sums always were).
  private readonly splashes: Splash[] = [];
  private splashCount = 0;
  private readonly one: Bubble = { frame: 0, radius: 0, gain: 0, rise: 0.1, attack: 0 };
  private startFrame = 0;
  private curves: ControlCurves | undefined;

  constructor(
    context: TextureContext,
    private readonly o: LakeOptions,
  ) {
    const { rate, rng } = context;
    this.rate = rate;
    this.score = context.score;
    this.keys = { noise: rng.fork("noise").key, bubbles: rng.fork("bubbles").key, events: rng.fork("events").key };
    this.warm = warmFrames(o.waterHz[1], rate);
    this.lowpasses = [
      new Biquad("lowpass", o.waterHz[0], rate),
      new Biquad("lowpass", o.waterHz[0], rate),
      new Biquad("lowpass", o.waterHz[1], rate),
    ];
    this.band = [
      new Biquad("highpass", o.splashHz[0], rate),
      new Biquad("lowpass", o.splashHz[1], rate),
      new Biquad("lowpass", o.splashHz[1], rate),
    ];
  }

  render(out: readonly [Float32Array, Float32Array], startFrame: number): void {
    const { rate, score, keys } = this;
    const length = out[0].length;
    this.startFrame = startFrame;
    const lookback = LOOKBACK * rate;
    const curves = new ControlCurves(score, rate, startFrame - lookback, length + lookback);
    this.curves = curves;
    const from = startFrame / rate;
    const to = (startFrame + length) / rate;
    if (this.wet[0].length !== length) {
      this.wet = pair(length);
      this.envelopes = pair(Math.ceil(length / STEP) + 1);
      this.clear = new Float32Array(this.warm + length);
      this.dark = new Float32Array(this.warm + length);
      this.gains = new Float64Array(Math.ceil(length / STEP));
      this.bright = new Float64Array(Math.ceil(length / STEP));
    }
    // Silent at this level throughout (the lake is out of the story here): the water, its bubbles and
    // splashes are all scaled by it at the end (water()), so the sum is zero to the bit. Nothing is drawn.
    this.steps(curves, length);
    if (silent(this.gains, Math.ceil(length / STEP))) return;
    for (let c = 0; c < 2; c++) {
      this.wet[c].fill(0);
      this.envelopes[c].fill(this.o.bed);
    }
    this.splashCount = 0;
    const events = score.events(from - LOOKBACK, to);
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      const next = sfc32(mix(keys.events, Math.round(event.time * 1000)));
      const bright = curves.value("brightness", event.time);
      if (event.kind === "lap") lap(event, next, bright, this);
      else if (event.kind === "leap") leap(event, next, this);
    }
    forEachGrain(keys.bubbles, this.o.bubbles[1], from - bubbleSeconds(6), to, this.between);
    for (let i = 0; i < this.splashCount; i++) {
      const s = this.splashes[i];
      addSplash(this.wet, startFrame, rate, s, this.band, mix(keys.noise, Math.round(s.time * rate), 2));
    }
    for (let channel = 0; channel < 2; channel++) this.water(out[channel], channel);
  }

  /** A bubble, panned, into the wet channels. */
  bubble(time: number, radius: number, gain: number, pan: number, attack = 0.002): void {
    const [l, r] = panGains(pan);
    const one = this.one;
    one.frame = Math.round(time * this.rate);
    one.radius = radius;
    one.attack = attack;
    one.gain = gain * l * GAIN.bubble;
    addBubble(this.wet[0], this.startFrame, this.rate, one);
    one.gain = gain * r * GAIN.bubble;
    addBubble(this.wet[1], this.startFrame, this.rate, one);
  }

  /** A swell into the envelopes (over the bed), on their grid of STEP frames. */
  swell(time: number, strength: number, pan: number): void {
    const [l, r] = panGains(pan);
    const { rate, startFrame, envelopes } = this;
    const first = Math.max(0, Math.ceil((time * rate - startFrame) / STEP));
    const last = Math.min(envelopes[0].length - 1, Math.floor(((time + SWELL.length) * rate - startFrame) / STEP));
    for (let k = first; k <= last; k++) {
      const shape = swellShape((startFrame + k * STEP) / rate - time) * strength;
      envelopes[0][k] += shape * l;
      envelopes[1][k] += shape * r;
    }
  }

  /** A splash, kept to be added after the bubbles. */
  splash(time: number, gain: number, pan: number, attack: number, decay: number): void {
    if (this.splashCount === this.splashes.length) this.splashes.push({ time, gain, pan, attack, decay });
    const s = this.splashes[this.splashCount++];
    s.time = time;
    s.gain = gain;
    s.pan = pan;
    s.attack = attack;
    s.decay = decay;
  }

  /** Bubbles rising between the laps, as many as the density says. */
  private readonly between = (grain: Grain): void => {
    const [fewest, most] = this.o.bubbles;
    if (grain.next() * most >= fewest + (most - fewest) * (this.curves as ControlCurves).value("density", grain.time)) return;
    this.bubble(grain.time, powerLawRadius(grain.next(), 1.2, 5, 2), 0.3 + 0.5 * grain.next(), grain.next() * 1.6 - 0.8);
  };

  /**
   * The lapping water of one channel under its envelope, the bubbles and
   * splashes over it, at the level (its gains a step at a time, the same
   * for both channels). The filters run over arrays, in filters.ts's own
   * loops: a call per sample (a biquad's tick, noiseAt) is not inlined
   * everywhere, and then every value it returns is boxed.
   */
  private water(target: Float32Array, channel: number): void {
    // Plain loads, no destructuring: see NoiseBed.add (wind.ts).
    const warm = this.warm;
    const clear = this.clear;
    const dark = this.dark;
    fillNoise(clear, mix(this.keys.noise, channel), this.startFrame - warm);
    this.lowpasses[0].reset().run(clear);
    this.lowpasses[1].reset().run(clear);
    dark.set(clear);
    this.lowpasses[2].reset().run(dark);
    const gains = this.gains;
    const bright = this.bright;
    const wet = this.wet[channel];
    const envelope = this.envelopes[channel];
    const length = target.length;
    for (let from = 0, k = 0; from < length; from += STEP, k++) {
      const gain = gains[k];
      // Dark water is quieter at the top: lift it so brightness moves the colour more than the level.
      const c = bright[k];
      const d = (1 - c) * 1.6;
      const e0 = envelope[k];
      const e1 = envelope[k + 1];
      const end = Math.min(length, from + STEP);
      for (let i = from; i < end; i++) {
        const e = e0 + ((e1 - e0) * (i - from)) / STEP;
        const w = warm + i;
        target[i] += gain * (GAIN.water * e * (c * clear[w] + d * dark[w]) + wet[i]);
      }
    }
  }

  /** The level's gain and the brightness at each step of the chunk. */
  private steps(curves: ControlCurves, length: number): void {
    for (let from = 0, k = 0; from < length; from += STEP, k++) {
      const t = (this.startFrame + from) / this.rate;
      this.gains[k] = levelToGain(curves.value("level", t));
      this.bright[k] = curves.value("brightness", t);
    }
  }
}

/** True when the first `count` gains are all zero. */
function silent(gains: Float64Array, count: number): boolean {
  for (let k = 0; k < count; k++) if (gains[k] !== 0) return false;
  return true;
}

/** Adds a splash into `wet`: noise through a band (its filters, reset), from rest at its start, so any stretch of it is the same. */
function addSplash(
  wet: readonly [Float32Array, Float32Array],
  startFrame: number,
  rate: number,
  splash: Splash,
  band: readonly Biquad[],
  key: number,
): void {
  const hp = band[0];
  const lp = band[1];
  const lp2 = band[2];
  const first = Math.round(splash.time * rate);
  const length = Math.ceil((splash.attack + 7 * splash.decay) * rate);
  const from = Math.max(0, startFrame - first);
  const to = Math.min(length, startFrame + wet[0].length - first);
  if (from >= to) return;
  hp.reset();
  lp.reset();
  lp2.reset();
  const pan = panGains(splash.pan);
  const l = pan[0];
  const r = pan[1];
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

/** A lap: a swell, a few larger bubbles as it breaks, and on a clear night a small splash and droplets. */
function lap(event: Extract<ScoreEvent, { kind: "lap" }>, next: () => number, bright: number, lake: Lake): void {
  const { time, strength: s, pan } = event;
  lake.swell(time, s, pan);
  const crest = time + SWELL.crest;
  for (let i = Math.floor(1 + 3 * s * next()); i > 0; i--)
    lake.bubble(crest + 0.5 * next() - 0.1, powerLawRadius(next(), 1.5, 6, 2), s * (0.4 + 0.6 * next()), pan + 0.3 * (next() - 0.5));
  if (next() < 0.3 + 0.6 * bright) lake.splash(crest + 0.1 * next(), GAIN.splash * s, pan, 0.012, 0.04);
  for (let i = Math.floor(5 * bright * next()); i > 0; i--)
    lake.bubble(crest + 0.4 * next(), powerLawRadius(next(), 0.35, 0.9, 2), 0.4 * s, pan, 0.0005);
}

/** The fish: a soft splash, the drops falling back as bubbles, and its rings reaching the shore. */
function leap(event: { time: number; intensity: number }, next: () => number, lake: Lake): void {
  const { time, intensity: x } = event;
  const pan = 0.4 * (next() - 0.5);
  // A soft attack (30 ms), never a step: the leap stands out of a quiet passage by its shape, not its peak.
  lake.splash(time, GAIN.leap * x, pan, 0.03, 0.12);
  lake.splash(time + 0.18 + 0.1 * next(), 0.5 * GAIN.leap * x, pan + 0.2, 0.025, 0.08);
  for (let i = 0; i < 12; i++) {
    const at = time + 0.1 + 0.8 * next() ** 1.5;
    lake.bubble(at, powerLawRadius(next(), 0.8, 4, 1.5), x * (0.5 + 0.8 * next()), pan + 0.5 * (next() - 0.5));
  }
  for (let i = 0, at = time + 1; i < 5; i++, at += 0.7 + 0.25 * next()) {
    const strength = x * 0.9 * 0.7 ** i;
    lake.swell(at - SWELL.crest, strength, pan + 0.3 * (next() - 0.5));
    lake.bubble(at + 0.2 * next(), powerLawRadius(next(), 1.5, 5, 2), strength, pan);
  }
}

/** A swell's height `x` seconds after it starts: a raised-cosine rise to its crest, a slower fall. */
function swellShape(x: number): number {
  if (x <= 0 || x >= SWELL.length) return 0;
  if (x < SWELL.crest) return 0.5 - 0.5 * Math.cos((Math.PI * x) / SWELL.crest);
  return 0.5 + 0.5 * Math.cos((Math.PI * (x - SWELL.crest)) / (SWELL.length - SWELL.crest));
}
