/**
 * The melody of connection and trust: soft bell-like notes (the phrases come
 * from the score), each a rounded tone with a faint shimmer above it, into a
 * gentle echo.
 *
 *   note: tone osc → gain (envelope) ─┐
 *         shimmer osc → gain ─────────┴→ bus ─┬──────────────────→ level → out
 *                                             └→ delay ⟲ feedback → wet ┘
 */
import * as Tone from "tone";
import type { ScoreEvent } from "../../score/events.ts";
import type { Random } from "../../core/random.ts";
import type { Params } from "../../score/voice-types.ts";
import { envelope, levelToGain, local, midiToHz, NodePool, phaseAt, phasedWave, Ramp, type Voice, type VoiceContext } from "../kit.ts";

export interface MotifOptions {
  /** Attack of a note, in seconds (soft, never a pluck). */
  attack: number;
  /** Echo delay, in seconds, and its feedback, 0–1. */
  echo: number;
  feedback: number;
  /** Harmonic amplitudes of the note's body. */
  harmonics: number[];
}

export const MOTIF_DEFAULTS: MotifOptions = {
  attack: 0.09,
  echo: 0.62,
  feedback: 0.3,
  harmonics: [1, 0.12, 0.04],
};

export function createMotif(vc: VoiceContext, options: Partial<MotifOptions>, rng: Random): Voice {
  const o = { ...MOTIF_DEFAULTS, ...options };
  const { context } = vc;
  const bus = new Tone.Gain({ context });
  // A plain delay loop: Tone.FeedbackDelay's wet/dry crossfade adds a dozen nodes for nothing here.
  const echo = new Tone.Delay({ context, delayTime: o.echo, maxDelay: o.echo });
  const feedback = new Tone.Gain({ context, gain: o.feedback });
  const wet = new Tone.Gain({ context, gain: 0.3 });
  const level = new Tone.Gain({ context, gain: 0 });
  const output = new Tone.Gain({ context });
  bus.connect(level);
  bus.chain(echo, wet, level);
  echo.chain(feedback, echo);
  level.connect(output);
  const ramps = { level: new Ramp(vc, level.gain) };
  const notes = new NodePool(vc);
  const shimmer = rng.fork("shimmer");
  let brightness = 0.5;

  function playNote(note: Extract<ScoreEvent, { kind: "note" }>): void {
    const frequency = midiToHz(note.midi);
    const start = note.time;
    const end = start + note.duration;
    const stop = end + o.attack + 0.05;
    // A note still ringing when the voice starts joins in phase, part-way through its envelope.
    if (stop <= vc.start) return;
    const from = Math.max(start, vc.start);
    const partials: [number, number[], number][] = [
      [frequency, o.harmonics, 1],
      [frequency * 4 * (1.002 + 0.002 * shimmer.at(Math.round(start * 1000))), [1], 0.1 * brightness],
    ];
    const nodes: Tone.ToneAudioNode[] = [];
    partials.forEach(([hz, harmonics, weight], i) => {
      const osc = new Tone.ToneOscillatorNode({ context, frequency: hz });
      osc.setPeriodicWave(phasedWave(context, harmonics, phaseAt(hz, start, from)));
      const gain = new Tone.Gain({ context, gain: 0 });
      osc.chain(gain, bus);
      const peak = 0.22 * note.velocity * weight;
      const decay = i === 0 ? note.duration : note.duration * 0.35;
      // An exponential decay drawn as linear segments: half, quarter, an eighth, then nothing.
      envelope(vc, gain.gain, [
        [start, 0],
        [start + o.attack, peak],
        [start + o.attack + decay * 0.2, peak * 0.5],
        [start + o.attack + decay * 0.45, peak * 0.25],
        [start + o.attack + decay * 0.75, peak * 0.1],
        [start + o.attack + decay, 0],
      ]);
      osc.start(local(vc, from)).stop(local(vc, stop));
      nodes.push(osc, gain);
    });
    notes.add(nodes[0] as Tone.ToneOscillatorNode, nodes, stop);
  }

  return {
    output,
    set(c: Params, time: number) {
      ramps.level.to(levelToGain(c.level) * 2, time);
      brightness = c.brightness;
    },
    play(event) {
      if (event.kind === "note") playNote(event);
    },
    cover() {},
    dispose() {
      notes.dispose();
      for (const node of [bus, echo, feedback, wet, level, output]) node.dispose();
    },
  };
}
