/**
 * The page's one audio context, created on the listener's first gesture, and
 * the chain every soundscape plays into:
 *
 *   soundscape → fade (play, pause, seek) → sleep (timer) → volume (listener) → limiter (+ trim) → ceiling → speakers
 *
 * The page plays as media: beside the context, an <audio> element loops ten
 * seconds of silence while the sound plays, so the system treats the page
 * as media playback (Android shows its media notification and keeps the tab
 * playing with the screen locked, and the Media Session has a player to
 * show) rather than as a web page making sounds. The sound itself reaches
 * the speakers through the context's destination, with its long buffers.
 * (Routing the sound through the element, a MediaStreamAudioDestinationNode
 * as its source, works as well in Chromium but opens a second, low-latency
 * output stream: measured here, 3.0–3.8 % of a core for silence against
 * 1.9–2.5 % for the loop.) Where the element cannot be made or refuses to
 * play, the sound plays on as a plain Web Audio page's.
 *
 * Each stage is its own gain, so a pause during the sleep timer's fade, or a
 * volume change during a seek, never fight over one parameter.
 *
 * The limiter is a safety net, as the command line's master is for a file:
 * live playback is normalised by the score model alone, which does not hear
 * one-shot events, so a preset file of loud splashes over quiet water reached
 * full scale at full volume (measured in the page: +0.1 dBFS). The built-in
 * presets' whole stories peak at -4 dBTP or lower at full volume, under its
 * threshold: it leaves them alone.
 */
import { AudioContext, AudioWorkletNode } from "standardized-audio-context";
import * as Tone from "tone";
import { dbToGain } from "../core/units.ts";
import { LIVE_MIXER, type MixerFactory, type MixMessage } from "../engine/live-mix.ts";
import { OUTPUT_LATENCY } from "./latency.ts";
import mixerUrl from "./live-mixer.worklet.ts?worker&url";
import { silentLoop } from "./silent-loop.ts";

/**
 * The live limiter: a native compressor as steep as it goes, with its
 * fastest attack (it looks 6 ms ahead). Its threshold is a dB under the
 * command line's -1 dBTP ceiling: a compressor still lets a twentieth of the
 * excess through, and a little of what its attack misses.
 */
const LIMITER = { threshold: -2, ratio: 20, knee: 0, attack: 0, release: 0.25 } as const;
/**
 * The gain that undoes the compressor's built-in make-up gain (Web Audio
 * raises everything by the inverse of its gain at full scale, to the power
 * 0.6), so the limiter leaves the level alone until it acts.
 */
const LIMITER_TRIM = dbToGain(0.6 * (LIMITER.threshold * (1 - 1 / LIMITER.ratio)));

/** Where the last stage's soft ceiling begins to bend, and where it ends, in dBFS. */
const CLIP_KNEE = -1.6;
const CLIP_CEILING = -1;

/**
 * The last stage's curve: straight below the knee, bending smoothly (tanh)
 * towards the ceiling above it, which no sample passes. The compressor's
 * attack lets the fastest onsets through (a splash's bubbles reached -0.6
 * dBFS at full volume, measured in the page); this catches what it misses,
 * and leaves everything under the knee untouched.
 */
export function ceilingCurve(points = 4097): Float32Array {
  const knee = dbToGain(CLIP_KNEE);
  const ceiling = dbToGain(CLIP_CEILING);
  const curve = new Float32Array(points);
  for (let i = 0; i < points; i++) {
    const x = (2 * i) / (points - 1) - 1;
    const size = Math.abs(x);
    const bent = size <= knee ? size : knee + (ceiling - knee) * Math.tanh((size - knee) / (ceiling - knee));
    curve[i] = Math.sign(x) * bent;
  }
  return curve;
}

export interface AudioOutput {
  readonly context: Tone.Context;
  /** The media element that plays beside the sound (a loop of silence), or null where there is none. */
  readonly element: HTMLAudioElement | null;
  /** Resumes the context and plays the element: call it inside a user gesture. */
  resume(): Promise<void>;
  /** Pauses the element and suspends the context. */
  suspend(): Promise<void>;
  /** The raw context, for `resume`/`suspend` and its state (which may be Safari's "interrupted"). */
  readonly raw: AudioContext;
  /** Play, pause and seek fades; soundscapes connect here. Starts silent. */
  readonly fade: Tone.Gain;
  /** The sleep timer's long fade. */
  readonly sleep: Tone.Gain;
  /** The listener's volume. */
  readonly volume: Tone.Gain;
  /** Makes a soundscape's live mixer on the audio thread, once {@link ready} (none where the page has no audio worklet). */
  readonly mixer: MixerFactory | undefined;
  /** Settles when the mixer's worklet is loaded, or has failed to. */
  readonly ready: Promise<void>;
}

/** Creates the context and the output chain. Call it inside a user gesture (autoplay rules). */
export function createAudioOutput(volumeGain: number): AudioOutput {
  const raw = new AudioContext({ latencyHint: OUTPUT_LATENCY });
  // No clock: nothing of Reverie schedules by Tone's ticks (its transport, draw or timeouts),
  // and the default one ticks a worker 20 times a second.
  const context = new Tone.Context({ context: raw as unknown as InstanceType<typeof globalThis.AudioContext>, clockSource: "offline" });
  // Importing Tone made an idle global context (and its 20 Hz clock worker);
  // nothing of Reverie uses it, so it is closed, and anything that might
  // reach for the global by accident gets this one instead.
  Tone.setContext(context, true);
  const fade = new Tone.Gain({ context, gain: 0 });
  const sleep = new Tone.Gain({ context, gain: 1 });
  const volume = new Tone.Gain({ context, gain: volumeGain });
  const limiter = new Tone.Compressor({ context, ...LIMITER });
  const trim = new Tone.Gain({ context, gain: LIMITER_TRIM });
  const clip = new Tone.WaveShaper({ context, mapping: ceilingCurve() });
  fade.chain(sleep, volume, limiter, trim, clip);
  const speakers = connectSpeakers(context, raw, clip);
  const mixer = loadMixer(raw);
  return {
    context,
    get mixer() {
      return mixer.factory;
    },
    ready: mixer.ready,
    raw,
    fade,
    sleep,
    volume,
    get element() {
      return speakers.element;
    },
    resume() {
      speakers.play();
      return raw.resume();
    },
    suspend() {
      speakers.pause();
      return raw.suspend();
    },
  };
}

/**
 * Adds the live mixer's processor (live-mixer.worklet.ts) to the context's
 * worklet: the factory is there once it has loaded. A page without audio
 * worklets, or one that failed to load it, mixes in native nodes instead.
 */
function loadMixer(raw: AudioContext): { factory: MixerFactory | undefined; ready: Promise<void> } {
  const loaded: { factory: MixerFactory | undefined; ready: Promise<void> } = { factory: undefined, ready: Promise.resolve() };
  const worklet = raw.audioWorklet;
  const WorkletNode = AudioWorkletNode;
  if (!worklet || !WorkletNode) return loaded;
  const factory: MixerFactory = (setup) => {
    const node = new WorkletNode(raw, LIVE_MIXER, {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [2],
      processorOptions: setup,
    });
    // Arrays the mixer gave back once played, by length: drawn into again rather than made anew.
    const spare = new Map<number, Float32Array[]>();
    node.port.onmessage = (event: MessageEvent<Float32Array>) => {
      const data = event.data;
      const list = spare.get(data.length) ?? [];
      list.push(data);
      spare.set(data.length, list);
    };
    const send = (message: MixMessage, transfer: Transferable[] = []) => node.port.postMessage(message, transfer);
    return {
      node: node as unknown as AudioNode,
      change: (change) => send({ change }),
      play: (block) => send({ block }, [block.data.buffer]),
      take(length) {
        const data = spare.get(length)?.pop();
        return data ? data.fill(0) : new Float32Array(length);
      },
      dispose() {
        node.disconnect();
        // Its processor returns false from then on, so the engine lets it go.
        send(null);
        node.port.onmessage = null;
      },
    };
  };
  loaded.ready = worklet.addModule(mixerUrl).then(
    () => {
      loaded.factory = factory;
    },
    () => undefined,
  );
  return loaded;
}

interface Speakers {
  element: HTMLAudioElement | null;
  play(): void;
  pause(): void;
}

/**
 * Connects the end of the chain to the context's destination, and makes the
 * media element that plays beside it. When the system pauses the element by
 * itself (another app takes the audio focus, headphones are unplugged, the
 * notification's pause), the context is suspended too, which the player
 * takes for an interruption: nothing plays on that the system meant to stop.
 */
function connectSpeakers(context: Tone.Context, raw: AudioContext, last: Tone.ToneAudioNode): Speakers {
  last.connect(context.destination);
  let element: HTMLAudioElement;
  try {
    element = new Audio(URL.createObjectURL(new Blob([silentLoop()], { type: "audio/wav" })));
    element.loop = true;
  } catch {
    return { element: null, play() {}, pause() {} };
  }
  let ours = false;
  const speakers: Speakers = {
    element,
    play() {
      if (!speakers.element) return;
      ours = false;
      element.play().catch((error: unknown) => {
        // A pause before it started is no refusal.
        if (!speakers.element || (error instanceof DOMException && error.name === "AbortError")) return;
        // Refused (no gesture left, or no media playback here): the sound plays on without it.
        speakers.element = null;
      });
    },
    pause() {
      ours = true;
      element.pause();
    },
  };
  element.addEventListener("pause", () => {
    // Still paused when the event comes: not overtaken by a play since.
    if (!ours && element.paused && speakers.element) raw.suspend().catch(() => undefined);
  });
  return speakers;
}

/** Shapes of a glide, x and the result 0–1 (how far along). */
export const CURVES = {
  /** Slow at both ends: play, pause and seek fades. */
  smooth: (x: number): number => x * x * (3 - 2 * x),
  /**
   * Falls by about the same number of decibels each second (−30 dB by the
   * end of the exponential part), with a linear factor that reaches true
   * silence: a fade that sounds steady rather than sudden at its tail.
   */
  sleepy: (x: number): number => 1 - (1 - x) * 10 ** (-1.5 * x),
} as const;

/**
 * Moves a gain from wherever it is now to `target` over `seconds` (context
 * time), along `curve` drawn as short linear ramps.
 */
export function glide(
  param: Tone.Param<"gain">,
  target: number,
  seconds: number,
  curve = CURVES.smooth,
  at = param.context.currentTime,
): void {
  param.cancelAndHoldAtTime(at);
  const from = param.getValueAtTime(at);
  if (!(seconds > 0)) {
    param.setValueAtTime(target, at);
    return;
  }
  const steps = Math.min(96, Math.max(4, Math.ceil(seconds * 4)));
  for (let i = 1; i <= steps; i++) {
    const x = i / steps;
    param.linearRampToValueAtTime(from + (target - from) * curve(x), at + x * seconds);
  }
}
