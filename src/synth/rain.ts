/**
 * Rain: single drops coloured by what they hit, over the hush of the rain
 * further off. A drop on a leaf or the ground is a tick of band-passed noise
 * a few milliseconds long at a band of its own; on the roof, a lower, longer
 * tap (the drumming); into a puddle, a tiny bubble's rising plink. The drops
 * fall as a Poisson process whose rate follows density, from a light patter
 * of countable drops to a downpour where they merge; the score's drips from
 * the eaves are larger plinks. Brightness brings the drops closer: higher,
 * crisper and louder against the hush.
 *
 *   noise ─┬→ highpass 300 → lowpass roofHz ×2 (left only) → roof bed ─┐
 *          └→ bandpass hushHz (hush) → dark + bright·brightness ─────┤
 *   drops (Poisson, rate by density): leaf tick | roof tap | plink ──┼→ out
 *   drips (the score's events): a plink and a splash ───────────────┘
 */
import { Biquad, onePole, warmFrames } from "./filters.ts";
import { fillNoise } from "./noise.ts";
import { forEachGrain, type Grain, panGains } from "./grains.ts";
import { addBurst, addPlink } from "./bursts.ts";
import { ControlCurves, levelToGain, type Texture, type TextureContext } from "./texture.ts";

export interface RainOptions {
  /** Centre of the distant hush (a broad band, about 0.6–5 kHz), in Hz. */
  hushHz: number;
  /** Top of the roof's low drumming bed, in Hz. */
  roofHz: number;
  /** Lowest and highest centre of a drop on a leaf or the ground, in Hz. */
  leafHz: [number, number];
  /** Lowest and highest centre of a drop on the roof, in Hz. */
  tapHz: [number, number];
  /** Lowest and highest pitch of a drop into a puddle, in Hz. */
  plinkHz: [number, number];
  /** Drops a second at density 0 and at density 1. */
  dropsPerSecond: [number, number];
  /** Shares of the drops that hit the roof and a puddle (the rest: leaves and ground), 0–1. */
  surfaces: { roof: number; puddle: number };
  /** Lowest and highest pitch of a drip from the eaves, in Hz. */
  dripHz: [number, number];
}

export const RAIN_DEFAULTS: RainOptions = {
  hushHz: 1300,
  roofHz: 600,
  leafHz: [2000, 11000],
  tapHz: [150, 450],
  plinkHz: [1800, 4200],
  dropsPerSecond: [40, 600],
  surfaces: { roof: 0.3, puddle: 0.05 },
  dripHz: [900, 2100],
};

/** Longest drop and longest drip, in seconds: how far back a stretch looks for grains still ringing. */
const LONGEST_DROP = 0.06;
const LONGEST_DRIP = 0.5;
/** Where the hush splits into its dark and bright halves, in Hz. */
const SPLIT_HZ = 2500;
/** Below here the roof's bed falls away (the drumming is taps, not a rumble), in Hz. */
const ROOF_FLOOR = 300;
/** The rain's own gain, on top of its level's (as loud as the rain it replaced, so presets keep their balance). */
const SCALE = 1.4;
/** Frames per step of the bed's gains. */
const STEP = 32;

type Stereo = readonly [Float32Array, Float32Array];
/** A biquad section's coefficients, run inline (see Biquad.coefficients). */
type Section = [number, number, number, number, number];

/** What a rain texture holds: its options, keys, filters and scratch, reused from chunk to chunk. */
interface Rain {
  o: RainOptions;
  rate: number;
  score: TextureContext["score"];
  noiseKeys: number[];
  dropKey: number;
  drip: TextureContext["rng"];
  /** The roof's highpass and two lowpasses, and the hush's bandpass. */
  roof: [Section, Section, Section];
  hush: Section;
  /** Frames the filters run before a stretch. */
  warm: number;
  /** The one-pole coefficient that splits the hush. */
  split: number;
  /** The controls, held and moved from chunk to chunk, and readers of the three the rain follows. */
  curves: ControlCurves | undefined;
  level: (t: number) => number;
  density: (t: number) => number;
  brightness: (t: number) => number;
  /** Scratch: the bed's gains at each step, each channel's noise (then its hush), and the roof's bed. */
  gains: Float64Array;
  left: Float32Array;
  right: Float32Array;
  low: Float32Array;
  /** The stretch being drawn, for the drops' visitor (made once, not per chunk). */
  out: Stereo;
  start: number;
}

export function createRainTexture(context: TextureContext, options: Partial<RainOptions> = {}): Texture {
  const o = { ...RAIN_DEFAULTS, ...options };
  const { rate, rng, score } = context;
  const unread = () => Number.NaN;
  const rain: Rain = {
    o,
    rate,
    score,
    noiseKeys: [rng.fork("hush-left").key, rng.fork("hush-right").key],
    dropKey: rng.fork("drops").key,
    drip: rng.fork("drip"),
    roof: [
      new Biquad("highpass", ROOF_FLOOR, rate).coefficients(),
      new Biquad("lowpass", o.roofHz, rate).coefficients(),
      new Biquad("lowpass", o.roofHz, rate).coefficients(),
    ],
    hush: new Biquad("bandpass", o.hushHz, rate, 0.45).coefficients(),
    warm: warmFrames(Math.min(ROOF_FLOOR, o.roofHz), rate),
    split: onePole(SPLIT_HZ, rate),
    curves: undefined,
    level: unread,
    density: unread,
    brightness: unread,
    gains: new Float64Array(0),
    left: new Float32Array(0),
    right: new Float32Array(0),
    low: new Float32Array(0),
    out: [new Float32Array(0), new Float32Array(0)],
    start: 0,
  };
  const visit = (grain: Grain) => drop(rain, grain);
  return {
    render(out, startFrame) {
      let curves = rain.curves;
      if (curves) curves.moveTo(startFrame, out[0].length);
      else {
        curves = rain.curves = new ControlCurves(score, rate, startFrame, out[0].length);
        rain.level = curves.control("level");
        rain.density = curves.control("density");
        rain.brightness = curves.control("brightness");
      }
      rain.out = out;
      rain.start = startFrame;
      bed(rain, out, curves);
      const from = startFrame / rate;
      forEachGrain(rain.dropKey, o.dropsPerSecond[1], from - LONGEST_DROP, from + out[0].length / rate, visit);
      drips(rain, out, curves);
    },
  };
}

/**
 * The roof's bed (mono: it is overhead) and the hush, each channel from noise
 * of its own. Each filter's output feeds its next sample, so a pass runs at
 * the pace of that loop: the passes below run the sections that do not wait
 * on each other side by side (the roof's three, one frame behind another;
 * the two channels' hush; the two channels' dark halves), each value rounded
 * to 32 bits where a buffer between separate passes rounds it.
 */
function bed(rain: Rain, out: Stereo, curves: ControlCurves): void {
  const { rate, warm, split, noiseKeys, level, density, brightness } = rain;
  const n = out[0].length;
  const start = curves.startFrame;
  // Gains of the roof, the dark and the bright hush at each step's first frame, interpolated between.
  const steps = Math.ceil(n / STEP) + 1;
  if (rain.gains.length < 3 * steps) rain.gains = new Float64Array(3 * steps);
  if (rain.left.length !== warm + n) for (const name of ["left", "right", "low"] as const) rain[name] = new Float32Array(warm + n);
  const { gains, left, right, low } = rain;
  for (let k = 0; k < steps; k++) {
    const t = (start + k * STEP) / rate;
    const gain = SCALE * levelToGain(level(t));
    const d = density(t);
    const hushLevel = gain * (0.13 + 0.43 * d);
    const bright = hushLevel * (0.1 + 0.6 * brightness(t));
    gains[3 * k] = gain * (0.2 + 0.04 * d);
    gains[3 * k + 1] = hushLevel - bright;
    gains[3 * k + 2] = bright;
  }
  fillNoise(left, noiseKeys[0], start - warm);
  fillNoise(right, noiseKeys[1], start - warm);
  roofBed(rain.roof, left, low);
  hushes(rain.hush, left, right);
  let darkL = 0;
  let darkR = 0;
  for (let i = 0; i < warm; i++) {
    darkL += split * (left[i] - darkL);
    darkR += split * (right[i] - darkR);
  }
  const [outL, outR] = out;
  for (let k = 0; k * STEP < n; k++) {
    const gr = gains[3 * k];
    const gd = gains[3 * k + 1];
    const gb = gains[3 * k + 2];
    const dr = (gains[3 * k + 3] - gr) / STEP;
    const dd = (gains[3 * k + 4] - gd) / STEP;
    const db = (gains[3 * k + 5] - gb) / STEP;
    for (let j = 0, i = k * STEP; j < STEP && i < n; j++, i++) {
      const l = left[warm + i];
      const r = right[warm + i];
      const roof = (gr + dr * j) * low[warm + i];
      darkL += split * (l - darkL);
      darkR += split * (r - darkR);
      outL[i] += roof + (gd + dd * j) * darkL + (gb + db * j) * l;
      outR[i] += roof + (gd + dd * j) * darkR + (gb + db * j) * r;
    }
  }
}

/** The roof's three sections, from rest, over `noise` into `low`. */
function roofBed(roof: readonly [Section, Section, Section], noise: Float32Array, low: Float32Array): void {
  const [p0, p1, p2, p3, p4] = roof[0];
  const [q0, q1, q2, q3, q4] = roof[1];
  const [r0, r1, r2, r3, r4] = roof[2];
  let px1 = 0;
  let px2 = 0;
  let py1 = 0;
  let py2 = 0;
  let qx1 = 0;
  let qx2 = 0;
  let qy1 = 0;
  let qy2 = 0;
  let rx1 = 0;
  let rx2 = 0;
  let ry1 = 0;
  let ry2 = 0;
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
    const rx = Math.fround(qy);
    const ry = r0 * rx + r1 * rx1 + r2 * rx2 - r3 * ry1 - r4 * ry2;
    rx2 = rx1;
    rx1 = rx;
    ry2 = ry1;
    ry1 = ry;
    low[i] = ry;
  }
}

/** The hush's band, from rest, over both channels' noise in place. */
function hushes(hush: Section, left: Float32Array, right: Float32Array): void {
  const [b0, b1, b2, a1, a2] = hush;
  let lx1 = 0;
  let lx2 = 0;
  let ly1 = 0;
  let ly2 = 0;
  let rx1 = 0;
  let rx2 = 0;
  let ry1 = 0;
  let ry2 = 0;
  for (let i = 0; i < left.length; i++) {
    const l = left[i];
    const ly = b0 * l + b1 * lx1 + b2 * lx2 - a1 * ly1 - a2 * ly2;
    lx2 = lx1;
    lx1 = l;
    ly2 = ly1;
    ly1 = ly;
    left[i] = ly;
    const r = right[i];
    const ry = b0 * r + b1 * rx1 + b2 * rx2 - a1 * ry1 - a2 * ry2;
    rx2 = rx1;
    rx1 = r;
    ry2 = ry1;
    ry1 = ry;
    right[i] = ry;
  }
}

/** A drop that rings in the stretch, on what it hits. */
function drop(rain: Rain, grain: Grain): void {
  const { o, rate, out, start } = rain;
  const most = o.dropsPerSecond[1];
  const t = grain.time;
  const density = rain.density(t);
  if (grain.next() * most >= o.dropsPerSecond[0] + (o.dropsPerSecond[1] - o.dropsPerSecond[0]) * density) return;
  const gain = SCALE * levelToGain(rain.level(t));
  const bright = rain.brightness(t);
  const frame = Math.round(t * rate);
  const surface = grain.next();
  // Sizes by a power law: most drops faint and far, a few large and near (capped: texture, not a knock).
  const size = Math.min(1, 0.15 * (1 - grain.next()) ** -0.6);
  const [l, r] = panGains(grain.next() * 1.6 - 0.8);
  const key = (grain.next() * 4294967296) | 0;
  if (surface < o.surfaces.puddle) {
    const hz = o.plinkHz[0] * (o.plinkHz[1] / o.plinkHz[0]) ** grain.next();
    const a = gain * 0.1 * size;
    addPlink(out, start, rate, {
      frame,
      hz,
      rise: 8 + 12 * grain.next(),
      decay: 0.004 + 0.004 * grain.next(),
      gainL: a * l,
      gainR: a * r,
    });
  } else if (surface < o.surfaces.puddle + o.surfaces.roof) {
    const hz = o.tapHz[0] * (o.tapHz[1] / o.tapHz[0]) ** grain.next();
    const a = gain * 0.25 * size;
    addBurst(out, start, rate, {
      frame,
      hz,
      q: 2 + 2 * grain.next(),
      decay: 0.0015 + 0.002 * grain.next(),
      gainL: a * l,
      gainR: a * r,
      key,
    });
  } else {
    // A drop's tick is an impulse of about half a millisecond: heard apart from the hush only
    // high up (below, the many drops merge into it). Closer drops (brighter) reach higher
    // bands, ring shorter and stand out more; a larger drop rings lower and longer, so a near
    // one is a tap, never a click.
    const top = (0.75 + 0.25 * bright) * (1 - 0.2 * size);
    const hz = o.leafHz[0] * (o.leafHz[1] / o.leafHz[0]) ** (grain.next() * top);
    const decay = (0.0005 + 0.001 * grain.next()) * (1 + 2.5 * size) * (1.3 - 0.5 * bright);
    const a = gain * 0.125 * (1.2 - 0.4 * density) * size * (0.6 + 0.6 * bright);
    addBurst(out, start, rate, { frame, hz, q: 1.2 + 2 * grain.next(), decay, gainL: a * l, gainR: a * r, key });
  }
}

/** The score's drips from the eaves: a larger bubble's plink and a faint splash. */
function drips(rain: Rain, out: Stereo, curves: ControlCurves): void {
  const { o, rate, score, drip } = rain;
  const from = curves.startFrame / rate;
  for (const event of score.events(from - LONGEST_DRIP, from + curves.length / rate)) {
    if (event.kind !== "drip") continue;
    const at = event.time;
    const k = Math.round(at * 1000);
    const hz = o.dripHz[0] + (o.dripHz[1] - o.dripHz[0]) * drip.at(k, 0);
    const a = SCALE * levelToGain(curves.value("level", at)) * 0.12 * event.strength * (0.4 + 0.6 * curves.value("brightness", at));
    const [l, r] = panGains(event.pan);
    const frame = Math.round(at * rate);
    // A bubble's pitch rises as it closes: some 45 % in its first 70 ms.
    addPlink(out, curves.startFrame, rate, { frame, hz, rise: 6.4, decay: 0.06, gainL: a * l, gainR: a * r });
    const key = (drip.at(k, 1) * 4294967296) | 0;
    addBurst(out, curves.startFrame, rate, { frame, hz: 1.6 * hz, q: 1.5, decay: 0.0015, gainL: 0.3 * a * l, gainR: 0.3 * a * r, key });
  }
}
