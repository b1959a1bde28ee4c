/**
 * Downloads: the chosen story rendered in the browser through the command
 * line's own pipeline, so the file is what `reverie render --story S
 * --length S` makes of the same preset and seed:
 *
 *   windows (core/frames.ts) → loudness probe → gain to -23 LUFS → master (gain,
 *   true-peak limiter at -1 dBTP) → WAV encoder (same format and dither key),
 *   or the Ogg Vorbis or MP3 encoder (same settings and Ogg serial)
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
import { CODEC_BITS_PER_SECOND, type Codec } from "../pipeline/codecs.ts";
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

/** A download's file format: the command line's default WAV, or its compressed formats. */
export type DownloadFormat = "wav" | Codec;
export const DOWNLOAD_FORMATS: readonly DownloadFormat[] = ["wav", "ogg", "mp3"];
const MIME: Record<DownloadFormat, string> = { wav: "audio/wav", ogg: "audio/ogg", mp3: "audio/mpeg" };
/** Milliseconds of work between two breaths for the page (a phone feels a longer stall). */
const BREATH_MS = 40;

/** About how many bytes the file for `seconds` of audio will be (WAV exactly). */
export function downloadBytes(seconds: number, format: DownloadFormat = "wav"): number {
  if (format !== "wav") return Math.round((seconds * CODEC_BITS_PER_SECOND[format]) / 8);
  const frames = Math.round(seconds * DOWNLOAD_FORMAT.sampleRate);
  return wavFileBytes(DOWNLOAD_FORMAT.format, frames * DOWNLOAD_FORMAT.channels * 2);
}

/**
 * Renders a plan of finite length (at most MAX_DOWNLOAD_SECONDS) to a
 * normalised, limited file in memory: WAV as `reverie render` writes it, or
 * Ogg Vorbis or MP3 with its encoders. The page stays responsive meanwhile:
 * the work gives way to the event loop every few tens of milliseconds.
 */
export async function renderDownload(plan: Plan, format: DownloadFormat, options: DownloadOptions = {}): Promise<Blob> {
  if (!Number.isFinite(plan.total) || plan.total > MAX_DOWNLOAD_SECONDS) {
    throw new RangeError(`a download is at most ${formatDuration(MAX_DOWNLOAD_SECONDS)}`);
  }
  const { signal } = options;
  const { sampleRate } = DOWNLOAD_FORMAT;
  const totalFrames = Math.round(plan.total * sampleRate);
  const encoder = await fileEncoder(plan, format);
  const blocks = masteredBlocks(plan, {
    sampleRate,
    windows: windows(totalFrames, sampleRate),
    render: (spans) => breathing(renderInTurn(plan, sampleRate, spans, signal)),
    store: () => (plan.total <= KEEP_SECONDS ? new MemoryStore() : undefined),
    storedCost: MASTERING_COST,
    signal,
    onProgress: options.onProgress,
  });
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let worked = performance.now();
  for await (const block of blocks) {
    parts.push(encoder.encode(block));
    // Blocks kept in memory arrive without a pause of their own: breathe between them.
    if (performance.now() - worked > BREATH_MS) {
      await breathe();
      worked = performance.now();
    }
  }
  const { before, after } = encoder.finish(totalFrames);
  return new Blob([...before, ...parts, ...after], { type: MIME[format] });
}

/** A format's encoder of mastered blocks (each part its own copy). */
interface FileEncoder {
  encode(block: Float32Array[]): Uint8Array<ArrayBuffer>;
  /** What goes before the blocks' bytes (the WAV header) and after them (the compressed stream's end). */
  finish(frames: number): { before: Uint8Array<ArrayBuffer>[]; after: Uint8Array<ArrayBuffer>[] };
}

async function fileEncoder(plan: Plan, format: DownloadFormat): Promise<FileEncoder> {
  if (format === "wav") {
    const wav = new WavEncoder(DOWNLOAD_FORMAT, mix(plan.random.key, hashString("dither")));
    return {
      // encode() reuses its buffer: keep a copy.
      encode: (block) => wav.encode(block).slice(),
      finish: (frames) => ({
        before: [buildWavHeader(DOWNLOAD_FORMAT, { dataBytes: frames * wav.blockAlign, frames }).slice()],
        after: [],
      }),
    };
  }
  // The encoders' WebAssembly is fetched only now, with the module that carries it.
  const { openBlockEncoder } = await import("./encode.ts");
  const encoder = await openBlockEncoder(format, DOWNLOAD_FORMAT.sampleRate, mix(plan.random.key, hashString("ogg")));
  return {
    encode: (block) => encoder.encode(block),
    finish: () => ({ before: [], after: [encoder.finish()] }),
  };
}

/** The windows of `source`, with a breath after each is handed on: its metering and the next window's setup are two tasks, not one. */
async function* breathing(source: AsyncIterable<Float32Array[]>): AsyncGenerator<Float32Array[]> {
  for await (const audio of source) {
    yield audio;
    await breathe();
  }
}

/** Lets the page handle input and paint before the work goes on. */
function breathe(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
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
export function commandLine(presetArg: string, seed: string, story: number, format: DownloadFormat = "wav"): string {
  const length = formatDuration(story);
  const codec = format === "wav" ? "" : ` --format ${format}`;
  return `npx reverie render --preset ${presetArg} --seed ${seed} --story ${length} --length ${length}${codec}`;
}
