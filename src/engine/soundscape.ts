/**
 * The soundscape: every voice of a plan, their trims and pans, the shared
 * reverb and the master fade, built in any Tone context. `schedule(from, to)`
 * places everything the score says about story time [from, to): called once
 * for an offline window, or again and again ahead of the playhead live.
 *
 *   voice (trimmed) → [mix] → [pan] ─┬────────────→ master → highpass 20 Hz (output)
 *                                    └→ send → reverb ─┘
 *
 * Every node costs the engine time in every render quantum, so none is made
 * that would do nothing: the preset's trim is the voice's own output gain,
 * the listener's mix exists only live, and the overall gain rides on the
 * master's fades. A texture (a voice made in JavaScript) pans its own
 * samples; for the others the panner stays even at 0: it spreads a mono
 * voice, the motif's notes, at -3 dB a side.
 */
import * as Tone from "tone";
import { dbToGain, type GainFactor } from "../core/units.ts";
import { CONTROL_STEP, controlsAt } from "../score/controls.ts";
import { eventsInWindow, LONGEST_EVENT } from "../score/events.ts";
import { masterGainAt, type Plan } from "../score/timeline.ts";
import type { VoiceType } from "../score/voice-types.ts";
import type { VoiceSpec } from "../score/preset-types.ts";
import { VOICES } from "../score/voices/index.ts";
import { createVoice, VOICE_BALANCE, type Voice, type VoiceContext, type VoiceOptions } from "./voices/index.ts";
import { Ramp, releaseEnded, type TextureVoice } from "./kit.ts";
import { createTextureBus } from "./texture-bus.ts";
import { createReverb } from "./reverb.ts";
import { textureScore } from "../synth/texture.ts";

export interface SoundscapeOptions {
  /** Story time at context time 0, in seconds. */
  origin: number;
  /** Story time from which sound is scheduled (at or after `origin`). */
  start: number;
  /** Overall gain after the fades (loudness normalisation). */
  gain?: GainFactor;
  /** True for a realtime context (finished nodes are disposed as they end). */
  live?: boolean;
  /** Options for the graph of every voice of a type (its factory's `XOptions`); default none. */
  voiceOptions?: { [T in VoiceType]?: VoiceOptions[T] };
}

export interface Soundscape {
  /** Stereo output; connect it to the context's destination. */
  readonly output: Tone.ToneAudioNode;
  /** Names of the voices, in preset order. */
  readonly voices: string[];
  /** Schedules story time [from, to); calls must follow each other without gaps. */
  schedule(from: number, to: number): void;
  /** The listener's own volume for a voice (0–1, on top of the score), ramped over `ramp` seconds. */
  setMix(voice: string, volume: number, ramp?: number): void;
  /** Offline: disposes the one-shot nodes that ended before story time `before` (see kit.ts). */
  releaseEnded(before: number): void;
  dispose(): void;
}

export function createSoundscape(context: Tone.BaseContext, plan: Plan, options: SoundscapeOptions): Soundscape {
  const vc: VoiceContext = { context, origin: options.origin, start: options.start, live: options.live ?? false, pools: new Set() };
  const gain = options.gain ?? 1;
  const master = new Tone.Gain({ context, gain: 0 });
  // Below 20 Hz is inaudible and only costs headroom (and shows as DC over seconds of rumble).
  const output = new Tone.BiquadFilter({ context, type: "highpass", frequency: 20, Q: -3.01 });
  master.connect(output);
  const masterRamp = new Ramp(vc, master.gain);

  const voices = plan.preset.voices.map((spec) => {
    const rng = plan.random.fork(`voice:${spec.name}`);
    return { spec, voice: createVoice(spec.type, vc, options.voiceOptions?.[spec.type] ?? {}, rng, textureScore(plan, spec)) as Voice };
  });
  // Offline, every texture plays through one bus; live, each has its graph, for the mixer.
  const bused = vc.live ? [] : voices.filter(({ voice }) => "texture" in voice);
  // The native reverb only for voices outside the bus: with none, the bus runs the reverb itself.
  const reverb = bused.length < voices.length ? createReverb(context) : undefined;
  if (reverb) Tone.connect(reverb.output, master);
  const bus =
    bused.length > 0
      ? createTextureBus(
          vc,
          bused.map(({ spec, voice }) => ({
            texture: (voice as TextureVoice).texture,
            trim: dbToGain(spec.gain + VOICE_BALANCE[spec.type]),
            pan: spec.pan,
            send: VOICES[spec.type].reverbSend,
          })),
          master,
          reverb?.input,
        )
      : undefined;
  const channels = voices
    .filter((v) => !bused.includes(v))
    .map(({ spec, voice }) => channel(context, spec, voice, master, (reverb as NonNullable<typeof reverb>).input, vc.live));

  let scheduledTo = Number.NEGATIVE_INFINITY;
  let gridDone = Number.NEGATIVE_INFINITY;

  return {
    output,
    voices: voices.map((v) => v.spec.name),
    schedule(from: number, to: number) {
      const first = scheduledTo === Number.NEGATIVE_INFINITY;
      const begin = Math.max(from, options.start);
      if (!(to > begin)) return;
      const times: number[] = first ? [begin] : [];
      for (let k = Math.floor(begin / CONTROL_STEP) + 1; k * CONTROL_STEP <= to; k++) {
        const t = k * CONTROL_STEP;
        if (t > gridDone) times.push(t);
      }
      bus?.cover(begin, to);
      for (const { spec, voice } of channels) {
        voice.cover(begin, to);
        // A texture reads its controls and events from the score itself.
        if ("texture" in voice) continue;
        // The first call also looks back for long events (chords) still sounding at the start.
        const events = eventsInWindow(plan, spec, first ? begin - LONGEST_EVENT : begin, to);
        // Events and control points in time order: a voice that reads its controls when an
        // event plays (the motif's shimmer) then hears the same values however time is split.
        let next = 0;
        for (const t of times) {
          for (; next < events.length && events[next].time < t; next++) voice.play(events[next]);
          voice.set(controlsAt(plan, spec, t), t);
        }
        for (; next < events.length; next++) voice.play(events[next]);
      }
      for (const t of times) masterRamp.to(masterGainAt(plan, t) * gain, t);
      if (times.length > 0) gridDone = times[times.length - 1];
      scheduledTo = to;
    },
    setMix(name: string, volume: number, ramp = 0.3) {
      const channel = channels.find((c) => c.spec.name === name);
      if (!channel?.mix) return;
      const now = context.currentTime;
      const gain = Math.min(1, Math.max(0, volume)) ** 2;
      channel.mix.gain.cancelScheduledValues(now);
      channel.mix.gain.setValueAtTime(channel.mix.gain.getValueAtTime(now), now);
      channel.mix.gain.linearRampToValueAtTime(gain, now + ramp);
    },
    releaseEnded(before: number) {
      releaseEnded(vc, before);
    },
    dispose() {
      bus?.dispose();
      for (const { voice, nodes } of channels) {
        voice.dispose();
        for (const node of nodes) node.dispose();
      }
      reverb?.dispose();
      master.dispose();
      output.dispose();
    },
  };
}

/** The graph of a voice outside the bus: its trim, the listener's mix (live), its pan, its send. */
function channel(context: Tone.BaseContext, spec: VoiceSpec, voice: Voice, master: Tone.Gain, reverb: Tone.InputNode, live: boolean) {
  voice.output.gain.value = dbToGain(spec.gain + VOICE_BALANCE[spec.type]);
  const mix = live ? new Tone.Gain({ context, gain: 1 }) : undefined;
  // A voice made in JavaScript pans its own samples: one node fewer.
  voice.pan?.(spec.pan);
  const pan = voice.pan ? undefined : new Tone.Panner({ context, pan: spec.pan });
  const send = new Tone.Gain({ context, gain: VOICES[spec.type].reverbSend });
  const after = [...(mix ? [mix] : []), ...(pan ? [pan] : [])];
  voice.output.chain(...after, master);
  (after.at(-1) ?? voice.output).connect(send);
  Tone.connect(send, reverb);
  return { spec, voice, nodes: [...after, send], mix };
}
