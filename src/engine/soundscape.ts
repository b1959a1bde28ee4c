/**
 * The soundscape: every voice of a plan, their trims and pans, the shared
 * reverb and the master fade, built in any Tone context. `schedule(from, to)`
 * places everything the score says about story time [from, to): called once
 * for an offline window, or again and again ahead of the playhead live.
 *
 *   offline: every voice and the reverb, in one bus (texture-bus.ts) → master → highpass 20 Hz (output)
 *   live:    every voice (panned) in one block of arrays → mixer worklet (trims, the listener's gains, the reverb) → master → highpass (output)
 *   live, no audio worklet: one buffer → split → mix ─┬──────────→ master → highpass 20 Hz (output)
 *                                                     └→ send → reverb ─┘
 *
 * Every node costs the engine time in every render quantum, so none is made
 * that would do nothing: offline the engine plays one buffer a chunk; live,
 * one buffer a few seconds, mixed on the audio thread by one worklet node;
 * the overall gain rides on the master's fades.
 */
import * as Tone from "tone";
import { dbToGain, type GainFactor } from "../core/units.ts";
import { CONTROL_STEP } from "../score/controls.ts";
import { masterGainAt, type Plan } from "../score/timeline.ts";
import type { VoiceType } from "../score/voice-types.ts";
import { VOICES } from "../score/voices/index.ts";
import { createVoice, VOICE_BALANCE, type VoiceContext, type VoiceOptions } from "./voices/index.ts";
import { Ramp, releaseEnded } from "./kit.ts";
import type { MixerFactory } from "./live-mix.ts";
import { createLiveBus, createMixerBus, createTextureBus, type LiveBus, type LiveMember } from "./texture-bus.ts";
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
  /**
   * Live: makes the mixer node (the page's audio worklet, engine/live-mix.ts);
   * without one, the live mix is built of native nodes.
   */
  mixer?: MixerFactory;
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

  // Offline, every voice and the reverb play through one bus; live, the voices share one
  // buffer a chunk, mixed with the listener's gain of each by the worklet, or split out
  // into native gains and the native reverb.
  const members = membersOf(plan, vc, options.voiceOptions);
  const reverb = vc.live && !options.mixer ? createReverb(context) : undefined;
  if (reverb) Tone.connect(reverb.output, master);
  let live: LiveBus | undefined;
  if (reverb) live = createLiveBus(vc, members, master, reverb.input);
  else if (vc.live && options.mixer) live = createMixerBus(vc, members, master, options.mixer);
  const bus = live ?? createTextureBus(vc, members, master);

  let scheduledTo = Number.NEGATIVE_INFINITY;
  let gridDone = Number.NEGATIVE_INFINITY;

  return {
    output,
    voices: members.map((m) => m.name),
    schedule(from: number, to: number) {
      const first = scheduledTo === Number.NEGATIVE_INFINITY;
      const begin = Math.max(from, options.start);
      if (!(to > begin)) return;
      const times: number[] = first ? [begin] : [];
      for (let k = Math.floor(begin / CONTROL_STEP) + 1; k * CONTROL_STEP <= to; k++) {
        const t = k * CONTROL_STEP;
        if (t > gridDone) times.push(t);
      }
      bus.cover(begin, to);
      for (const t of times) masterRamp.to(masterGainAt(plan, t) * gain, t);
      if (times.length > 0) gridDone = times[times.length - 1];
      scheduledTo = to;
    },
    setMix(name: string, volume: number, ramp = 0.3) {
      live?.setMix(name, Math.min(1, Math.max(0, volume)) ** 2, ramp);
    },
    releaseEnded(before: number) {
      releaseEnded(vc, before);
    },
    dispose() {
      bus.dispose();
      reverb?.dispose();
      master.dispose();
      output.dispose();
    },
  };
}

/**
 * The voices of a plan at a sample rate, as members of a mix, made once and
 * kept with the plan: a texture is a pure function of the story frames it is
 * asked for, so every
 * soundscape of the plan (each window of a render, each start of the page's
 * player) plays the same ones, and what each holds from chunk to chunk (its
 * tables, its scratch) is made once. Made anew for each window, every
 * texture's closures were new to V8 as well (850 optimisations in 6 minutes
 * of the dream on one worker, 687 with the voices kept: most of the rest was
 * the full collection after each window, see node/worker.ts).
 */
const VOICES_OF = new WeakMap<Plan, Map<string, LiveMember[]>>();

function membersOf(plan: Plan, vc: VoiceContext, voiceOptions: SoundscapeOptions["voiceOptions"]): readonly LiveMember[] {
  const key = `${vc.context.sampleRate} ${JSON.stringify(voiceOptions ?? {})}`;
  const made = VOICES_OF.get(plan) ?? new Map<string, LiveMember[]>();
  VOICES_OF.set(plan, made);
  let members = made.get(key);
  if (!members) {
    members = plan.preset.voices.map((spec) => {
      const rng = plan.random.fork(`voice:${spec.name}`);
      const voice = createVoice(spec.type, vc, voiceOptions?.[spec.type] ?? {}, rng, textureScore(plan, spec));
      return {
        name: spec.name,
        texture: voice.texture,
        trim: dbToGain(spec.gain + VOICE_BALANCE[spec.type]),
        pan: spec.pan,
        send: VOICES[spec.type].reverbSend,
      };
    });
    made.set(key, members);
  }
  return members;
}
