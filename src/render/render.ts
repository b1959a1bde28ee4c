/**
 * Renders a plan to a file (WAV, or Ogg Vorbis / MP3): windows rendered in
 * parallel by a pool of worker threads (parallel.ts), then, in window order
 * on this thread, each mastered (the loudness gain, then the true-peak
 * limiter), encoded and written as soon as it is its turn, into a temporary
 * file beside the target that is renamed only when the whole render is
 * complete. The loudness probe runs first, on the same workers, so the gain
 * is known before the first sample is written.
 *
 *   windows → workers (parallel) → in order → master → WAV / Ogg / MP3 writer → file
 */
import type { Plan } from "../score/timeline.ts";
import { hashString, mix } from "../score/random.ts";
import { DEFAULT_TARGET, gainFor } from "./loudness-plan.ts";
import { createMaster, DEFAULT_CEILING, type LimiterStats } from "./master.ts";
import { type LoudnessProbe, probeLoudness, probeSeconds } from "./probe.ts";
import { type Codec, openEncodedWriter } from "./encoders.ts";
import { WINDOW_SECONDS } from "./windows.ts";
import { RenderPool } from "./parallel.ts";
import { openWavWriter, type SampleFormat } from "./wav-file.ts";

/** What a render writes: a WAV sample format, or a compressed codec. */
export type OutputFormat = SampleFormat | Codec;

export { WINDOW_SECONDS } from "./windows.ts";

export interface RenderOptions {
  out: string;
  sampleRate: number;
  format: OutputFormat;
  /** Worker threads rendering windows; default the machine's available parallelism. */
  jobs?: number;
  /** Target integrated loudness, in LUFS; default -23 (EBU R128). */
  loudness?: number;
  /** True-peak ceiling, in dBTP; default -1. */
  ceiling?: number;
  /**
   * Called as the work goes on with the seconds of audio rendered so far and
   * in all, the loudness probe's included (a render up to 5 minutes long is
   * rendered once; up to 30 minutes, twice, to be measured whole; a longer
   * one also renders the probe's spans).
   */
  onProgress?: (done: number, total: number) => void;
  /**
   * WAV: largest RIFF size in bytes before the file is written as RF64 (EBU
   * Tech 3306); default the format's 4 GiB limit. Only tests should lower it.
   */
  rf64Threshold?: number;
  /** Aborts the render (the temporary file is removed). */
  signal?: AbortSignal;
}

export interface RenderResult {
  frames: number;
  bytes: number;
  /** How the render was normalised. */
  loudness: {
    /** The probe's figures: the loudness before normalisation, in LUFS, and how it was found. */
    probe: Omit<LoudnessProbe, "kept">;
    /** Normalisation gain, in dB. */
    gain: number;
    limiter: LimiterStats;
  };
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
  const { format } = options;
  const writer =
    format === "ogg" || format === "mp3"
      ? await openEncodedWriter(options.out, { codec: format, sampleRate, channels: 2 })
      : await openWavWriter(options.out, { sampleRate, channels: 2, format, ditherKey: mix(plan.random.key, hashString("dither")), rf64Threshold: options.rf64Threshold });
  let pool: RenderPool | undefined;
  try {
    pool = await RenderPool.start(plan, { sampleRate, jobs: options.jobs, signal: options.signal });
    const workers = pool;
    const list = windows(totalFrames, sampleRate);
    const probing = probeSeconds(totalFrames, sampleRate);
    const work = probing.seconds + (probing.keeps ? 0 : plan.total);
    const { kept, ...probe } = await probeLoudness(plan, {
      sampleRate,
      windows: list,
      signal: options.signal,
      onProgress: (seconds) => options.onProgress?.(seconds, work),
      render: (spans) => workers.render(spans),
    });
    const gain = gainFor(probe.integrated, options.loudness ?? DEFAULT_TARGET);
    const master = createMaster({ sampleRate, channels: 2, gain, ceiling: options.ceiling ?? DEFAULT_CEILING });
    // A short render was rendered whole by the probe and kept; a longer one is rendered now, window after window.
    const rendered = probing.keeps ? undefined : workers.render(list)[Symbol.asyncIterator]();
    for (const window of list) {
      options.signal?.throwIfAborted();
      const audio = kept.get(window.startFrame) ?? (await rendered?.next())?.value;
      if (!audio) throw new Error(`window at frame ${window.startFrame} was not rendered`);
      kept.delete(window.startFrame);
      await writer.write(master.process(audio));
      if (!probing.keeps) options.onProgress?.(probing.seconds + (window.startFrame + window.frames) / sampleRate, work);
    }
    await pool.close();
    await writer.write(master.finish());
    options.signal?.throwIfAborted();
    const written = await writer.finish();
    return { ...written, loudness: { probe, gain: 20 * Math.log10(gain), limiter: master.stats() } };
  } catch (error) {
    await pool?.close();
    await writer.abort();
    throw error;
  }
}
