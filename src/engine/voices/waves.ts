/**
 * Waves on a shore at night: each wave (from the score) gathers as a low
 * swell, breaks in a soft broad wash and draws back over the shingle in a
 * fizzing hiss; under them the far surf never quite stops. Brightness brings
 * out the foam and shingle; density (in the score) brings the waves closer
 * together.
 *
 *   noise ─┬→ lowpass 220 Hz ×2 → rumble level ─┬→ wave envelopes (3, round robin) ─┐
 *          │                                    └→ bed ─────────────────────────────┤
 *          ├→ lowpass 1.6 kHz → highpass 120 Hz → wash level ─┬→ wave envelopes ─────┤
 *          │                                                  └→ bed ───────────────┤
 *          └→ highpass 2 kHz → lowpass 8 kHz → foam (× grain) → foam level → envelopes ┤
 *                 grain: lowpass 120 Hz ×2 → × drive → square ─┘                       │
 *   each wave's three envelopes → its panner ──────────────────────────────────────────┴→ out
 */
import * as Tone from "tone";
import type { ScoreEvent } from "../../score/events.ts";
import { WAVE_SLOT } from "../../score/voices/waves.ts";
import type { Random } from "../../core/random.ts";
import type { Params } from "../../score/voice-types.ts";
import { biquads, envelope, levelToGain, NoiseSource, Ramp, type Voice, type VoiceContext } from "../kit.ts";

export interface WavesOptions {
  /** Top of the swell's rumble, in Hz. */
  rumbleHz: number;
  /** Top and bottom of the breaking wash, in Hz. */
  washHz: [number, number];
  /** Bottom and top of the foam drawing back, in Hz. */
  foamHz: [number, number];
  /** Level of the far surf between waves, relative to a breaking wave, 0–1. */
  bed: number;
}

export const WAVES_DEFAULTS: WavesOptions = {
  rumbleHz: 220,
  washHz: [1600, 120],
  foamHz: [2000, 8000],
  bed: 0.8,
};

/** Waves that may sound at once (each lasts about 11 s; they come at most one per 6 s slot). */
const SETS = 3;

export function createWaves(vc: VoiceContext, options: Partial<WavesOptions>, rng: Random): Voice {
  const o = { ...WAVES_DEFAULTS, ...options };
  const { context } = vc;
  const noise = new NoiseSource(vc, rng.fork("noise"));
  const rumbleBand = biquads(context, "lowpass", o.rumbleHz, 2);
  const washBand = [biquads(context, "lowpass", o.washHz[0])[0], biquads(context, "highpass", o.washHz[1])[0]];
  washBand[0].connect(washBand[1]);
  const foamBand = [biquads(context, "highpass", o.foamHz[0])[0], biquads(context, "lowpass", o.foamHz[1])[0]];
  foamBand[0].connect(foamBand[1]);
  const grainBand = biquads(context, "lowpass", 120, 2);
  const drive = new Tone.Gain({ context, gain: 20 });
  const square = new Tone.WaveShaper({ context, mapping: (x) => x * x, length: 1024 });
  const foam = new Tone.Gain({ context, gain: 0.3 });
  const levels = [0, 1, 2].map(() => new Tone.Gain({ context, gain: 0 }));
  const beds = [new Tone.Gain({ context, gain: o.bed }), new Tone.Gain({ context, gain: o.bed * 0.5 })];
  const output = new Tone.Gain({ context });
  const pans = Array.from({ length: SETS }, () => new Tone.Panner({ context, pan: 0 }));
  // sets[i][band]: the envelope of wave set i on the rumble, the wash and the foam.
  const sets = pans.map((pan) =>
    levels.map((level) => {
      const gain = new Tone.Gain({ context, gain: 0 });
      level.connect(gain);
      gain.connect(pan);
      return gain;
    }),
  );

  noise.fan(rumbleBand[0], washBand[0], foamBand[0], grainBand[0]);
  rumbleBand[1].connect(levels[0]);
  washBand[1].connect(levels[1]);
  grainBand[1].chain(drive, square, foam.gain);
  foamBand[1].chain(foam, levels[2]);
  levels[0].chain(beds[0], output);
  levels[1].chain(beds[1], output);
  for (const pan of pans) pan.connect(output);
  const ramps = levels.map((level) => new Ramp(vc, level.gain));

  return {
    output,
    set(c: Params, time: number) {
      const gain = levelToGain(c.level);
      ramps[0].to(gain * 2.2, time);
      ramps[1].to(gain * 0.9 * (0.75 + 0.25 * c.brightness), time);
      ramps[2].to(gain * 0.7 * (0.2 + 0.8 * c.brightness), time);
    },
    play(event) {
      if (event.kind === "wave") playWave(vc, pans, sets, event);
    },
    cover(from, to) {
      noise.cover(from, to);
    },
    dispose() {
      for (const node of [
        ...rumbleBand,
        ...washBand,
        ...foamBand,
        ...grainBand,
        drive,
        square,
        foam,
        ...levels,
        ...beds,
        output,
        ...pans,
        ...sets.flat(),
      ]) {
        node.dispose();
      }
      noise.dispose();
    },
  };
}

/** Schedules a wave on one of the sets of envelopes (`sets[i]`: rumble, wash and foam; panned by `pans[i]`). */
function playWave(vc: VoiceContext, pans: Tone.Panner[], sets: Tone.Gain[][], event: Extract<ScoreEvent, { kind: "wave" }>): void {
  const t = event.time;
  const s = event.strength;
  if (t + 12 <= vc.start) return;
  const set = Math.floor(t / WAVE_SLOT) % SETS;
  envelope(vc, pans[set].pan, [
    [t, event.pan],
    [t + 12, event.pan],
  ]);
  const [rumble, wash, fizz] = sets[set];
  // Gathering, breaking (a soft second-long rise, never a slap), drawing back.
  envelope(vc, rumble.gain, [
    [t, 0],
    [t + 2.2, 0.55 * s],
    [t + 3.1, s],
    [t + 5, 0.35 * s],
    [t + 9, 0],
  ]);
  envelope(vc, wash.gain, [
    [t + 1.8, 0],
    [t + 3.2, s],
    [t + 4.6, 0.5 * s],
    [t + 7.5, 0.12 * s],
    [t + 10, 0],
  ]);
  envelope(vc, fizz.gain, [
    [t + 2.8, 0],
    [t + 4.2, 0.8 * s],
    [t + 6.8, 0.45 * s],
    [t + 9.5, 0.1 * s],
    [t + 12, 0],
  ]);
}
