/**
 * Rain on a cabin roof: a steady hush of fine drops, a granular patter on
 * the shingles, the low drumming of the roof under it, and now and then a
 * drip from the eaves into a puddle (the drips come from the score). Density
 * thickens the patter into a downpour; brightness brings the drops closer.
 *
 *   noise ─┬→ highpass 3 kHz → lowpass 10 kHz (hush) ──────────→ hush gain ──┐
 *          ├→ bandpass 1.3 kHz → patter gain (× grain) ─────────→ patter gain ┼→ out
 *          │     grain: lowpass 80 Hz ×2 → × drive → square ─┘                 │
 *          └→ lowpass 450 Hz ×2 (roof) ──────────────────────────→ roof gain ─┘
 *   drip: sine osc (rising) → gain (envelope) → panner (left, centre, right) → drip level → out
 */
import * as Tone from "tone";
import type { ScoreEvent } from "../../score/events.ts";
import type { Random } from "../../core/random.ts";
import type { Params } from "../../score/voice-types.ts";
import { biquads, darkBright, envelope, levelToGain, local, NodePool, NoiseSource, Ramp, type Voice, type VoiceContext } from "../kit.ts";

export interface RainOptions {
  /** Low edge and top of the fine hush, in Hz. */
  hushHz: [number, number];
  /** Centre of the patter on the shingles, in Hz. */
  patterHz: number;
  /** Top of the roof's drumming, in Hz. */
  roofHz: number;
  /** Top of the grain that shapes the patter, in Hz (higher is finer). */
  grainHz: number;
  /** Lowest and highest pitch of a drip, in Hz. */
  dripHz: [number, number];
}

export const RAIN_DEFAULTS: RainOptions = {
  hushHz: [3000, 10000],
  patterHz: 1300,
  roofHz: 450,
  grainHz: 80,
  dripHz: [900, 2100],
};

/** Stereo positions of the three drip buses. */
const DRIP_PANS = [-0.7, 0, 0.7];

export function createRain(vc: VoiceContext, options: Partial<RainOptions>, rng: Random): Voice {
  const o = { ...RAIN_DEFAULTS, ...options };
  const { context } = vc;
  const noise = new NoiseSource(vc, rng.fork("noise"));
  const hushBand = [...biquads(context, "highpass", o.hushHz[0]), ...biquads(context, "lowpass", o.hushHz[1])];
  hushBand[0].connect(hushBand[1]);
  const [patterBand] = biquads(context, "bandpass", o.patterHz, 1, 0.9);
  const grainBand = biquads(context, "lowpass", o.grainHz, 2);
  // Squared, so the grain is always positive and peaky: drops, not a tremolo.
  const drive = new Tone.Gain({ context, gain: 28 });
  const square = new Tone.WaveShaper({ context, mapping: (x) => x * x, length: 1024 });
  const patter = new Tone.Gain({ context, gain: 0.25 });
  const roofBand = biquads(context, "lowpass", o.roofHz, 2);
  const [hush, patterLevel, roof, dripLevel] = [0, 0, 0, 0].map((gain) => new Tone.Gain({ context, gain }));
  const output = new Tone.Gain({ context });
  const pans = DRIP_PANS.map((pan) => new Tone.Panner({ context, pan }));

  noise.fan(hushBand[0], patterBand, grainBand[0], roofBand[0]);
  hushBand[1].chain(hush, output);
  grainBand[1].chain(drive, square, patter.gain);
  patterBand.chain(patter, patterLevel, output);
  roofBand[1].chain(roof, output);
  for (const pan of pans) pan.connect(dripLevel);
  dripLevel.connect(output);

  const ramps = {
    hush: new Ramp(vc, hush.gain),
    patter: new Ramp(vc, patterLevel.gain),
    roof: new Ramp(vc, roof.gain),
    drips: new Ramp(vc, dripLevel.gain),
  };
  const drips = new NodePool(vc);
  const pitch = rng.fork("drip");

  return {
    output,
    set(c: Params, time: number) {
      const gain = levelToGain(c.level);
      const [soft, crisp] = darkBright(gain, c.brightness);
      const heavy = 0.35 + 0.65 * c.density;
      ramps.roof.to(soft * 1.1, time);
      ramps.patter.to((0.5 * soft + crisp) * 0.8 * heavy, time);
      ramps.hush.to(crisp * 0.5 * heavy, time);
      ramps.drips.to(gain * 0.09 * (0.4 + 0.6 * c.brightness), time);
    },
    play(event) {
      if (event.kind === "drip") playDrip(vc, { pans, pool: drips, pitch, dripHz: o.dripHz }, event);
    },
    cover(from, to) {
      noise.cover(from, to);
    },
    dispose() {
      drips.dispose();
      for (const node of [
        ...hushBand,
        patterBand,
        ...grainBand,
        drive,
        square,
        patter,
        ...roofBand,
        hush,
        patterLevel,
        roof,
        dripLevel,
        output,
        ...pans,
      ]) {
        node.dispose();
      }
      noise.dispose();
    },
  };
}

interface DripNodes {
  /** The drip buses, left to right. */
  pans: Tone.Panner[];
  pool: NodePool;
  /** The source of each drop's pitch. */
  pitch: Random;
  /** Lowest and highest pitch of a drop, in Hz. */
  dripHz: [number, number];
}

/** A drop from the eaves: a bubble's plink, into the drip bus nearest its pan. */
function playDrip(vc: VoiceContext, nodes: DripNodes, event: Extract<ScoreEvent, { kind: "drip" }>): void {
  const { context } = vc;
  const { pans, pool: drips, pitch, dripHz } = nodes;
  const at = event.time;
  if (at < vc.start) return;
  const key = Math.round(at * 1000);
  const hz = dripHz[0] + (dripHz[1] - dripHz[0]) * pitch.at(key);
  const osc = new Tone.ToneOscillatorNode({ context, frequency: hz, type: "sine" });
  const gain = new Tone.Gain({ context, gain: 0 });
  osc.chain(gain, pans[Math.min(2, Math.floor(((event.pan + 1) / 2) * 3))]);
  // A bubble's pitch rises as it closes; a soft 4 ms attack keeps it a plink, not a click.
  envelope(vc, osc.frequency, [
    [at, hz],
    [at + 0.07, hz * 1.45],
  ]);
  envelope(vc, gain.gain, [
    [at, 0],
    [at + 0.004, event.strength],
    [at + 0.05, 0.35 * event.strength],
    [at + 0.18, 0],
  ]);
  osc.start(local(vc, at)).stop(local(vc, at + 0.2));
  drips.add(osc, [osc, gain], at + 0.2);
}
