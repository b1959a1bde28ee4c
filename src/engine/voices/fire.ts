/**
 * A fire in the hearth: the low roar of the flames, a faint hiss, and wood
 * crackling. The crackles are shaped in the graph, not scheduled one by one:
 * slow noise, driven past a threshold and squared, opens a band of noise in
 * short soft-edged bursts, so density (the drive) decides how often it
 * crackles. A settle event is a log sinking: a soft low thump and a flurry.
 * The hearth is one place, so the noise is folded to mono.
 *
 *   noise → mono ─┬→ lowpass 180 Hz ×2 (roar) ─────────────────→ roar gain ───┐
 *                 ├→ bandpass 2.8 kHz (hiss) ──────────────────→ hiss gain ───┤
 *                 ├→ bandpass 1.1 kHz → crackle gain (× sparks) → crackle level ┼→ out
 *                 └→ lowpass 45 Hz ×2 → drive → flurry → threshold² (sparks) ┘  │
 *   settle: sine 62 Hz → gain (envelope) ──────────────────────────────────────┘
 */
import * as Tone from "tone";
import type { Random } from "../../core/random.ts";
import type { Params } from "../../score/voice-types.ts";
import { biquads, envelope, levelToGain, local, NodePool, NoiseSource, Ramp, type Voice, type VoiceContext } from "../kit.ts";

export interface FireOptions {
  /** Top of the roar, in Hz. */
  roarHz: number;
  /** Centre of the flames' hiss, in Hz. */
  hissHz: number;
  /** Centre of the crackle band, in Hz. */
  crackleHz: number;
  /** Top of the slow noise that times the crackles, in Hz. */
  sparkHz: number;
  /** Where the driven slow noise starts to crackle, 0–1 of full scale. */
  threshold: number;
}

export const FIRE_DEFAULTS: FireOptions = {
  roarHz: 180,
  hissHz: 2800,
  crackleHz: 1100,
  sparkHz: 45,
  threshold: 0.35,
};

export function createFire(vc: VoiceContext, options: Partial<FireOptions>, rng: Random): Voice {
  const o = { ...FIRE_DEFAULTS, ...options };
  const { context } = vc;
  const noise = new NoiseSource(vc, rng.fork("noise"));
  const mono = new Tone.Gain({ context });
  mono.channelCount = 1;
  mono.channelCountMode = "explicit";
  const roarBand = biquads(context, "lowpass", o.roarHz, 2);
  const [hissBand] = biquads(context, "bandpass", o.hissHz, 1, 0.6);
  const [crackleBand] = biquads(context, "bandpass", o.crackleHz, 1, 1.2);
  const sparkBand = biquads(context, "lowpass", o.sparkHz, 2);
  const drive = new Tone.Gain({ context, gain: 0 });
  const flurry = new Tone.Gain({ context, gain: 1 });
  const sparks = new Tone.WaveShaper({
    context,
    // Past the threshold a spark opens within a few milliseconds (full 0.04 beyond it), softly at first.
    mapping: (x) => Math.min(1, Math.max(0, Math.abs(x) - o.threshold) / 0.04) ** 1.5,
    length: 2048,
  });
  const crackle = new Tone.Gain({ context, gain: 0 });
  const [roar, hiss, crackleLevel] = [0, 0, 0].map((gain) => new Tone.Gain({ context, gain }));
  const output = new Tone.Gain({ context });

  noise.fan(mono);
  mono.fan(roarBand[0], hissBand, crackleBand, sparkBand[0]);
  roarBand[1].chain(roar, output);
  hissBand.chain(hiss, output);
  sparkBand[1].chain(drive, flurry, sparks, crackle.gain);
  crackleBand.chain(crackle, crackleLevel, output);

  const ramps = {
    roar: new Ramp(vc, roar.gain),
    hiss: new Ramp(vc, hiss.gain),
    crackle: new Ramp(vc, crackleLevel.gain),
    drive: new Ramp(vc, drive.gain),
  };
  const thumps = new NodePool(vc);
  let level = 0;

  return {
    output,
    set(c: Params, time: number) {
      level = levelToGain(c.level);
      ramps.roar.to(level * 4, time);
      ramps.hiss.to(level * 0.5 * (0.15 + 0.85 * c.brightness), time);
      ramps.crackle.to(level * 1.6, time);
      // The slow noise is about 0.016 RMS: driven to 0.115 it crosses the threshold about
      // once in two seconds, to 0.17 six times a second.
      ramps.drive.to(7.6 + 4 * c.density, time);
    },
    play(event) {
      if (event.kind === "settle") playSettle(vc, { flurry, output, thumps }, event.time, event.intensity, level);
    },
    cover(from, to) {
      noise.cover(from, to);
    },
    dispose() {
      thumps.dispose();
      for (const node of [
        mono,
        ...roarBand,
        hissBand,
        crackleBand,
        ...sparkBand,
        drive,
        flurry,
        sparks,
        crackle,
        roar,
        hiss,
        crackleLevel,
        output,
      ]) {
        node.dispose();
      }
      noise.dispose();
    },
  };
}

interface SettleNodes {
  /** Gain of the drive into the sparks. */
  flurry: Tone.Gain;
  output: Tone.Gain;
  thumps: NodePool;
}

/** A log settling at story time `time`: a flurry of sparks and a soft thump, at the fire's `level` (a gain). */
function playSettle(vc: VoiceContext, nodes: SettleNodes, time: number, intensity: number, level: number): void {
  const { context } = vc;
  const { flurry, output, thumps } = nodes;
  if (time < vc.start) return;
  envelope(vc, flurry.gain, [
    [time, 1],
    [time + 0.4, 1 + 0.5 * intensity],
    [time + 2.5, 1],
  ]);
  const osc = new Tone.ToneOscillatorNode({ context, frequency: 62, type: "sine" });
  const gain = new Tone.Gain({ context, gain: 0 });
  osc.chain(gain, output);
  // Soft at both ends: a felt thump, not a knock.
  envelope(vc, gain.gain, [
    [time, 0],
    [time + 0.04, 0.25 * intensity * level],
    [time + 0.25, 0.08 * intensity * level],
    [time + 0.7, 0],
  ]);
  osc.start(local(vc, time)).stop(local(vc, time + 0.75));
  thumps.add(osc, [osc, gain], time + 0.75);
}
