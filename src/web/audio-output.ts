/**
 * The page's one audio context, created on the listener's first gesture, and
 * the chain every soundscape plays into:
 *
 *   soundscape → fade (play, pause, seek) → sleep (timer) → volume (listener) → destination
 *
 * Each stage is its own gain, so a pause during the sleep timer's fade, or a
 * volume change during a seek, never fight over one parameter.
 */
import { AudioContext } from "standardized-audio-context";
import * as Tone from "tone";

export interface AudioOutput {
  readonly context: Tone.Context;
  /** The raw context, for `resume`/`suspend` and its state (which may be Safari's "interrupted"). */
  readonly raw: AudioContext;
  /** Play, pause and seek fades; soundscapes connect here. Starts silent. */
  readonly fade: Tone.Gain;
  /** The sleep timer's long fade. */
  readonly sleep: Tone.Gain;
  /** The listener's volume. */
  readonly volume: Tone.Gain;
}

/** Creates the context and the output chain. Call it inside a user gesture (autoplay rules). */
export function createAudioOutput(volumeGain: number): AudioOutput {
  const raw = new AudioContext({ latencyHint: "playback" });
  const context = new Tone.Context(raw);
  // Importing Tone made an idle global context (and its 20 Hz clock worker);
  // nothing of Reverie uses it, so it is closed, and anything that might
  // reach for the global by accident gets this one instead.
  Tone.setContext(context, true);
  const fade = new Tone.Gain({ context, gain: 0 });
  const sleep = new Tone.Gain({ context, gain: 1 });
  const volume = new Tone.Gain({ context, gain: volumeGain });
  fade.chain(sleep, volume, context.destination);
  return { context, raw, fade, sleep, volume };
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
export function glide(param: Tone.Param<"gain">, target: number, seconds: number, curve = CURVES.smooth, at = param.context.currentTime): void {
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
