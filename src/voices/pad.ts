/**
 * The harmonic pad: slow chords whose colour follows the story's mood (the
 * chords come from the score), each note a pair of soft detuned oscillators
 * spread left and right; brightness crossfades a dark and an open lowpass.
 * A swell event lifts the whole pad and settles again.
 *
 *   chord k: [osc L, osc R] × notes → chord gain (envelope) ─┐
 *                                                            ├→ swell ─┬→ lowpass dark → gain ─┬→ out
 *   chord k+1 …  ────────────────────────────────────────────┘         └→ lowpass bright → gain ┘
 */
import * as Tone from "tone";
import type { ScoreEvent } from "../score/events.ts";
import type { Random } from "../score/random.ts";
import type { Params } from "../score/voice-types.ts";
import { biquads, darkBright, envelope, levelToGain, local, midiToHz, NodePool, phaseAt, phasedWave, Ramp, type Voice, type VoiceContext } from "./kit.ts";

export interface PadOptions {
  /** Cut-off of the dark and of the open filter, in Hz. */
  cutoffHz: [number, number];
  /** Detune of each note's pair, in cents (one up, one down). */
  detuneCents: number;
  /** Attack and release of a chord, in seconds. */
  attack: number;
  release: number;
  /** Harmonic amplitudes of the oscillators' wave (a soft, rounded saw). */
  harmonics: number[];
}

export const PAD_DEFAULTS: PadOptions = {
  cutoffHz: [350, 2600],
  detuneCents: 5,
  attack: 6,
  release: 8,
  harmonics: [1, 0.4, 0.22, 0.12, 0.07, 0.04, 0.025],
};

export function createPad(vc: VoiceContext, options: Partial<PadOptions>, rng: Random): Voice {
  const o = { ...PAD_DEFAULTS, ...options };
  const { context } = vc;
  const filters = o.cutoffHz.map((hz) => biquads(context, "lowpass", hz)[0]);
  const gains = filters.map(() => new Tone.Gain({ context, gain: 0 }));
  const swell = new Tone.Gain({ context, gain: 1 });
  const output = new Tone.Gain({ context });
  const left = new Tone.Panner({ context, pan: -0.6 });
  const right = new Tone.Panner({ context, pan: 0.6 });
  left.connect(swell);
  right.connect(swell);
  swell.fan(...filters);
  filters.forEach((filter, i) => filter.chain(gains[i], output));
  const chords = new NodePool(vc);
  const ramps = gains.map((gain) => new Ramp(vc, gain.gain));
  const drift = rng.fork("detune");

  function playChord(event: Extract<ScoreEvent, { kind: "chord" }>): void {
    const start = event.time;
    const end = start + event.duration;
    if (end <= vc.start) return;
    const sides = [new Tone.Gain({ context, gain: 0 }), new Tone.Gain({ context, gain: 0 })];
    sides[0].connect(left);
    sides[1].connect(right);
    const oscillators: Tone.ToneOscillatorNode[] = [];
    // Two detuned oscillators per note and two chords overlapping: keep their sum well inside ±1.
    const perNote = 0.25 / event.notes.length;
    event.notes.forEach((midi, i) => {
      for (const side of [-1, 1]) {
        const cents = side * o.detuneCents * (0.7 + 0.6 * drift.at(Math.round(start), i, side));
        const frequency = midiToHz(midi) * 2 ** (cents / 1200);
        const osc = new Tone.ToneOscillatorNode({ context, frequency });
        const from = Math.max(start, vc.start);
        osc.setPeriodicWave(phasedWave(context, o.harmonics, phaseAt(frequency, start, from)));
        osc.connect(sides[side < 0 ? 0 : 1]);
        osc.start(local(vc, from)).stop(local(vc, end));
        oscillators.push(osc);
      }
    });
    // Equal-power-like rise and fall, drawn as a few linear segments.
    const shape = [0, 0.1, 0.35, 0.65, 0.9, 1];
    const points: [number, number][] = [
      ...shape.map((x, i): [number, number] => [start + (o.attack * i) / 5, x]),
      ...shape.map((_, i): [number, number] => [end - o.release + (o.release * i) / 5, shape[5 - i]]),
    ];
    for (const side of sides) envelope(vc, side.gain, points.map(([t, v]): [number, number] => [t, v * perNote]));
    chords.add(oscillators[0], [...sides, ...oscillators]);
  }

  return {
    output,
    set(c: Params, time: number) {
      darkBright(levelToGain(c.level), c.brightness).forEach((gain, i) => ramps[i].to(gain, time));
    },
    play(event) {
      if (event.kind === "chord") playChord(event);
      else if (event.kind === "swell" && event.time >= vc.start) {
        const lift = 1 + 0.9 * event.intensity;
        envelope(vc, swell.gain, [
          [event.time, 1],
          [event.time + 3, 1 + (lift - 1) * 0.5],
          [event.time + 6, lift],
          [event.time + 11, 1 + (lift - 1) * 0.4],
          [event.time + 16, 1],
        ]);
      }
    },
    cover() {},
    dispose() {
      chords.dispose();
      for (const node of [...filters, ...gains, swell, output, left, right]) node.dispose();
    },
  };
}
