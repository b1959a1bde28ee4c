/**
 * Renders a plan to a WAV file: window after window, each written as soon as
 * it is done, into a temporary file beside the target that is renamed only
 * when the whole render is complete.
 */
import type { Plan } from "../score/timeline.ts";
import { hashString, mix } from "../score/random.ts";
import { renderSpan } from "./offline.ts";
import { openWavWriter, type SampleFormat } from "./wav-file.ts";

/** Seconds of story time per window. */
export const WINDOW_SECONDS = 60;

export interface RenderOptions {
  out: string;
  sampleRate: number;
  format: SampleFormat;
  /** Called after each window with the seconds rendered so far. */
  onProgress?: (done: number, total: number) => void;
  /** Aborts the render (the temporary file is removed). */
  signal?: AbortSignal;
}

export interface RenderResult {
  frames: number;
  bytes: number;
}

/** Window boundaries in frames: fixed by the sample rate alone, never by how the work is shared. */
export function windows(totalFrames: number, sampleRate: number): { startFrame: number; frames: number }[] {
  const size = WINDOW_SECONDS * sampleRate;
  const list = [];
  for (let start = 0; start < totalFrames; start += size) {
    list.push({ startFrame: start, frames: Math.min(size, totalFrames - start) });
  }
  return list;
}

export async function renderToFile(plan: Plan, options: RenderOptions): Promise<RenderResult> {
  const { sampleRate } = options;
  const totalFrames = Math.round(plan.total * sampleRate);
  const writer = await openWavWriter(options.out, {
    sampleRate,
    channels: 2,
    format: options.format,
    ditherKey: mix(plan.random.key, hashString("dither")),
  });
  try {
    for (const window of windows(totalFrames, sampleRate)) {
      options.signal?.throwIfAborted();
      const audio = await renderSpan(plan, { sampleRate, ...window });
      await writer.write(audio);
      options.onProgress?.((window.startFrame + window.frames) / sampleRate, plan.total);
    }
    options.signal?.throwIfAborted();
    return await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
