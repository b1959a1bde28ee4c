/**
 * The soundscape: every voice of a plan, their trims and pans, the shared
 * reverb and the master fade, built in any Tone context. `schedule(from, to)`
 * places everything the score says about story time [from, to): called once
 * for an offline window, or again and again ahead of the playhead live.
 *
 *   voice → trim → pan ─┬────────────→ master → highpass 20 Hz → output
 *                       └→ send → reverb ─┘
 */
import * as Tone from "tone";
import { CONTROL_STEP, controlsAt } from "../score/controls.ts";
import { eventsInWindow, LONGEST_EVENT } from "../score/events.ts";
import { masterGainAt, type Plan } from "../score/timeline.ts";
import { VOICE_FACTORIES, REVERB_SENDS, type Voice, type VoiceContext } from "../voices/index.ts";
import { Ramp } from "../voices/kit.ts";
import { createReverb } from "./reverb.ts";

export interface SoundscapeOptions {
  /** Story time at context time 0, in seconds. */
  origin: number;
  /** Story time from which sound is scheduled (at or after `origin`). */
  start: number;
  /** Overall gain after the fades (loudness normalisation), as a factor. */
  gain?: number;
  /** True for a realtime context (finished nodes are disposed as they end). */
  live?: boolean;
}

export interface Soundscape {
  /** Stereo output; connect it to the context's destination. */
  readonly output: Tone.Gain;
  /** Names of the voices, in preset order. */
  readonly voices: string[];
  /** Schedules story time [from, to); calls must follow each other without gaps. */
  schedule(from: number, to: number): void;
  /** The listener's own volume for a voice (0–1, on top of the score), ramped over `ramp` seconds. */
  setMix(voice: string, volume: number, ramp?: number): void;
  dispose(): void;
}

export function createSoundscape(context: Tone.BaseContext, plan: Plan, options: SoundscapeOptions): Soundscape {
  const vc: VoiceContext = { context, origin: options.origin, start: options.start, live: options.live ?? false };
  const reverb = createReverb(context);
  const master = new Tone.Gain({ context, gain: 0 });
  // Below 20 Hz is inaudible and only costs headroom (and shows as DC over seconds of rumble).
  const subsonic = new Tone.BiquadFilter({ context, type: "highpass", frequency: 20, Q: -3.01 });
  const output = new Tone.Gain({ context, gain: options.gain ?? 1 });
  reverb.output.connect(master);
  master.chain(subsonic, output);
  const masterRamp = new Ramp(vc, master.gain);

  const channels = plan.preset.voices.map((spec) => {
    const voice: Voice = VOICE_FACTORIES[spec.type](vc, {}, plan.random.fork(`voice:${spec.name}`));
    const trim = new Tone.Gain({ context, gain: Tone.dbToGain(spec.gain) });
    const mix = new Tone.Gain({ context, gain: 1 });
    const pan = new Tone.Panner({ context, pan: spec.pan });
    const send = new Tone.Gain({ context, gain: REVERB_SENDS[spec.type] });
    voice.output.chain(trim, mix, pan, master);
    pan.connect(send);
    send.connect(reverb.input);
    return { spec, voice, nodes: [trim, mix, pan, send], mix };
  });

  let scheduledTo = Number.NEGATIVE_INFINITY;
  let gridDone = Number.NEGATIVE_INFINITY;

  return {
    output,
    voices: channels.map((c) => c.spec.name),
    schedule(from: number, to: number) {
      const first = scheduledTo === Number.NEGATIVE_INFINITY;
      const begin = Math.max(from, options.start);
      if (!(to > begin)) return;
      const times: number[] = first ? [begin] : [];
      for (let k = Math.floor(begin / CONTROL_STEP) + 1; k * CONTROL_STEP <= to; k++) {
        const t = k * CONTROL_STEP;
        if (t > gridDone) times.push(t);
      }
      for (const { spec, voice } of channels) {
        voice.cover(begin, to);
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
      for (const t of times) masterRamp.to(masterGainAt(plan, t), t);
      if (times.length > 0) gridDone = times[times.length - 1];
      scheduledTo = to;
    },
    setMix(name: string, volume: number, ramp = 0.3) {
      const channel = channels.find((c) => c.spec.name === name);
      if (!channel) return;
      const now = context.currentTime;
      const gain = Math.min(1, Math.max(0, volume)) ** 2;
      channel.mix.gain.cancelScheduledValues(now);
      channel.mix.gain.setValueAtTime(channel.mix.gain.getValueAtTime(now), now);
      channel.mix.gain.linearRampToValueAtTime(gain, now + ramp);
    },
    dispose() {
      for (const { voice, nodes } of channels) {
        voice.dispose();
        for (const node of nodes) node.dispose();
      }
      reverb.dispose();
      master.dispose();
      subsonic.dispose();
      output.dispose();
    },
  };
}
