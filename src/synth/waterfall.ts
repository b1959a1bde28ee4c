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
import { CONTROL_STEP } from "../score/controls.ts";
import { BubbleBank, BubbleCrowd, bubbleSeconds, type Draws, powerLawRadius } from "./bubbles.ts";
import { onePole, warmFrames } from "./filters.ts";
import { panGains } from "./grains.ts";
import { Chain, section } from "./noise-chain.ts";
import { flutterAt } from "./wind.ts";
import { levelToGain, type Texture, type TextureContext, type TextureScore } from "./texture.ts";

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

/** Amplitude the bubbles ring down to (-30 dB): below it they are lost in the wash. */
const BUBBLE_FLOOR = 0.03;

/** Bubbles land on two buses panned this far left and right. */
const BUS_PAN = 0.6;

/**
 * The roar is drawn at an eighth of the rate and interpolated linearly: it
 * lies in 150–320 Hz, far below the 3 kHz that rate holds, and what the
 * interpolation mirrors about 6 kHz is 50 dB down, under the wash.
 */
const DECIMATE = 8;

/** Frames over which the level, the brightness and the sways are ramped linearly (they move on a 0.25 s grid). */
const BLOCK = 64;

export function waterfallTexture(context: TextureContext, options: Partial<WaterfallOptions>): Texture {
  return new Waterfall(context, { ...WATERFALL_DEFAULTS, ...options });
}

/**
 * What the texture keeps from chunk to chunk. Every buffer is reused (each is
 * overwritten or cleared before use), and nothing is allocated in the steady
 * state: garbage collection once cost more than the filters.
 */
class Waterfall implements Texture {
  private readonly rate: number;
  /** Frames the water's filters warm up over, from rest, before a stretch, and the roar's (at its own rate). */
  private readonly warm: number;
  private readonly roarWarm: number;
  /** The roar's first frame (at its own rate) in the stretch being drawn. */
  private roarFirst = 0;
  /** Seconds the longest bubble rings. */
  private readonly longest: number;
  private readonly lookback: number;
  private readonly controls: Controls;
  private readonly crowd: BubbleCrowd;
  private readonly bank: BubbleBank;
  private readonly buses = [panGains(-BUS_PAN), panGains(BUS_PAN)];
  private bubbled = [new Float32Array(0), new Float32Array(0)];
  private readonly roar: Chain;
  private readonly water: readonly [Chain, Chain];
  private readonly sway: readonly number[];
  /** The wash's body's one-pole coefficient. */
  private readonly split: number;
  /**
   * What carries from block to block: the level's gain and the spray's at the
   * block's start and end, each region's sway likewise, each wash's body.
   */
  private readonly ramps = new Float64Array(BODY + 2);
  /** First story frame of the stretch being drawn, which the bubbles are added to. */
  private startFrame = 0;
  private readonly addBubble = (time: number, own: Draws) => this.bubble(time, own);

  constructor(
    context: TextureContext,
    private readonly o: WaterfallOptions,
  ) {
    const { rate } = context;
    this.rate = rate;
    this.warm = warmFrames(SPLIT_HZ, rate);
    this.roarWarm = warmFrames(Math.min(ROAR_FLOOR, o.roarHz), rate / DECIMATE);
    this.longest = bubbleSeconds(o.radius[2], BUBBLE_FLOOR);
    this.lookback = Math.ceil(this.longest * rate);
    this.controls = new Controls(context.score);
    this.crowd = new BubbleCrowd(context.rng.fork("bubbles").key, o.bubbles);
    this.bank = new BubbleBank(rate, Math.min(o.radius[0], o.radius[1]), o.radius[2], 64, 0.1, BUBBLE_FLOOR);
    // The distant roar is one source, the same in both ears; the water over it is wide.
    const slow = rate / DECIMATE;
    const roar = [section("highpass", ROAR_FLOOR, slow), section("lowpass", o.roarHz, slow), section("lowpass", o.roarHz, slow)] as const;
    this.roar = new Chain(context.rng.fork("roar").key, roar);
    // The water: the spray's top twice, then the wash.
    const water = [
      section("lowpass", o.sprayHz, rate),
      section("lowpass", o.sprayHz, rate),
      section("lowpass", o.washHz, rate, 0.6),
    ] as const;
    const noise = context.rng.fork("noise").key;
    this.water = [new Chain(mix(noise, 0), water), new Chain(mix(noise, 1), water)];
    this.sway = SWAY.map((_, r) => context.rng.fork(`sway${r}`).key);
    this.split = onePole(SPLIT_HZ, rate);
  }

  render(out: readonly [Float32Array, Float32Array], startFrame: number): void {
    const { rate, warm, controls, ramps } = this;
    const length = out[0].length;
    if (length !== this.bubbled[0].length) {
      this.bubbled = [new Float32Array(length), new Float32Array(length)];
      for (const chain of this.water) chain.size(warm + length);
      this.roar.size(this.roarWarm + Math.ceil(length / DECIMATE) + 2);
    }
    // The grid reaches back over the bubbles still ringing, so each reads its brightness at its onset.
    controls.hold(
      Math.floor((startFrame - this.lookback) / rate / CONTROL_STEP),
      Math.floor((startFrame + length) / rate / CONTROL_STEP) + 1,
    );
    this.bubbled[0].fill(0);
    this.bubbled[1].fill(0);
    this.startFrame = startFrame;
    this.crowd.each(startFrame / rate - this.longest, (startFrame + length) / rate, this.addBubble);
    // Each chain starts from rest and warms up over the frames before the stretch.
    this.roarFirst = Math.floor(startFrame / DECIMATE) - this.roarWarm;
    this.roar.run(this.roarFirst);
    this.water[0].run(startFrame - warm);
    this.water[1].run(startFrame - warm);
    ramps.fill(0);
    for (let from = 0; from < warm; from += BLOCK) this.settle(from, Math.min(warm, from + BLOCK));
    ramps[0] = controls.gain(startFrame / rate);
    ramps[2] = controls.spray(startFrame / rate);
    for (let r = 0; r < SWAY.length; r++) ramps[4 + 2 * r] = this.swayAt(r, startFrame);
    for (let from = 0; from < length; from += BLOCK) {
      const to = Math.min(length, from + BLOCK);
      ramps[1] = controls.gain((startFrame + to) / rate);
      ramps[3] = controls.spray((startFrame + to) / rate);
      for (let r = 0; r < SWAY.length; r++) ramps[5 + 2 * r] = this.swayAt(r, startFrame + to);
      this.mix(out[0], out[1], from, to);
      ramps[0] = ramps[1];
      ramps[2] = ramps[3];
      for (let r = 0; r < SWAY.length; r++) ramps[4 + 2 * r] = ramps[5 + 2 * r];
    }
  }

  /** A bubble of the crowd at story time `time`, at unit level, on its bus. */
  private bubble(time: number, own: Draws): void {
    const { o } = this;
    const smallest = o.radius[0] + (o.radius[1] - o.radius[0]) * this.controls.brightness(time);
    const radius = powerLawRadius(own.next(), smallest, o.radius[2], 2.5);
    const gain = GAIN.bubble * (0.4 + 0.6 * own.next());
    this.bank.add(this.bubbled[own.next() < 0.5 ? 0 : 1], this.startFrame, Math.round(time * this.rate), radius, gain);
  }

  /** Region r's sway at story frame `frame`: a gain near 1, its knots on a grid of absolute frames. */
  private swayAt(r: number, frame: number): number {
    return 1 + SWAY[r][0] * flutterAt(this.sway[r], frame, SWAY[r][1] * this.rate);
  }

  /** The wash's bodies (one-pole lowpasses of the washes) over warm-up frames [from, to). */
  private settle(from: number, to: number): void {
    const { ramps, split } = this;
    const washL = this.water[0].out;
    const washR = this.water[1].out;
    let bodyL = ramps[BODY];
    let bodyR = ramps[BODY + 1];
    for (let i = from; i < to; i++) {
      bodyL += split * (washL[i] - bodyL);
      bodyR += split * (washR[i] - bodyR);
    }
    ramps[BODY] = bodyL;
    ramps[BODY + 1] = bodyR;
  }

  /**
   * Frames [from, to) of the roar, the water and the bubbles into `left` and
   * `right`, at the level, each ramp linear over the block; and the washes'
   * bodies. Every value that once went through a buffer of its own is rounded
   * to 32 bits as that buffer held it, as the texture once drew it.
   */
  private mix(left: Float32Array, right: Float32Array, from: number, to: number): void {
    // Everything in locals, which the optimiser keeps in registers (no destructuring: it allocates).
    const ramps = this.ramps;
    const roar = this.roar.out;
    const brightL = this.water[0].into;
    const washL = this.water[0].out;
    const brightR = this.water[1].into;
    const washR = this.water[1].out;
    const busA = this.bubbled[0];
    const busB = this.bubbled[1];
    const aL = this.buses[0][0];
    const aR = this.buses[0][1];
    const bL = this.buses[1][0];
    const bR = this.buses[1][1];
    const k = this.split;
    const over = this.o.spray;
    const start = this.warm;
    // Where the block starts in the roar (at its rate), and how far between two of its frames.
    const first = this.startFrame + from;
    const slow = Math.floor(first / DECIMATE);
    const phase = first - slow * DECIMATE;
    const r0 = slow - this.roarFirst;
    const g0 = ramps[0];
    const g1 = ramps[1];
    const p0 = ramps[2];
    const p1 = ramps[3];
    const frames = to - from;
    const step = 1 / frames;
    const x0 = ramps[4];
    const x1 = ramps[6];
    const x2 = ramps[8];
    const x3 = ramps[10];
    const dx0 = (ramps[5] - x0) / frames;
    const dx1 = (ramps[7] - x1) / frames;
    const dx2 = (ramps[9] - x2) / frames;
    const dx3 = (ramps[11] - x3) / frames;
    let bodyL = ramps[BODY];
    let bodyR = ramps[BODY + 1];
    for (let i = from; i < to; i++) {
      const n = i - from;
      const f = n * step;
      const level = Math.fround(g0 + (g1 - g0) * f);
      const spray = Math.fround(p0 + (p1 - p0) * f);
      const sway0 = Math.fround(x0 + dx0 * n);
      const sway1 = Math.fround(x1 + dx1 * n);
      const sway2 = Math.fround(x2 + dx2 * n);
      const sway3 = Math.fround(x3 + dx3 * n);
      const j = start + i;
      const q = phase + n;
      const r = r0 + Math.floor(q / DECIMATE);
      const a = roar[r];
      const low = GAIN.roar * ROAR_SCALE * sway0 * (a + (roar[r + 1] - a) * ((q % DECIMATE) / DECIMATE));
      bodyL += k * (washL[j] - bodyL);
      bodyR += k * (washR[j] - bodyR);
      const bodyLeft = Math.fround(bodyL);
      const bodyRight = Math.fround(bodyR);
      const waterL =
        GAIN.wash * (sway1 * bodyLeft + sway2 * (washL[j] - bodyLeft)) +
        spray * sway3 * (brightL[j] - washL[j]) +
        aL * busA[i] +
        bL * busB[i];
      const waterR =
        GAIN.wash * (sway1 * bodyRight + sway2 * (washR[j] - bodyRight)) +
        spray * sway3 * (brightR[j] - washR[j]) +
        aR * busA[i] +
        bR * busB[i];
      left[i] += level * (low + over * waterL);
      right[i] += level * (low + over * waterR);
    }
    ramps[BODY] = bodyL;
    ramps[BODY + 1] = bodyR;
  }
}

/** The roar's noise drawn at an eighth of the rate is eight times as dense in its band: its amplitude, scaled to match. */
const ROAR_SCALE = Math.sqrt(1 / DECIMATE);

/** Where the washes' bodies are kept in the ramps, after the gains and the sways. */
const BODY = 4 + 2 * SWAY.length;

/**
 * The score's level and brightness on its grid (CONTROL_STEP), interpolated
 * linearly between its samples (to the same values as ControlCurves), and
 * held from chunk to chunk: asking the score is the costly part.
 */
class Controls {
  /** Grid index of the first sample held. */
  private first = 0;
  private count = 0;
  private levels = new Float64Array(0);
  private brightnesses = new Float64Array(0);

  constructor(private readonly score: TextureScore) {}

  /** Holds the grid's samples from index `from` to `to`, keeping those already held. */
  hold(from: number, to: number): void {
    const count = to - from + 1;
    if (this.levels.length < count) {
      this.levels = new Float64Array(count);
      this.brightnesses = new Float64Array(count);
      this.count = 0;
    }
    const shift = from - this.first;
    const kept = shift >= 0 && shift < this.count ? Math.min(count, this.count - shift) : 0;
    this.levels.copyWithin(0, shift, shift + kept);
    this.brightnesses.copyWithin(0, shift, shift + kept);
    for (let k = kept; k < count; k++) {
      const p = this.score.controls((from + k) * CONTROL_STEP);
      this.levels[k] = p.level;
      this.brightnesses[k] = p.brightness;
    }
    this.first = from;
    this.count = count;
  }

  /** The level's gain at story time t. */
  gain(t: number): number {
    return levelToGain(this.at(this.levels, t));
  }

  /** The spray's gain at story time t. */
  spray(t: number): number {
    return GAIN.spray * (0.15 + 0.85 * this.brightness(t));
  }

  /** The brightness at story time t. */
  brightness(t: number): number {
    return this.at(this.brightnesses, t);
  }

  private at(samples: Float64Array, t: number): number {
    const x = t / CONTROL_STEP;
    const k = Math.floor(x);
    const held = k >= this.first && k + 1 < this.first + this.count;
    const a = held ? samples[k - this.first] : this.asked(samples, k);
    const b = held ? samples[k + 1 - this.first] : this.asked(samples, k + 1);
    return a + (b - a) * (x - k);
  }

  /** Grid sample k of `samples`'s control, not held: asked of the score (on the same grid, the same value). */
  private asked(samples: Float64Array, k: number): number {
    const p = this.score.controls(k * CONTROL_STEP);
    return samples === this.levels ? p.level : p.brightness;
  }
}
