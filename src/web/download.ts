/**
 * Downloads: the chosen story rendered in the browser by the same engine as
 * the command line (`renderSpan`, one OfflineAudioContext per 60 s window,
 * each with its pre-roll) and encoded by the same pure WAV code, with the
 * same format and dither key, so the file matches
 * `reverie render --story S --length S` of the same preset and seed.
 *
 * The whole file is held in memory (a Blob of per-window parts) until it is
 * saved, which is why downloads stop at MAX_DOWNLOAD_SECONDS; the command
 * line streams to disk and renders any length.
 */
import { renderSpan } from "../render/offline.ts";
import { buildWavHeader, WavEncoder, type WavFormat, wavFileBytes } from "../render/wav.ts";
import { formatDuration } from "../score/duration.ts";
import { hashString, mix } from "../score/random.ts";
import type { Plan } from "../score/timeline.ts";

/** Longest download, in seconds (60 min of 48 kHz 16-bit stereo is about 690 MB). */
export const MAX_DOWNLOAD_SECONDS = 3600;
/** The command line's default format. */
export const DOWNLOAD_FORMAT: WavFormat = { sampleRate: 48000, channels: 2, format: "pcm16" };
/** Seconds per offline window: the command line's (src/render/render.ts), so windows and pre-rolls match. */
const WINDOW_SECONDS = 60;

export interface DownloadOptions {
  /** Loudness gain of the preset, a factor. */
  gain: number;
  /** Called after each window with the seconds rendered so far and the total. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Size in bytes of the WAV file for `seconds` of audio. */
export function downloadBytes(seconds: number): number {
  const frames = Math.round(seconds * DOWNLOAD_FORMAT.sampleRate);
  return wavFileBytes(DOWNLOAD_FORMAT.format, frames * DOWNLOAD_FORMAT.channels * 2);
}

/** Renders a plan of finite length (at most MAX_DOWNLOAD_SECONDS) to a WAV file in memory. */
export async function renderWav(plan: Plan, options: DownloadOptions): Promise<Blob> {
  if (!Number.isFinite(plan.total) || plan.total > MAX_DOWNLOAD_SECONDS) {
    throw new RangeError(`a download is at most ${formatDuration(MAX_DOWNLOAD_SECONDS)}`);
  }
  const { sampleRate } = DOWNLOAD_FORMAT;
  const totalFrames = Math.round(plan.total * sampleRate);
  const windowFrames = WINDOW_SECONDS * sampleRate;
  const encoder = new WavEncoder(DOWNLOAD_FORMAT, mix(plan.random.key, hashString("dither")));
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let startFrame = 0; startFrame < totalFrames; startFrame += windowFrames) {
    options.signal?.throwIfAborted();
    const frames = Math.min(windowFrames, totalFrames - startFrame);
    const audio = await renderSpan(plan, { sampleRate, startFrame, frames, gain: options.gain });
    // encode() reuses its buffer: each part keeps its own copy.
    parts.push(encoder.encode(audio).slice());
    options.onProgress?.((startFrame + frames) / sampleRate, plan.total);
  }
  options.signal?.throwIfAborted();
  const header = buildWavHeader(DOWNLOAD_FORMAT, { dataBytes: totalFrames * encoder.blockAlign, frames: totalFrames });
  return new Blob([header.slice(), ...parts], { type: "audio/wav" });
}

/** Hands a file to the browser to save. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Long enough for the save to have read it; then the memory is given back.
  setTimeout(() => URL.revokeObjectURL(url), 120_000);
}

/** The command that renders the same file from the command line. */
export function commandLine(presetArg: string, seed: string, story: number): string {
  const length = formatDuration(story);
  return `npx reverie render --preset ${presetArg} --seed ${seed} --story ${length} --length ${length}`;
}
