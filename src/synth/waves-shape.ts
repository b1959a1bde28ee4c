/**
 * The shape of a wave in time, band by band: how loud the low swell, the
 * wash's body, the sunk foam (a band around 3 kHz) and the foam and spray
 * above it are at any moment of a wave's life, and the far surf under all of
 * them. Times in seconds of story time, gains relative to a breaking wave.
 */
import { mix, unit } from "../core/random.ts";
import type { ScoreEvent } from "../score/events.ts";
import { panGains } from "./grains.ts";
import type { ControlCurves } from "./texture.ts";
import { levelToGain } from "./texture.ts";

/** Bands a wave's envelopes drive: low, body, sunk foam, foam. */
export const BANDS = 4;
/** Seconds from a wave's event to its last sound. */
export const LONGEST_WAVE = 12;
/** Each band's own gain, so that the bands' noises (of different widths) sit as a sea's do. */
const BAND_GAIN = [3.2, 1, 1.2, 1];

/** One wave's draw: when it breaks, how it foams. */
export interface Wave {
  time: number;
  strength: number;
  pan: number;
  /** Story time of the crash, in seconds. */
  crash: number;
  /** Story time of its last sound, in seconds. */
  end: number;
  /** Seconds the crash takes to rise (never a step). */
  attack: number;
  /** Seconds from the crash to the height of the foam. */
  peak: number;
  /** Seconds the foam takes to recede after its height. */
  recede: number;
  /** Key of its bubbles. */
  key: number;
}

function smooth(x: number): number {
  const c = Math.min(1, Math.max(0, x));
  return c * c * (3 - 2 * c);
}

export function waveFrom(event: Extract<ScoreEvent, { kind: "wave" }>, key: number): Wave {
  const k = mix(key, Math.round(event.time * 1000));
  const draw = (slot: number) => unit(mix(k, slot));
  const crash = event.time + 2.2 + 0.8 * draw(0);
  const peak = 1.2 + 1.4 * draw(2);
  const recede = 2 + 3 * draw(3);
  const end = Math.min(event.time + LONGEST_WAVE, crash + Math.max(6.5, peak + 1.3 * recede));
  // Every wave of one shape (not the event's, spread), so the code that reads them sees one kind of object.
  return { time: event.time, strength: event.strength, pan: event.pan, crash, end, attack: 0.1 + 0.2 * draw(1), peak, recede, key: k };
}

/** The foam of `wave` at time t: its level (0–1) and how far its band has sunk (0–1). */
export function foamOf(wave: Wave, t: number): { level: number; sunk: number } {
  return { level: foamLevel(wave, t), sunk: foamSunk(wave, t) };
}

/** The level of the foam of `wave` at time t, 0–1. */
export function foamLevel(wave: Wave, t: number): number {
  const u = t - wave.crash;
  // Rising smoothly to its height, then receding as the ear hears a fade: evenly in decibels (-26 dB over `recede`).
  const y = (u - wave.peak) / wave.recede;
  return y < 0 ? smooth((u - 0.15) / (wave.peak - 0.15)) : Math.exp(-3 * y) * (1 - smooth((y - 0.7) / 0.6));
}

/** How far the band of the foam of `wave` has sunk at time t, 0–1. */
export function foamSunk(wave: Wave, t: number): number {
  return smooth((t - wave.crash - 0.3) / (wave.peak + wave.recede - 0.3));
}

/** Adds the gains of `wave` at time t (band by band, at strength 1) into g; returns its weight in the mix. */
function addWave(wave: Wave, t: number, bright: number, g: Float64Array): number {
  if (t <= wave.time || t >= wave.end) return 0;
  const u = t - wave.crash;
  const s = wave.strength * (1 - smooth((t - wave.end + 2) / 2));
  if (u < 0) {
    const x = (t - wave.time) / (wave.crash - wave.time);
    g[0] += s * 0.55 * smooth(x);
    g[1] += s * 0.2 * x * x * x;
    return s * 0.75;
  }
  const rise = u < wave.attack ? 0.5 - 0.5 * Math.cos((Math.PI * u) / wave.attack) : 1;
  const after = Math.max(0, u - wave.attack);
  const level = foamLevel(wave, t);
  const sunk = foamSunk(wave, t);
  const hiss = level * (0.15 + 0.85 * bright);
  g[0] += s * (0.55 + 0.45 * rise) * Math.exp(-after / 2.2);
  g[1] += s * (0.2 + 0.8 * rise) * Math.exp(-after / 1.3);
  g[2] += s * (0.4 * rise * Math.exp(-after / 0.9) + hiss * 0.9 * sunk);
  g[3] += s * (0.3 * (0.5 + 0.5 * bright) * rise * Math.exp(-after / 0.4) + hiss * (1 - 0.7 * sunk));
  return s * (1 + level);
}

/**
 * The gains at time t: g[0..3] the bands' (the waves' and the bed's, times
 * level and `scale`), g[4] and g[5] the left and right gains of the mix, which
 * leans towards the louder waves' side.
 */
export function waveGains(waves: Wave[], t: number, curves: ControlCurves, scale: number, g: Float64Array): void {
  const bright = curves.value("brightness", t);
  g.fill(0);
  // The far surf: never still, never silent, its swells out of step (periods of 9, 13 and 17 s).
  const swell = 1 + 0.15 * Math.sin(0.698 * t) + 0.12 * Math.sin(0.483 * t + 2) + 0.1 * Math.sin(0.37 * t + 4);
  g[0] = 0.35 * swell;
  g[1] = 0.06 * swell;
  g[2] = 0.03;
  g[3] = 0.015 * (0.3 + 0.7 * bright);
  let weight = 0.4;
  let pan = 0;
  for (const wave of waves) {
    const w = addWave(wave, t, bright, g);
    weight += w;
    pan += w * wave.pan;
  }
  const gain = levelToGain(curves.value("level", t)) * scale;
  for (let b = 0; b < BANDS; b++) g[b] *= gain * BAND_GAIN[b];
  const [l, r] = panGains(pan / weight);
  g[4] = l * Math.SQRT2;
  g[5] = r * Math.SQRT2;
}
