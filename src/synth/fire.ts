/**
 * A fire in the hearth (Farnell's three layers): a quiet low roar that
 * slowly laps, a soft hiss that swells now and then, and wood crackling in
 * sparse, sharp bursts. A crackle is a few milliseconds of band-passed noise
 * at a band of its own (1–8 kHz), its size drawn from a power law (many
 * small, a few large, capped so none stands out of a quiet passage); they
 * come in small clusters, a Poisson process whose rate follows density; now
 * and then a lower, resonant pop. A settle event is a log sinking: a soft
 * low thump and a flurry of crackles. The hearth is one place: the roar and
 * hiss are mono, the crackles spread a little across it.
 *
 *   noise ─┬→ bandpass roarHz/2 → lowpass roarHz → × lapping ──────→ roar ─┐
 *          └→ highpass hissHz → × swells · brightness ───────────────→ hiss ─┤
 *   clusters (Poisson, rate by density × flurry) → crackles | pops (bursts) ┼→ out
 *   settle (the score's): sine 62 Hz under a soft envelope ─────────────────┘
 */
import { Random } from "../core/random.ts";
import { smoothNoise } from "../score/modulation.ts";
import { addBurst } from "./bursts.ts";
import { Biquad, warmFrames } from "./filters.ts";
import { forEachGrain, type Grain, panGains } from "./grains.ts";
import { fillNoise } from "./noise.ts";
import { ControlCurves, levelToGain, type Texture, type TextureContext } from "./texture.ts";

export interface FireOptions {
  /** Top of the roar, in Hz. */
  roarHz: number;
  /** Low edge of the hiss, in Hz. */
  hissHz: number;
  /** Lowest and highest centre of a crackle, in Hz. */
  crackleHz: [number, number];
  /** Lowest and highest centre of a pop (wood knocking, resonant), in Hz. */
  popHz: [number, number];
  /** Clusters of crackles a second at density 0 and at density 1. */
  clustersPerSecond: [number, number];
  /** Exponent of the crackles' power law of sizes (larger: fewer large ones). */
  sizeExponent: number;
}

export const FIRE_DEFAULTS: FireOptions = {
  roarHz: 220,
  hissHz: 1500,
  crackleHz: [1000, 8000],
  popHz: [250, 1000],
  clustersPerSecond: [1, 10],
  sizeExponent: 1.6,
};

/** How much more a settling log makes it crackle, at intensity 1, and for how long (seconds either side). */
const FLURRY = 4;
const FLURRY_HALF_WIDTH = 1.5;
/** Longest cluster (its spread and its last crackle's ring), and longest settle, in seconds. */
const LONGEST_CLUSTER = 0.25;
const LONGEST_SETTLE = 0.8;
/** Largest crackle over the smallest: the power law's cap. */
const LARGEST = 4;
/** The fire's own gain, on top of its level's (as loud as the fire it replaced, so presets keep their balance). */
const SCALE = 2.2;
/** Frames per step of the slow gains (lapping, swells). */
const STEP = 32;

type Stereo = readonly [Float32Array, Float32Array];
/** A biquad section's coefficients, run inline (see Biquad.coefficients). */
type Section = [number, number, number, number, number];

/** A settling log, from the score: its story time (seconds) and intensity (0–1). */
interface Settle {
  time: number;
  intensity: number;
}

/**
 * A random source for smoothNoise that remembers the lattice values it last
 * gave: the lapping and the swells are read at every step of the bed, 1500
 * times a chunk, from a handful of lattice points.
 */
class Lattice extends Random {
  /** The points held, two a layer (k and k + 1 fall in different places), and their values. */
  private readonly points = [Number.NaN, Number.NaN, Number.NaN, Number.NaN];
  private readonly values = [0, 0, 0, 0];

  override at(...slots: number[]): number {
    if (slots.length !== 2 || (slots[0] !== 0 && slots[0] !== 1)) return super.at(...slots);
    const [layer, k] = slots;
    const place = 2 * layer + (k & 1);
    if (this.points[place] === k) return this.values[place];
    const value = super.at(layer, k);
    this.points[place] = k;
    this.values[place] = value;
    return value;
  }
}

/** What a fire texture holds: its options, keys, filters and scratch, reused from chunk to chunk. */
interface Fire {
  o: FireOptions;
  rate: number;
  noiseKey: number;
  crackleKey: number;
  lapping: Random;
  swells: Random;
  /** The roar's bandpass and lowpass, and the hiss's highpass. */
  roar: [Section, Section];
  hiss: Section;
  /** Frames the filters run before a stretch. */
  warm: number;
  /** The controls, held and moved from chunk to chunk, and readers of those the fire follows. */
  curves: ControlCurves | undefined;
  level: (t: number) => number;
  density: (t: number) => number;
  brightness: (t: number) => number;
  /** Scratch: the noise (then the roar), the hiss, and the gains of each at each step. */
  low: Float32Array;
  high: Float32Array;
  gains: Float64Array;
  /** The stretch being drawn and its settling logs, for the crackles' visitor (made once, not per chunk). */
  out: Stereo;
  start: number;
  settles: Settle[];
}

export function createFireTexture(context: TextureContext, options: Partial<FireOptions> = {}): Texture {
  const o = { ...FIRE_DEFAULTS, ...options };
  const { rate, rng, score } = context;
  const unread = () => Number.NaN;
  const fire: Fire = {
    o,
    rate,
    noiseKey: rng.fork("noise").key,
    crackleKey: rng.fork("crackles").key,
    lapping: new Lattice(rng.fork("lapping").key),
    swells: new Lattice(rng.fork("swells").key),
    // A band-pass (nothing at DC) under a low-pass: the roar falls away 18 dB an octave above roarHz.
    roar: [new Biquad("bandpass", 0.5 * o.roarHz, rate, 0.6).coefficients(), new Biquad("lowpass", o.roarHz, rate).coefficients()],
    hiss: new Biquad("highpass", o.hissHz, rate).coefficients(),
    warm: warmFrames(0.3 * o.roarHz, rate),
    curves: undefined,
    level: unread,
    density: unread,
    brightness: unread,
    low: new Float32Array(0),
    high: new Float32Array(0),
    gains: new Float64Array(0),
    out: [new Float32Array(0), new Float32Array(0)],
    start: 0,
    settles: [],
  };
  const visit = (grain: Grain) => crackles(fire, grain);
  return {
    render(out, startFrame) {
      let curves = fire.curves;
      if (curves) curves.moveTo(startFrame, out[0].length);
      else {
        curves = fire.curves = new ControlCurves(score, rate, startFrame, out[0].length);
        fire.level = curves.control("level");
        fire.density = curves.control("density");
        fire.brightness = curves.control("brightness");
      }
      const from = startFrame / rate;
      const settles = fire.settles;
      settles.length = 0;
      for (const event of score.events(from - LONGEST_CLUSTER - 0.8 - FLURRY_HALF_WIDTH, from + out[0].length / rate)) {
        if (event.kind === "settle") settles.push(event);
      }
      fire.out = out;
      fire.start = startFrame;
      bed(fire, out);
      forEachGrain(fire.crackleKey, o.clustersPerSecond[1] * (1 + FLURRY), from - LONGEST_CLUSTER, from + out[0].length / rate, visit);
      for (const s of settles) if (s.time >= from - LONGEST_SETTLE) thump(rate, out, curves, s.time, s.intensity);
    },
  };
}

/** The roar and the hiss, mono, into both channels. */
function bed(fire: Fire, out: Stereo): void {
  const { rate, warm, noiseKey, lapping, swells, level, brightness } = fire;
  const n = out[0].length;
  const start = fire.start;
  if (fire.low.length !== warm + n) {
    fire.low = new Float32Array(warm + n);
    fire.high = new Float32Array(warm + n);
  }
  const steps = Math.ceil(n / STEP) + 1;
  if (fire.gains.length < 2 * steps) fire.gains = new Float64Array(2 * steps);
  const { low, high, gains } = fire;
  fillNoise(low, noiseKey, start - warm);
  filterBed(fire.roar, fire.hiss, low, high);
  // The gains of the roar and the hiss at each step's first frame, interpolated between.
  for (let k = 0; k < steps; k++) {
    const t = (start + k * STEP) / rate;
    const gain = SCALE * levelToGain(level(t));
    // The flames lap, slowly; the hiss comes up in rare swells (slow noise raised to a power).
    const lap = 1 + 0.3 * smoothNoise(lapping, t, 0.9);
    const swell = 0.5 + 1.5 * Math.max(0, smoothNoise(swells, t, 3)) ** 3;
    gains[2 * k] = 1.4 * gain * lap;
    gains[2 * k + 1] = 0.1 * gain * swell * (0.2 + 0.8 * brightness(t));
  }
  const [left, right] = out;
  for (let k = 0, i = 0; i < n; k++, i += STEP) {
    const roarGain = gains[2 * k];
    const hissGain = gains[2 * k + 1];
    const dr = (gains[2 * k + 2] - roarGain) / STEP;
    const dh = (gains[2 * k + 3] - hissGain) / STEP;
    for (let j = 0; j < STEP && i + j < n; j++) {
      const v = (roarGain + dr * j) * low[warm + i + j] + (hissGain + dh * j) * high[warm + i + j];
      left[i + j] += v;
      right[i + j] += v;
    }
  }
}

/**
 * The roar's two sections over `noise` in place and the hiss's over a copy
 * into `hiss`, from rest, in one pass (the hiss does not wait on the roar),
 * each value rounded to 32 bits where a buffer between separate passes rounds it.
 */
function filterBed(roar: readonly [Section, Section], hiss: Section, noise: Float32Array, high: Float32Array): void {
  const [p0, p1, p2, p3, p4] = roar[0];
  const [q0, q1, q2, q3, q4] = roar[1];
  const [h0, h1, h2, h3, h4] = hiss;
  let px1 = 0;
  let px2 = 0;
  let py1 = 0;
  let py2 = 0;
  let qx1 = 0;
  let qx2 = 0;
  let qy1 = 0;
  let qy2 = 0;
  let hx1 = 0;
  let hx2 = 0;
  let hy1 = 0;
  let hy2 = 0;
  for (let i = 0; i < noise.length; i++) {
    const x = noise[i];
    const py = p0 * x + p1 * px1 + p2 * px2 - p3 * py1 - p4 * py2;
    px2 = px1;
    px1 = x;
    py2 = py1;
    py1 = py;
    const qx = Math.fround(py);
    const qy = q0 * qx + q1 * qx1 + q2 * qx2 - q3 * qy1 - q4 * qy2;
    qx2 = qx1;
    qx1 = qx;
    qy2 = qy1;
    qy1 = qy;
    noise[i] = qy;
    const hy = h0 * x + h1 * hx1 + h2 * hx2 - h3 * hy1 - h4 * hy2;
    hx2 = hx1;
    hx1 = x;
    hy2 = hy1;
    hy1 = hy;
    high[i] = hy;
  }
}

/** The flurry of crackles after each settling log, around story time t: a factor on their rate. */
function flurry(settles: readonly Settle[], t: number): number {
  let f = 1;
  for (const s of settles) {
    const x = (t - s.time - 0.8) / FLURRY_HALF_WIDTH;
    if (Math.abs(x) < 1) f += FLURRY * s.intensity * 0.5 * (1 + Math.cos(Math.PI * x));
  }
  return f;
}

/** A cluster of crackles that rings in the stretch. */
function crackles(fire: Fire, grain: Grain): void {
  const { o, rate, out, start } = fire;
  const [lo, hi] = o.clustersPerSecond;
  const most = hi * (1 + FLURRY);
  const now = (lo + (hi - lo) * fire.density(grain.time)) * flurry(fire.settles, grain.time);
  if (grain.next() * most >= now) return;
  const gain = SCALE * levelToGain(fire.level(grain.time));
  const place = grain.next() * 0.8 - 0.4;
  let t = grain.time;
  // One to five crackles, a few to some tens of milliseconds apart.
  const count = Math.min(5, 1 + Math.floor(-Math.log(1 - grain.next()) * 1.2));
  for (let k = 0; k < count; k++) {
    const size = Math.min(LARGEST, (1 - grain.next()) ** (-1 / o.sizeExponent));
    const [l, r] = panGains(place + 0.15 * (grain.next() - 0.5));
    const pop = grain.next() < 0.12;
    const [bandLo, bandHi] = pop ? o.popHz : o.crackleHz;
    const hz = bandLo * (bandHi / bandLo) ** grain.next();
    // A large crackle rings at least 0.5 ms per unit of size: sharp, but never a lone click.
    const decay = Math.max(0.0005 * size, pop ? 0.002 + 0.004 * grain.next() : 0.0004 + 0.0025 * grain.next() ** 2);
    const a = gain * (pop ? 0.12 : 0.1) * size;
    const key = (grain.next() * 4294967296) | 0;
    addBurst(out, start, rate, {
      frame: Math.round(t * rate),
      hz,
      q: 1.5 + 3 * grain.next(),
      decay,
      gainL: a * l,
      gainR: a * r,
      key,
    });
    t += 0.004 + 0.03 * grain.next();
  }
}

/** A log settling: a felt thump, soft at both ends. */
function thump(rate: number, out: Stereo, curves: ControlCurves, time: number, intensity: number): void {
  const first = Math.round(time * rate);
  const length = Math.round(LONGEST_SETTLE * rate);
  const a = 0.25 * intensity * SCALE * levelToGain(curves.value("level", time));
  const [left, right] = out;
  for (let n = Math.max(0, curves.startFrame - first); n < length && first + n < curves.startFrame + left.length; n++) {
    const s = n / rate;
    const env = (1 - Math.exp(-s / 0.015)) * (Math.exp(-s / 0.2) - Math.exp(-LONGEST_SETTLE / 0.2));
    const v = a * env * Math.sin(2 * Math.PI * 62 * s);
    left[first + n - curves.startFrame] += v;
    right[first + n - curves.startFrame] += v;
  }
}
