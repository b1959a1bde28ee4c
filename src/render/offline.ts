/**
 * Offline rendering of story time, window by window: each window is its own
 * OfflineContext, started early by a pre-roll that lets reverb tails, filters
 * and long chords settle, so consecutive windows join without a seam.
 */
import * as Tone from "tone";
import { createSoundscape } from "../mix/soundscape.ts";
import { reverbTail } from "../mix/reverb.ts";
import type { Plan } from "../score/timeline.ts";

/** Seconds rendered before a window and thrown away. */
export const PREROLL = Math.ceil(reverbTail());

export interface SpanOptions {
  sampleRate: number;
  /** First frame of the span (story time × sample rate). */
  startFrame: number;
  /** Number of frames. */
  frames: number;
  /** Seconds of pre-roll; default PREROLL. */
  preroll?: number;
  /** Overall gain (loudness normalisation), as a factor. */
  gain?: number;
}

/** Renders frames [startFrame, startFrame + frames) of the plan, as planar stereo. */
export async function renderSpan(plan: Plan, options: SpanOptions): Promise<Float32Array[]> {
  const { sampleRate, startFrame, frames } = options;
  const prerollFrames = Math.min(startFrame, Math.round((options.preroll ?? PREROLL) * sampleRate));
  const contextStart = (startFrame - prerollFrames) / sampleRate;
  const totalFrames = prerollFrames + frames;
  const context = new Tone.OfflineContext(2, totalFrames / sampleRate, sampleRate);
  const scape = createSoundscape(context, plan, { origin: contextStart, start: contextStart, gain: options.gain });
  scape.output.connect(context.destination);
  scape.schedule(contextStart, (startFrame + frames) / sampleRate);
  const buffer = await context.render(false);
  const result = [0, 1].map((channel) => buffer.getChannelData(channel).slice(prerollFrames, prerollFrames + frames));
  scape.dispose();
  await context.dispose();
  return result;
}
