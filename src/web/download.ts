/**
 * Downloads: the chosen story rendered in the browser through the command
 * line's own pipeline, so the file is what `reverie render --story S
 * --length S` makes of the same preset and seed:
 *
 *   windows (windows.ts) → loudness probe → gain to -23 LUFS → master (gain,
 *   true-peak limiter at -1 dBTP) → WAV encoder (same format and dither key)
 *
 * The probe measures a story up to 30 minutes whole, window by window; a
 * short one's windows are kept as they are measured and mastered from memory,
 * a longer one's are rendered again (two passes, memory stays bounded).
 *
 * The whole file is held in memory (a Blob of per-window parts) until it is
 * saved, which is why downloads stop at MAX_DOWNLOAD_SECONDS; the command
 * line streams to disk and renders any length.
 */
import { renderInTurn } from "../engine/offline.ts";
import { masteredBlocks, type WindowStore } from "../pipeline/mastering.ts";
import { buildWavHeader, WavEncoder, type WavFormat, wavFileBytes } from "../pipeline/wav.ts";
import { windows } from "../core/frames.ts";
import { formatDuration } from "../core/duration.ts";
import { hashString, mix } from "../core/random.ts";
import type { Plan } from "../score/timeline.ts";

/** Longest download, in seconds (60 min of 48 kHz 16-bit stereo is about 690 MB). */
export const MAX_DOWNLOAD_SECONDS = 3600;
/** The command line's default format. */
export const DOWNLOAD_FORMAT: WavFormat = { sampleRate: 48000, channels: 2, format: "pcm16" };
/**
 * Longest story, in seconds, whose windows are kept in memory from the
 * loudness probe to the master instead of being rendered again: 10 minutes
 * of float stereo is 230 MB, beside the 115 MB of the file itself.
 */
const KEEP_SECONDS = 600;
/**
 * Cost of mastering and encoding a kept window against rendering it, for the
 * progress bar (measured in Node: 10 minutes in 1.7 s, against about a minute
 * of rendering).
 */
const MASTERING_COST = 0.05;

export interface DownloadOptions {
  /** Called as the work goes on with the seconds of work done so far and in all (both passes). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Size in bytes of the WAV file for `seconds` of audio. */
export function downloadBytes(seconds: number): number {
  const frames = Math.round(seconds * DOWNLOAD_FORMAT.sampleRate);
  return wavFileBytes(DOWNLOAD_FORMAT.format, frames * DOWNLOAD_FORMAT.channels * 2);
}

/** Renders a plan of finite length (at most MAX_DOWNLOAD_SECONDS) to a normalised, limited WAV file in memory. */
export async function renderWav(plan: Plan, options: DownloadOptions = {}): Promise<Blob> {
  if (!Number.isFinite(plan.total) || plan.total > MAX_DOWNLOAD_SECONDS) {
    throw new RangeError(`a download is at most ${formatDuration(MAX_DOWNLOAD_SECONDS)}`);
  }
  const { signal } = options;
  const { sampleRate } = DOWNLOAD_FORMAT;
  const totalFrames = Math.round(plan.total * sampleRate);
  const blocks = masteredBlocks(plan, {
    sampleRate,
    windows: windows(totalFrames, sampleRate),
    render: (spans) => renderInTurn(plan, sampleRate, spans, signal),
    store: () => (plan.total <= KEEP_SECONDS ? new MemoryStore() : undefined),
    storedCost: MASTERING_COST,
    signal,
    onProgress: options.onProgress,
  });
  const encoder = new WavEncoder(DOWNLOAD_FORMAT, mix(plan.random.key, hashString("dither")));
  // encode() reuses its buffer: each part keeps its own copy.
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for await (const block of blocks) parts.push(encoder.encode(block).slice());
  const header = buildWavHeader(DOWNLOAD_FORMAT, { dataBytes: totalFrames * encoder.blockAlign, frames: totalFrames });
  return new Blob([header.slice(), ...parts], { type: "audio/wav" });
}

/** A short story's windows, kept in memory from the probe to the master, each let go of once handed on. */
class MemoryStore implements WindowStore {
  private readonly kept: (Float32Array[] | undefined)[] = [];

  put(audio: Float32Array[]): void {
    this.kept.push(audio);
  }

  async *windows(): AsyncGenerator<Float32Array[]> {
    for (let i = 0; i < this.kept.length; i++) {
      const audio = this.kept[i] as Float32Array[];
      this.kept[i] = undefined;
      yield audio;
    }
  }
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
