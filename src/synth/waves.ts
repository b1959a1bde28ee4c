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
import { forEachGrain } from "./grains.ts";
import { noiseAt } from "./noise.ts";
import { ControlCurves, levelToGain, type Texture, type TextureContext } from "./texture.ts";
import { BANDS, foamOf, LONGEST_WAVE, type Wave, waveFrom, waveGains } from "./waves-shape.ts";

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

/** The low band at 1/DOWN of the rate over decimated frames [from, from + n), normalised to the full rate's level. */
function lowBand(key: number, from: number, n: number, rate: number, o: WavesOptions): Float32Array {
  const out = new Float32Array(n);
  const [a1, a2, a3] = svf(o.rumbleHz, rate / DOWN, Math.SQRT1_2);
  const [h1, h2, h3, hk] = svf(45, rate / DOWN, Math.SQRT1_2);
  let [s1, s2, t1, t2] = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
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
  return out;
}

export function createWavesTexture(context: TextureContext, options: Partial<WavesOptions> = {}): Texture {
  const o = { ...WAVES_DEFAULTS, ...options };
  const { rate, score } = context;
  const keys = { noise: context.rng.fork("noise").key, low: context.rng.fork("low").key, wave: context.rng.fork("wave").key };
  const warm = warmFrames(o.foamHz / 4, rate);
  // A second pole over the spray's top, so the foam is a band and not a hiss up to 24 kHz.
  const lowWarm = warmFrames(45 * 2, rate / DOWN);
  const top = 1 - Math.exp((-2 * Math.PI * o.sprayHz) / rate);
  const [a1, a2, a3, k] = svf(o.foamHz, rate, 0.8);

  return {
    render(out, startFrame) {
      const length = out[0].length;
      const from = startFrame - warm;
      const end = startFrame + length;
      const curves = new ControlCurves(score, rate, startFrame, Math.max(1, length));
      const waves = score
        .events(startFrame / rate - LONGEST_WAVE, end / rate)
        .flatMap((e) => (e.kind === "wave" ? [waveFrom(e, keys.wave)] : []));
      const mono = new Float32Array(warm + length);
      fizz(mono, from, waves, curves, rate, o);
      const lowFrom = Math.floor(from / DOWN) - lowWarm;
      const low0 = lowBand(keys.low, lowFrom, Math.ceil(end / DOWN) + 2 - lowFrom, rate, o);
      const [left, right] = out;
      const g0 = new Float64Array(BANDS + 2);
      const g1 = new Float64Array(BANDS + 2);
      // The chunk's first frames only warm the filters up.
      let [z, y, s1, s2] = [0, 0, 0, 0];
      for (let f = from; f < startFrame; f++) {
        z += top * (noiseAt(keys.noise, f) - z);
        y += top * (z - y);
        const v1 = a1 * s1 + a2 * (y - s2);
        s1 = 2 * v1 - s1;
        s2 = 2 * (s2 + a2 * s1 + a3 * (y - s2)) - s2;
      }
      waveGains(waves, startFrame / rate, curves, o.scale, g0);
      // Where frame i lies between two frames of the low band (kept by counting, never by dividing).
      let j = Math.floor(startFrame / DOWN) - lowFrom;
      let phase = startFrame - Math.floor(startFrame / DOWN) * DOWN;
      for (let at = 0; at < length; ) {
        const next = Math.min(length, (Math.floor((startFrame + at) / BLOCK) + 1) * BLOCK - startFrame);
        waveGains(waves, (startFrame + next) / rate, curves, o.scale, g1);
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
          z += top * (noiseAt(keys.noise, startFrame + i) - z);
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
          const v = mono[warm + i] + low * bass + lp * body + v1 * sunk + (y - k * v1 - lp) * foam;
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
    },
  };
}

/** Adds the bubbles of the waves' foam over frames [from, from + out.length) into `out`. */
function fizz(out: Float32Array, from: number, waves: Wave[], curves: ControlCurves, rate: number, o: WavesOptions): void {
  const to = from + out.length;
  const longest = 0.03;
  for (const wave of waves) {
    forEachGrain(wave.key, o.fizzRate, Math.max(wave.crash, from / rate - longest), Math.min(wave.end, to / rate), (grain) => {
      const foam = foamOf(wave, grain.time);
      const bright = 0.15 + 0.85 * curves.value("brightness", grain.time);
      if (grain.next() >= foam.level * bright * (wave.strength / 1.5)) return;
      const hz = (2500 + 5500 * grain.next()) * (1 - 0.35 * foam.sunk);
      const tau = (0.001 + 0.003 * grain.next() ** 2) * rate;
      const size = o.fizz * o.scale * levelToGain(curves.value("level", grain.time)) * (0.2 + 0.8 * grain.next() ** 2);
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
    });
  }
}
