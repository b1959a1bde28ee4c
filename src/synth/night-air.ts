/**
 * The night air: a low, soft wind, and over it a chorus of crickets (Farnell).
 * Each cricket chirps about every 0.7 s: 7 pulses some 33 ms apart, rising in
 * level, on its own carrier of 4–5 kHz with a second harmonic; its chirp rate
 * and pitch drift slowly, on their own, so the chorus never locks into step.
 * Density is how many of them sing (none at 0: the air alone); each has its
 * own place (pan) and distance (level). The wind rises and falls over 8–18 s
 * (faster with the rate) and swells with the preset's gusts; brightness makes
 * it airier. The crickets do not heed the wind.
 *
 *   noise L/R → bands (low | airy by brightness) × wind × level ──────┐
 *   cricket i: sine recurrence (f, 2f) × chirp table × gain → pan ─────┴→ out
 */
import type { Random } from "../core/random.ts";
import type { ScoreEvent } from "../score/events.ts";
import { bump, smoothNoise } from "../score/modulation.ts";
import { panGains } from "./grains.ts";
import { createFarChorus, SmoothNoise, type Species3 } from "./insect-chorus.ts";
import { ControlCurves, levelToGain, type Texture, type TextureContext } from "./texture.ts";
import { GAIN_BLOCK, type NoiseBands, NoiseBed } from "./wind.ts";

export interface NightAirOptions {
  /** The wind's corners, in Hz. */
  bands: NoiseBands;
  /** Gain of the wind at level 1 (the crickets' at 1). */
  air: number;
  /** How many crickets sing at density 1. */
  crickets: number;
  /** Range of the crickets' carriers, in Hz. */
  carrierHz: [number, number];
  /** Range of their pulse rates, in pulses per second. */
  pulseRate: [number, number];
  /** Pulses per chirp. */
  pulses: number;
  /** Length of a pulse, in seconds. */
  pulseSeconds: number;
  /** Range of the crickets' seconds between chirps. */
  chirpSeconds: [number, number];
  /** Gain of the nearest cricket at level 1. */
  chorus: number;
  /** The far chorus's species (insect-chorus.ts). */
  far: Species3;
  /** Gain of the far chorus at level 1 and density 1. */
  farGain: number;
}

export const NIGHT_AIR_DEFAULTS: NightAirOptions = {
  bands: { lowHz: 60, splitHz: 320, topHz: 1500 },
  air: 0.96,
  crickets: 8,
  carrierHz: [4000, 5000],
  pulseRate: [27, 33],
  pulses: 7,
  pulseSeconds: 0.015,
  chirpSeconds: [0.55, 0.9],
  chorus: 0.19,
  far: [
    { hz: [3300, 3900], widthHz: 500, level: 0.6 },
    // The crickets' own kind, far off: across their carriers' range.
    { hz: [4400, 4600], widthHz: 1100, level: 1 },
    { hz: [5400, 6400], widthHz: 900, level: 0.7 },
  ],
  farGain: 0.7,
};

/** One cricket: fixed for the seed, apart from its slow drifts. */
interface Cricket {
  rng: Random;
  /** Its pitch's own slow drift. */
  pitch: Random;
  carrier: number;
  period: number;
  offset: number;
  gainL: number;
  gainR: number;
  /** Level of its second harmonic, against the first. */
  harmonic: number;
  /** Its chirp's envelope, frame by frame: the pulses, rising. */
  chirp: Float32Array;
}

function makeCricket(rng: Random, o: NightAirOptions, rate: number): Cricket {
  const pulseRate = rng.range(o.pulseRate[0], o.pulseRate[1], 1);
  const period = rng.range(o.chirpSeconds[0], o.chirpSeconds[1], 2);
  const near = rng.at(4);
  const distance = 0.2 + 0.8 * near * near;
  const [gainL, gainR] = panGains(rng.range(-0.85, 0.85, 3));
  const spacing = rate / pulseRate;
  const pulse = Math.round(o.pulseSeconds * rate);
  const chirp = new Float32Array(Math.ceil((o.pulses - 1) * spacing) + pulse);
  for (let j = 0; j < o.pulses; j++) {
    const start = Math.round(j * spacing);
    const level = 0.55 + (0.45 * j) / (o.pulses - 1);
    // A quick strike and a slower fall: a raised cosine with its peak a third of the way in.
    for (let n = 0; n < pulse; n++) chirp[start + n] += level * Math.sin(Math.PI * (n / pulse) ** 0.6) ** 2;
  }
  return {
    rng,
    pitch: rng.fork("pitch"),
    carrier: rng.range(o.carrierHz[0], o.carrierHz[1], 0),
    period,
    offset: rng.at(5) * period,
    gainL: gainL * distance,
    gainR: gainR * distance,
    // Air takes the harmonic first: faint from the far ones, some 16 dB down from the nearest.
    harmonic: 0.02 + 0.12 * near * near,
    chirp,
  };
}

/** Story time of cricket `c`'s chirp k: its period, bent by a slow drift, and a little jitter. */
function chirpTime(c: Cricket, k: number): number {
  return c.offset + k * c.period + 2 * c.period * smoothNoise(c.rng, k, 24) + 0.012 * (c.rng.at(6, k) - 0.5);
}

export function createNightAirTexture(context: TextureContext, options: Partial<NightAirOptions> = {}): Texture {
  const o = { ...NIGHT_AIR_DEFAULTS, ...options };
  const { rate, score } = context;
  const bed = new NoiseBed([context.rng.fork("air-left").key, context.rng.fork("air-right").key], rate, o.bands);
  const slow = new SmoothNoise(context.rng.fork("wind-slow"), 18);
  const fast = new SmoothNoise(context.rng.fork("wind-fast"), 8);
  const far = createFarChorus(context.rng, rate, o.far);
  const crickets = Array.from({ length: o.crickets }, (_, i) => makeCricket(context.rng.fork(`cricket-${i}`), o, rate));
  const longest = crickets.reduce((m, c) => Math.max(m, c.chirp.length), 0) / rate;
  // The chunk being drawn, for the functions below (made once, not per chunk).
  let curves: ControlCurves;
  let events: ScoreEvent[] = [];

  /** Adds chirp k of cricket i, where it falls in the stretch. */
  function addChirp(out: readonly [Float32Array, Float32Array], startFrame: number, i: number, k: number): void {
    const c = crickets[i];
    const time = chirpTime(c, k);
    const first = Math.round(time * rate);
    const from = Math.max(0, startFrame - first);
    const to = Math.min(c.chirp.length, startFrame + out[0].length - first);
    if (to <= from) return;
    const sings = Math.min(1, Math.max(0, curves.value("density", time) * o.crickets - i));
    const gain = sings * levelToGain(curves.value("level", time)) * o.chorus * (0.8 + 0.2 * c.rng.at(9, k));
    if (gain <= 0) return;
    const w = (2 * Math.PI * c.carrier * (1 + 0.012 * smoothNoise(c.pitch, k, 40))) / rate;
    const cw = Math.cos(w);
    const sw = Math.sin(w);
    // The carrier by recurrence: a rotation of (cos, sin) by w each frame; 2·sin·cos is the octave.
    let cos = Math.cos(w * from);
    let sin = Math.sin(w * from);
    const left = out[0];
    const right = out[1];
    const gL = c.gainL * gain;
    const gR = c.gainR * gain;
    const h2 = 2 * c.harmonic;
    const chirp = c.chirp;
    for (let n = from; n < to; n++) {
      const v = chirp[n] * sin * (1 + h2 * cos);
      const j = first + n - startFrame;
      left[j] += v * gL;
      right[j] += v * gR;
      const next = cos * cw - sin * sw;
      sin = sin * cw + cos * sw;
      cos = next;
    }
  }

  /** The wind at story time t: its slow rise and fall, faster with the rate, and the gusts near the stretch. */
  function windAt(t: number): number {
    const r = curves.value("rate", t);
    let w = 0.65 + 0.35 * ((1 - r) * slow.at(t) + r * fast.at(t));
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      if (e.kind === "gust" && "intensity" in e) w += e.intensity * bump(t, e.time, 5);
    }
    return Math.min(1.5, Math.max(0.15, w));
  }

  /** The wind's gains on the bed's grid, the same for both channels. */
  function bedGains(): void {
    const softL = bed.soft[0];
    const softR = bed.soft[1];
    const crispL = bed.crisp[0];
    const crispR = bed.crisp[1];
    for (let k = 0; k < bed.points; k++) {
      const t = ((bed.first + k) * GAIN_BLOCK) / rate;
      const b = curves.value("brightness", t);
      const gain = levelToGain(curves.value("level", t)) * o.air * windAt(t) ** 2;
      softL[k] = softR[k] = gain * (1.1 - 0.6 * b);
      crispL[k] = crispR[k] = gain * (0.2 + 0.8 * b);
    }
  }

  const farGain = (frame: number) => {
    const t = frame / rate;
    return levelToGain(curves.value("level", t)) * o.farGain * Math.max(0, curves.value("density", t));
  };

  return {
    render(out, startFrame) {
      const length = out[0].length;
      curves = new ControlCurves(score, rate, startFrame, length);
      const t0 = startFrame / rate;
      const t1 = (startFrame + length) / rate;
      events = score.events(t0 - 6, t1 + 6);
      bed.grid(startFrame, length);
      bedGains();
      bed.add(out, startFrame);
      far.add(out, startFrame, farGain);
      for (let i = 0; i < crickets.length; i++) {
        const c = crickets[i];
        const kFrom = Math.max(0, Math.floor((t0 - longest - c.offset) / c.period - 3));
        const kTo = Math.ceil((t1 - c.offset) / c.period + 3);
        for (let k = kFrom; k <= kTo; k++) addChirp(out, startFrame, i, k);
      }
    },
  };
}
