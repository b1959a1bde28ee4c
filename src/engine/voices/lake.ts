/**
 * The lake under the stars: water lapping at the shore (each lap from the
 * score), a quiet bed of water, and the silver fish: a soft splash, a few
 * water plinks and ripples spreading out.
 *
 *   noise ─┬→ lowpass 24 dB ─┬→ bed gain ───────────────────┐
 *          │                 ├→ lap gains (3, round robin) ─┼→ lowpass dark → gain ─┬→ out
 *          │                 └→ ripple gain ────────────────┤  (or open) → gain ───┘
 *          └→ bandpass 2 kHz → splash gain ────────────────────────────→ splash level ┤
 *   plink: sine osc (rising) → gain ──────────────────────────────────────────────────┘
 */
import * as Tone from "tone";
import type { ScoreEvent } from "../../score/events.ts";
import { LAP_SLOT } from "../../score/voices/lake.ts";
import type { Random } from "../../core/random.ts";
import type { Params } from "../../score/voice-types.ts";
import { biquads, darkBright, envelope, levelToGain, local, NodePool, NoiseSource, Ramp, type Voice, type VoiceContext } from "../kit.ts";

export interface LakeOptions {
  /** Top of the water, and of the dark and clear colour over it, in Hz. */
  waterHz: [number, number, number];
  /** Level of the constant water bed relative to a lap, 0–1. */
  bed: number;
  /** Centre of the splash band, in Hz. */
  splashHz: number;
}

export const LAKE_DEFAULTS: LakeOptions = {
  waterHz: [1400, 500, 1400],
  bed: 0.18,
  splashHz: 2000,
};

const LAP_VOICES = 3;

export function createLake(vc: VoiceContext, options: Partial<LakeOptions>, rng: Random): Voice {
  const o = { ...LAKE_DEFAULTS, ...options };
  const { context } = vc;
  const noise = new NoiseSource(vc, rng.fork("noise"));
  const water = biquads(context, "lowpass", o.waterHz[0], 2);
  const colour = [biquads(context, "lowpass", o.waterHz[1])[0], biquads(context, "lowpass", o.waterHz[2])[0]];
  const colourGains = colour.map(() => new Tone.Gain({ context, gain: 0 }));
  const body = new Tone.Gain({ context });
  const bed = new Tone.Gain({ context, gain: o.bed });
  const laps = Array.from({ length: LAP_VOICES }, () => new Tone.Gain({ context, gain: 0 }));
  const ripples = new Tone.Gain({ context, gain: 0 });
  const [splashBand] = biquads(context, "bandpass", o.splashHz, 1, 0.7);
  const splash = new Tone.Gain({ context, gain: 0 });
  const level = new Tone.Gain({ context, gain: 0 });
  const output = new Tone.Gain({ context });
  noise.fan(water[0], splashBand);
  water[1].fan(bed, ripples, ...laps);
  for (const node of [bed, ripples, ...laps]) node.connect(body);
  body.fan(...colour);
  colour.forEach((filter, i) => {
    filter.chain(colourGains[i], output);
  });
  splashBand.chain(splash, level);
  level.connect(output);
  const ramps = { level: new Ramp(vc, level.gain), colour: colourGains.map((g) => new Ramp(vc, g.gain)) };
  const plinks = new NodePool(vc);
  const leapRng = rng.fork("leap");

  function lap(event: Extract<ScoreEvent, { kind: "lap" }>): void {
    // A lap or a leap under way when the voice starts joins part-way through (envelope folds it).
    if (event.time + 1.6 <= vc.start) return;
    const gain = laps[Math.floor(event.time / LAP_SLOT) % LAP_VOICES].gain;
    const t = event.time;
    const s = event.strength;
    envelope(vc, gain, [
      [t, 0],
      [t + 0.15, 0.45 * s],
      [t + 0.4, s],
      [t + 0.9, 0.45 * s],
      [t + 1.6, 0],
    ]);
  }

  return {
    output,
    set(c: Params, time: number) {
      const gain = levelToGain(c.level) * 3;
      ramps.level.to(gain, time);
      darkBright(gain, c.brightness).forEach((g, i) => {
        ramps.colour[i].to(g, time);
      });
    },
    play(event) {
      if (event.kind === "lap") lap(event);
      else if (event.kind === "leap") playLeap(vc, { splash, ripples, level, plinks, rng: leapRng }, event.time, event.intensity);
    },
    cover(from, to) {
      noise.cover(from, to);
    },
    dispose() {
      plinks.dispose();
      for (const node of [...water, ...colour, ...colourGains, body, bed, ...laps, ripples, splashBand, splash, level, output])
        node.dispose();
      noise.dispose();
    },
  };
}

interface LeapNodes {
  splash: Tone.Gain;
  ripples: Tone.Gain;
  /** The voice's level, which the plinks play into. */
  level: Tone.Gain;
  plinks: NodePool;
  /** The source of each leap's ripples and plinks. */
  rng: Random;
}

/** A fish leaping at story time `time`: a splash, ripples spreading, and a few plinks of spray. */
function playLeap(vc: VoiceContext, nodes: LeapNodes, time: number, intensity: number): void {
  const { context } = vc;
  const { splash, ripples, level, plinks, rng: leapRng } = nodes;
  const key = Math.round(time * 1000);
  envelope(vc, splash.gain, [
    [time, 0],
    [time + 0.05, 0.55 * intensity],
    [time + 0.3, 0.2 * intensity],
    [time + 1.1, 0],
  ]);
  const ripplePoints: [number, number][] = [[time, 0]];
  for (let i = 0; i < 5; i++) {
    const at = time + 1 + i * (0.7 + 0.25 * leapRng.at(key, i));
    const size = intensity * 0.9 * 0.7 ** i;
    ripplePoints.push([at - 0.25, 0.1 * size], [at, size], [at + 0.35, 0.15 * size]);
  }
  ripplePoints.push([ripplePoints[ripplePoints.length - 1][0] + 0.6, 0]);
  envelope(vc, ripples.gain, ripplePoints);
  for (let i = 0; i < 3; i++) {
    const at = time + 0.25 + i * 0.32 + 0.1 * leapRng.at(key, 10 + i);
    const hz = 650 + 500 * leapRng.at(key, 20 + i);
    // A plink is a quarter of a second: one already sounding is left out, the pre-roll hides it.
    if (at < vc.start) continue;
    const osc = new Tone.ToneOscillatorNode({ context, frequency: hz, type: "sine" });
    const gain = new Tone.Gain({ context, gain: 0 });
    osc.chain(gain, level);
    envelope(vc, osc.frequency, [
      [at, hz],
      [at + 0.09, hz * 1.7],
    ]);
    envelope(vc, gain.gain, [
      [at, 0],
      [at + 0.012, 0.05 * intensity * 0.75 ** i],
      [at + 0.09, 0.02 * intensity * 0.75 ** i],
      [at + 0.22, 0],
    ]);
    osc.start(local(vc, at)).stop(local(vc, at + 0.25));
    plinks.add(osc, [osc, gain], at + 0.25);
  }
}
