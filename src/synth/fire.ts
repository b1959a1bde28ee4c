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
import { smoothNoise } from "../score/modulation.ts";
import { addBurst, scratch } from "./bursts.ts";
import { Biquad, warmFrames } from "./filters.ts";
import { forEachGrain, panGains } from "./grains.ts";
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

/** A settling log, from the score: its story time (seconds) and intensity (0–1). */
interface Settle {
  time: number;
  intensity: number;
}

/** What a fire texture holds: its options, keys and filters (reset before each use). */
interface Fire {
  o: FireOptions;
  rate: number;
  noiseKey: number;
  crackleKey: number;
  lapping: TextureContext["rng"];
  swells: TextureContext["rng"];
  roar: Biquad[];
  hiss: Biquad;
  /** Frames the filters run before a stretch. */
  warm: number;
  /** Scratch for the bed's noise (see bursts.ts, scratch). */
  buffers: Float32Array[];
}

export function createFireTexture(context: TextureContext, options: Partial<FireOptions> = {}): Texture {
  const o = { ...FIRE_DEFAULTS, ...options };
  const { rate, rng, score } = context;
  const fire: Fire = {
    o,
    rate,
    noiseKey: rng.fork("noise").key,
    crackleKey: rng.fork("crackles").key,
    lapping: rng.fork("lapping"),
    swells: rng.fork("swells"),
    // A band-pass (nothing at DC) under a low-pass: the roar falls away 18 dB an octave above roarHz.
    roar: [new Biquad("bandpass", 0.5 * o.roarHz, rate, 0.6), new Biquad("lowpass", o.roarHz, rate)],
    hiss: new Biquad("highpass", o.hissHz, rate),
    warm: warmFrames(0.3 * o.roarHz, rate),
    buffers: [],
  };
  return {
    render(out, startFrame) {
      const curves = new ControlCurves(score, rate, startFrame, out[0].length);
      const from = startFrame / rate;
      const settles: Settle[] = [];
      for (const event of score.events(from - LONGEST_CLUSTER - 0.8 - FLURRY_HALF_WIDTH, from + out[0].length / rate)) {
        if (event.kind === "settle") settles.push({ time: event.time, intensity: event.intensity });
      }
      bed(fire, out, curves);
      crackles(fire, out, curves, settles);
      for (const s of settles) if (s.time >= from - LONGEST_SETTLE) thump(rate, out, curves, s.time, s.intensity);
    },
  };
}

/** The roar and the hiss, mono, into both channels. */
function bed(fire: Fire, out: Stereo, curves: ControlCurves): void {
  const { rate, warm, roar, hiss, noiseKey, lapping, swells } = fire;
  const n = out[0].length;
  const [low, high] = scratch(fire.buffers, 2, warm + n);
  fillNoise(low, noiseKey, curves.startFrame - warm);
  high.set(low);
  for (const f of roar) f.reset().run(low);
  hiss.reset().run(high);
  const [left, right] = out;
  // The gains of the roar and the hiss at each step's first frame, interpolated between.
  const gainsAt = (frame: number): [number, number] => {
    const t = frame / rate;
    const gain = SCALE * levelToGain(curves.value("level", t));
    // The flames lap, slowly; the hiss comes up in rare swells (slow noise raised to a power).
    const lap = 1 + 0.3 * smoothNoise(lapping, t, 0.9);
    const swell = 0.5 + 1.5 * Math.max(0, smoothNoise(swells, t, 3)) ** 3;
    return [1.4 * gain * lap, 0.1 * gain * swell * (0.2 + 0.8 * curves.value("brightness", t))];
  };
  let [roarGain, hissGain] = gainsAt(curves.startFrame);
  for (let i = 0; i < n; i += STEP) {
    const [roarNext, hissNext] = gainsAt(curves.startFrame + i + STEP);
    const [dr, dh] = [(roarNext - roarGain) / STEP, (hissNext - hissGain) / STEP];
    for (let j = 0; j < STEP && i + j < n; j++) {
      const v = (roarGain + dr * j) * low[warm + i + j] + (hissGain + dh * j) * high[warm + i + j];
      left[i + j] += v;
      right[i + j] += v;
    }
    [roarGain, hissGain] = [roarNext, hissNext];
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

/** Every crackle that rings in the stretch, cluster by cluster. */
function crackles(fire: Fire, out: Stereo, curves: ControlCurves, settles: readonly Settle[]): void {
  const { o, rate, crackleKey } = fire;
  const from = curves.startFrame / rate;
  const [lo, hi] = o.clustersPerSecond;
  const most = hi * (1 + FLURRY);
  forEachGrain(crackleKey, most, from - LONGEST_CLUSTER, from + curves.length / rate, (grain) => {
    const now = (lo + (hi - lo) * curves.value("density", grain.time)) * flurry(settles, grain.time);
    if (grain.next() * most >= now) return;
    const gain = SCALE * levelToGain(curves.value("level", grain.time));
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
      addBurst(out, curves.startFrame, rate, {
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
  });
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
