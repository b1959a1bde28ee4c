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
import { forEachGrain, panGains } from "./grains.ts";
import { addBurst, addPlink, scratch } from "./bursts.ts";
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

/** What a rain texture holds: its options, keys and filters (reset before each use). */
interface Rain {
  o: RainOptions;
  rate: number;
  score: TextureContext["score"];
  noiseKeys: number[];
  dropKey: number;
  drip: TextureContext["rng"];
  roof: Biquad[];
  hush: Biquad;
  /** Frames the filters run before a stretch. */
  warm: number;
  /** The one-pole coefficient that splits the hush. */
  split: number;
  /** Scratch for the bed's noise (see bursts.ts, scratch). */
  buffers: Float32Array[];
}

export function createRainTexture(context: TextureContext, options: Partial<RainOptions> = {}): Texture {
  const o = { ...RAIN_DEFAULTS, ...options };
  const { rate, rng, score } = context;
  const rain: Rain = {
    o,
    rate,
    score,
    noiseKeys: [rng.fork("hush-left").key, rng.fork("hush-right").key],
    dropKey: rng.fork("drops").key,
    drip: rng.fork("drip"),
    roof: [new Biquad("highpass", ROOF_FLOOR, rate), new Biquad("lowpass", o.roofHz, rate), new Biquad("lowpass", o.roofHz, rate)],
    hush: new Biquad("bandpass", o.hushHz, rate, 0.45),
    warm: warmFrames(Math.min(ROOF_FLOOR, o.roofHz), rate),
    split: onePole(SPLIT_HZ, rate),
    buffers: [],
  };
  return {
    render(out, startFrame) {
      const curves = new ControlCurves(score, rate, startFrame, out[0].length);
      bed(rain, out, curves);
      drops(rain, out, curves);
      drips(rain, out, curves);
    },
  };
}

/** The roof's bed (mono: it is overhead) and the hush, each channel from noise of its own. */
function bed(rain: Rain, out: Stereo, curves: ControlCurves): void {
  const { rate, warm, split, roof, hush, noiseKeys } = rain;
  const n = out[0].length;
  const [noise, low] = scratch(rain.buffers, 2, warm + n);
  // Gains of the roof, the dark and the bright hush at each step's first frame, interpolated between.
  const steps = Math.ceil(n / STEP) + 1;
  const gains = new Float64Array(3 * steps);
  for (let k = 0; k < steps; k++) {
    const t = (curves.startFrame + k * STEP) / rate;
    const gain = SCALE * levelToGain(curves.value("level", t));
    const d = curves.value("density", t);
    const hushLevel = gain * (0.13 + 0.43 * d);
    const bright = hushLevel * (0.1 + 0.6 * curves.value("brightness", t));
    gains.set([gain * (0.2 + 0.04 * d), hushLevel - bright, bright], 3 * k);
  }
  for (let c = 0; c < 2; c++) {
    fillNoise(noise, noiseKeys[c], curves.startFrame - warm);
    if (c === 0) {
      low.set(noise);
      for (const f of roof) f.reset().run(low);
    }
    hush.reset().run(noise);
    let dark = 0;
    for (let i = 0; i < warm; i++) dark += split * (noise[i] - dark);
    const channel = out[c];
    for (let k = 0; k * STEP < n; k++) {
      const [gr, gd, gb] = [gains[3 * k], gains[3 * k + 1], gains[3 * k + 2]];
      const [dr, dd, db] = [(gains[3 * k + 3] - gr) / STEP, (gains[3 * k + 4] - gd) / STEP, (gains[3 * k + 5] - gb) / STEP];
      for (let j = 0, i = k * STEP; j < STEP && i < n; j++, i++) {
        const h = noise[warm + i];
        dark += split * (h - dark);
        channel[i] += (gr + dr * j) * low[warm + i] + (gd + dd * j) * dark + (gb + db * j) * h;
      }
    }
  }
}

/** Every drop that rings in the stretch, each on what it hits. */
function drops(rain: Rain, out: Stereo, curves: ControlCurves): void {
  const { o, rate, dropKey } = rain;
  const from = curves.startFrame / rate;
  const most = o.dropsPerSecond[1];
  forEachGrain(dropKey, most, from - LONGEST_DROP, from + curves.length / rate, (grain) => {
    const t = grain.time;
    const density = curves.value("density", t);
    if (grain.next() * most >= o.dropsPerSecond[0] + (o.dropsPerSecond[1] - o.dropsPerSecond[0]) * density) return;
    const gain = SCALE * levelToGain(curves.value("level", t));
    const bright = curves.value("brightness", t);
    const frame = Math.round(t * rate);
    const surface = grain.next();
    // Sizes by a power law: most drops faint and far, a few large and near (capped: texture, not a knock).
    const size = Math.min(1, 0.15 * (1 - grain.next()) ** -0.6);
    const [l, r] = panGains(grain.next() * 1.6 - 0.8);
    const key = (grain.next() * 4294967296) | 0;
    if (surface < o.surfaces.puddle) {
      const hz = o.plinkHz[0] * (o.plinkHz[1] / o.plinkHz[0]) ** grain.next();
      const a = gain * 0.1 * size;
      addPlink(out, curves.startFrame, rate, {
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
      addBurst(out, curves.startFrame, rate, {
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
      addBurst(out, curves.startFrame, rate, { frame, hz, q: 1.2 + 2 * grain.next(), decay, gainL: a * l, gainR: a * r, key });
    }
  });
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
