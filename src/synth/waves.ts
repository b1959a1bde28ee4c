/**
 * Waves on a shore at night, as a texture. Each wave of the score gathers as
 * a low swell, breaks (a broadband burst with a soft attack of 0.1–0.3 s),
 * washes up (broadband, the top dying first) and draws back in a hiss of
 * foam that peaks 1–3 s after the crash and recedes over 2–5 s, its band
 * sinking as it goes, fizzing with tiny bubbles. Under the waves the far
 * surf never stops.
 *
 *   noise/8 → lowpass 350 Hz → highpass 45 Hz → (×8 interpolated) low ──────× low ─┐
 *   noise → lowpass 8 kHz ×2 → state-variable 3 kHz ─┬→ lowpass (body) ────────× mid ─┤
 *                                                 ├→ bandpass (sunk foam) ──× sunk ┼→ mono → pan → out
 *                                                 └→ highpass (foam, spray) × foam ┤
 *   fizz: damped sines 2.5–8 kHz of 1–4 ms, thinned by the foam ─────────────────┘
 *
 * The gains are the sum of the waves' envelopes (waves-shape.ts) and the
 * bed's, read every 64 frames and ramped between.
 */
import { warmFrames } from "./filters.ts";
import { forEachGrain, type Grain } from "./grains.ts";
import { noiseAt } from "./noise.ts";
import { ControlCurves, levelToGain, type Texture, type TextureContext } from "./texture.ts";
import { BANDS, foamLevel, foamSunk, LONGEST_WAVE, type Wave, waveFrom, waveGains } from "./waves-shape.ts";

export interface WavesOptions {
  /** Top of the swell's rumble, in Hz. */
  rumbleHz: number;
  /** Corner between the wash's body and its foam, in Hz. */
  foamHz: number;
  /** Top of the spray, in Hz. */
  sprayHz: number;
  /** Bubbles a second at the height of a strong wave's foam. */
  fizzRate: number;
  /** Loudness of a bubble, relative to the foam. */
  fizz: number;
  /** Gain of the whole sea at level 1. */
  scale: number;
}

export const WAVES_DEFAULTS: WavesOptions = {
  rumbleHz: 350,
  foamHz: 3000,
  sprayHz: 8000,
  fizzRate: 300,
  fizz: 0.5,
  scale: 0.5,
};

/** Frames between gain points. */
const BLOCK = 64;
/** Decimation of the low band. */
const DOWN = 8;

/** A TPT state-variable filter's coefficients for a cut-off and a Q. */
function svf(frequency: number, rate: number, Q: number): [number, number, number, number] {
  const g = Math.tan((Math.PI * frequency) / rate);
  const k = 1 / Q;
  const a1 = 1 / (1 + g * (g + k));
  return [a1, g * a1, g * g * a1, k];
}

/** The low band at 1/DOWN of the rate over decimated frames [from, from + out.length), normalised to the full rate's level. */
function lowBand(key: number, from: number, out: Float32Array, rumble: readonly number[], floor: readonly number[]): void {
  const [a1, a2, a3] = rumble;
  const [h1, h2, h3, hk] = floor;
  let s1 = 0;
  let s2 = 0;
  let t1 = 0;
  let t2 = 0;
  for (let i = 0; i < out.length; i++) {
    const x = noiseAt(key, from + i) / Math.sqrt(DOWN);
    const v1 = a1 * s1 + a2 * (x - s2);
    const lp = s2 + a2 * s1 + a3 * (x - s2);
    s1 = 2 * v1 - s1;
    s2 = 2 * lp - s2;
    const u1 = h1 * t1 + h2 * (lp - t2);
    const u2 = t2 + h2 * t1 + h3 * (lp - t2);
    t1 = 2 * u1 - t1;
    t2 = 2 * u2 - t2;
    out[i] = lp - hk * u1 - u2;
  }
}

export function createWavesTexture(context: TextureContext, options: Partial<WavesOptions> = {}): Texture {
  const o = { ...WAVES_DEFAULTS, ...options };
  const { rate, score } = context;
  const keys = { noise: context.rng.fork("noise").key, low: context.rng.fork("low").key, wave: context.rng.fork("wave").key };
  const warm = warmFrames(o.foamHz / 4, rate);
  const lowWarm = warmFrames(45 * 2, rate / DOWN);
  const rumble = svf(o.rumbleHz, rate / DOWN, Math.SQRT1_2);
  const floor = svf(45, rate / DOWN, Math.SQRT1_2);
  const sea: Sea = {
    noiseKey: keys.noise,
    warm,
    // A second pole over the spray's top, so the foam is a band and not a hiss up to 24 kHz.
    top: 1 - Math.exp((-2 * Math.PI * o.sprayHz) / rate),
    foam: svf(o.foamHz, rate, 0.8),
    scale: o.scale,
    rate,
    g0: new Float64Array(BANDS + 2),
    g1: new Float64Array(BANDS + 2),
  };
  // Held from chunk to chunk: the controls, the waves sounding, the bubbles' buffer, the low band.
  let curves: ControlCurves | undefined;
  const waves: Wave[] = [];
  let mono = new Float32Array(0);
  let low = new Float32Array(0);
  const bubbles = new Fizz(o, rate);

  return {
    render(out, startFrame) {
      const length = out[0].length;
      const end = startFrame + length;
      if (curves) curves.moveTo(startFrame, Math.max(1, length));
      else curves = new ControlCurves(score, rate, startFrame, Math.max(1, length));
      waves.length = 0;
      for (const e of score.events(startFrame / rate - LONGEST_WAVE, end / rate)) if (e.kind === "wave") waves.push(waveFrom(e, keys.wave));
      if (mono.length !== length) mono = new Float32Array(length);
      else mono.fill(0);
      bubbles.add(mono, startFrame, waves, curves);
      const lowFrom = Math.floor((startFrame - warm) / DOWN) - lowWarm;
      const lowLength = Math.ceil(end / DOWN) + 2 - lowFrom;
      if (low.length !== lowLength) low = new Float32Array(lowLength);
      lowBand(keys.low, lowFrom, low, rumble, floor);
      surf(sea, out, startFrame, waves, curves, mono, low, lowFrom);
    },
  };
}

/** What the sea's bed holds: its noise, filters and gain points. */
interface Sea {
  noiseKey: number;
  /** Frames the filters run before a stretch. */
  warm: number;
  /** The spray's one-pole coefficient and the foam's state-variable filter. */
  top: number;
  foam: [number, number, number, number];
  scale: number;
  rate: number;
  /** The gains at the ends of a block (see waveGains). */
  g0: Float64Array;
  g1: Float64Array;
}

/**
 * Adds the sea over the stretch `out` from story frame `startFrame`: the
 * noise through its filters, the low band (decimated frames from `lowFrom`)
 * and the bubbles (`mono`), at the waves' gains ramped from block to block.
 */
function surf(
  sea: Sea,
  out: readonly [Float32Array, Float32Array],
  startFrame: number,
  waves: Wave[],
  curves: ControlCurves,
  mono: Float32Array,
  low0: Float32Array,
  lowFrom: number,
): void {
  const { noiseKey, warm, top, rate, g0, g1 } = sea;
  const [a1, a2, a3, k] = sea.foam;
  const length = out[0].length;
  const [left, right] = out;
  // The chunk's first frames only warm the filters up.
  let z = 0;
  let y = 0;
  let s1 = 0;
  let s2 = 0;
  for (let f = startFrame - warm; f < startFrame; f++) {
    z += top * (noiseAt(noiseKey, f) - z);
    y += top * (z - y);
    const v1 = a1 * s1 + a2 * (y - s2);
    s1 = 2 * v1 - s1;
    s2 = 2 * (s2 + a2 * s1 + a3 * (y - s2)) - s2;
  }
  waveGains(waves, startFrame / rate, curves, sea.scale, g0);
  // Where frame i lies between two frames of the low band (kept by counting, never by dividing).
  let j = Math.floor(startFrame / DOWN) - lowFrom;
  let phase = startFrame - Math.floor(startFrame / DOWN) * DOWN;
  for (let at = 0; at < length; ) {
    const next = Math.min(length, (Math.floor((startFrame + at) / BLOCK) + 1) * BLOCK - startFrame);
    waveGains(waves, (startFrame + next) / rate, curves, sea.scale, g1);
    const n = next - at;
    let bass = g0[0];
    let body = g0[1];
    let sunk = g0[2];
    let foam = g0[3];
    let gl = g0[4];
    let gr = g0[5];
    const db = (g1[0] - bass) / n;
    const dm = (g1[1] - body) / n;
    const ds = (g1[2] - sunk) / n;
    const df = (g1[3] - foam) / n;
    const dl = (g1[4] - gl) / n;
    const dr = (g1[5] - gr) / n;
    for (let i = at; i < next; i++) {
      z += top * (noiseAt(noiseKey, startFrame + i) - z);
      y += top * (z - y);
      const v1 = a1 * s1 + a2 * (y - s2);
      const lp = s2 + a2 * s1 + a3 * (y - s2);
      s1 = 2 * v1 - s1;
      s2 = 2 * lp - s2;
      const low = low0[j] + (low0[j + 1] - low0[j]) * phase * (1 / DOWN);
      if (++phase === DOWN) {
        phase = 0;
        j++;
      }
      const v = mono[i] + low * bass + lp * body + v1 * sunk + (y - k * v1 - lp) * foam;
      left[i] += v * gl;
      right[i] += v * gr;
      bass += db;
      body += dm;
      sunk += ds;
      foam += df;
      gl += dl;
      gr += dr;
    }
    g0.set(g1);
    at = next;
  }
}

/**
 * The bubbles of the waves' foam: damped sines, each from its own first
 * frame. Its visitor is made once and reads the stretch from the fields.
 */
class Fizz {
  private out: Float32Array = new Float32Array(0);
  private from = 0;
  private wave: Wave | undefined;
  private level: (t: number) => number = () => Number.NaN;
  private brightness: (t: number) => number = () => Number.NaN;
  private curves: ControlCurves | undefined;
  private readonly visit = (grain: Grain) => this.bubble(grain);

  constructor(
    private readonly o: WavesOptions,
    private readonly rate: number,
  ) {}

  /** Adds the bubbles over story frames [from, from + out.length) into `out`. */
  add(out: Float32Array, from: number, waves: readonly Wave[], curves: ControlCurves): void {
    if (this.curves !== curves) {
      this.curves = curves;
      this.level = curves.control("level");
      this.brightness = curves.control("brightness");
    }
    this.out = out;
    this.from = from;
    const { rate } = this;
    const to = from + out.length;
    // None lasts longer than this, in seconds (7 time constants of 4 ms).
    const longest = 0.03;
    for (const wave of waves) {
      this.wave = wave;
      forEachGrain(wave.key, this.o.fizzRate, Math.max(wave.crash, from / rate - longest), Math.min(wave.end, to / rate), this.visit);
    }
  }

  private bubble(grain: Grain): void {
    const { o, rate, out, from } = this;
    const wave = this.wave as Wave;
    const to = from + out.length;
    const level = foamLevel(wave, grain.time);
    const bright = 0.15 + 0.85 * this.brightness(grain.time);
    if (grain.next() >= level * bright * (wave.strength / 1.5)) return;
    const hz = (2500 + 5500 * grain.next()) * (1 - 0.35 * foamSunk(wave, grain.time));
    const tau = (0.001 + 0.003 * grain.next() ** 2) * rate;
    const size = o.fizz * o.scale * levelToGain(this.level(grain.time)) * (0.2 + 0.8 * grain.next() ** 2);
    const r = Math.exp(-1 / tau);
    const c = 2 * r * Math.cos((2 * Math.PI * hz) / rate);
    const start = Math.round(grain.time * rate);
    const n = Math.min(Math.ceil(7 * tau), to - start);
    let y1 = 0;
    let y2 = 0;
    let y = size * r * Math.sin((2 * Math.PI * hz) / rate);
    // A bubble swells in over a millisecond: one that starts at full size ticks like a click in a quiet passage.
    const attack = 0.001 * rate;
    for (let i = 1; i < n; i++) {
      if (start + i >= from) out[start + i - from] += i < attack ? (y * i) / attack : y;
      y2 = y1;
      y1 = y;
      y = c * y1 - r * r * y2;
    }
  }
}
