/**
 * Renders a plan to a file (WAV, or Ogg Vorbis / MP3): windows rendered in
 * parallel by a pool of worker processes (pool.ts), then, in window order
 * on this thread, each mastered (the loudness gain, then the true-peak
 * limiter), encoded and written as soon as it is its turn, into a temporary
 * file beside the target that is renamed only when the whole render is
 * complete. The loudness probe runs first, on the same workers, so the gain
 * is known before the first sample is written: up to 30 minutes, it renders
 * every window and spools it to disk as it meters it, and the render is
 * mastered from the spool; beyond, it renders spans spread over the render,
 * then the windows are rendered and mastered as they come.
 *
 *   windows → workers (parallel) → in order → master → WAV / Ogg / MP3 writer → file
 */
import { collectYoung } from "./gc.ts";
import type { Plan } from "../score/timeline.ts";
import { hashString, mix } from "../core/random.ts";
import { type Decibels, gainToDb } from "../core/units.ts";
import { Spool } from "./files.ts";
import type { LimiterStats } from "../dsp/limiter.ts";
import { masteredBlocks } from "../pipeline/mastering.ts";
import type { LoudnessProbe } from "../pipeline/probe.ts";
import { type Codec, openEncodedWriter } from "./encoders.ts";
import { windows } from "../core/frames.ts";
import { OutputLoudness } from "./output-loudness.ts";
import { defaultJobs, RenderPool } from "./pool.ts";
import { STANDARD_OUTPUT } from "./stdout-sink.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openWavWriter, type SampleFormat } from "./wav-file.ts";

/** What a render writes: a WAV sample format, or a compressed codec. */
export type OutputFormat = SampleFormat | Codec;

export interface RenderOptions {
  /** The file to write, or `-` for standard output. */
  out: string;
  sampleRate: number;
  format: OutputFormat;
  /** Worker processes rendering windows; default the machine's available parallelism. */
  jobs?: number;
  /** Target integrated loudness, in LUFS; default -23 (EBU R128). */
  loudness?: number;
  /** True-peak ceiling, in dBTP; default -1. */
  ceiling?: number;
  /**
   * Called as the work goes on with the seconds of audio rendered so far and
   * in all, the loudness probe's included (a render up to 30 minutes long is
   * rendered once, by the probe; a longer one also renders the probe's spans).
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
  /** Worker processes that rendered at once (the jobs asked for, capped by the windows and the cores). */
  jobs: number;
  /** How the render was normalised. */
  loudness: {
    /** The probe's figures: the loudness before normalisation, in LUFS, and how it was found. */
    probe: LoudnessProbe;
    /** Normalisation gain, in dB. */
    gainDb: Decibels;
    limiter: LimiterStats;
    /** The integrated loudness of what was written, in LUFS: short of the target where the limiter held it back. */
    reached: number;
  };
}

export async function renderToFile(plan: Plan, options: RenderOptions): Promise<RenderResult> {
  const { sampleRate } = options;
  const totalFrames = Math.round(plan.total * sampleRate);
  const { format } = options;
  const writer =
    format === "ogg" || format === "mp3"
      ? await openEncodedWriter(options.out, { codec: format, sampleRate, channels: 2, serial: mix(plan.random.key, hashString("ogg")) })
      : await openWavWriter(options.out, {
          sampleRate,
          channels: 2,
          format,
          ditherKey: mix(plan.random.key, hashString("dither")),
          rf64Threshold: options.rf64Threshold,
          frames: totalFrames,
        });
  const spans = windows(totalFrames, sampleRate);
  // A worker more than there are windows would only start and stop (see pool.ts for the cap by cores).
  const jobs = Math.min(options.jobs ?? defaultJobs(), spans.length);
  let pool: RenderPool | undefined;
  let spool: Spool | undefined;
  try {
    pool = await RenderPool.start(plan, { sampleRate, jobs, signal: options.signal });
    const workers = pool;
    // A render the probe measures whole is rendered once, spooled to disk as it is measured, then mastered from the spool.
    const blocks = masteredBlocks(plan, {
      sampleRate,
      windows: spans,
      // The probe, the spool and the master copy what they keep of a window: its arrays can be lent.
      render: (spans) => collecting(workers.render(spans, { reuse: true })),
      store: async () => {
        // Standard output has no folder of its own: its spool goes to the system's temporary one.
        const opened = await Spool.beside(options.out === STANDARD_OUTPUT ? join(tmpdir(), "reverie-stdout") : options.out);
        spool = opened;
        return { put: (audio: Float32Array[]) => opened.put(audio), windows: () => collecting(opened.windows({ reuse: true })) };
      },
      loudness: options.loudness,
      ceiling: options.ceiling,
      signal: options.signal,
      onProgress: options.onProgress,
    });
    const output = new OutputLoudness(sampleRate, 2);
    let step = await blocks.next();
    for (; !step.done; step = await blocks.next()) {
      output.push(step.value);
      await writer.write(step.value);
    }
    await pool.close();
    options.signal?.throwIfAborted();
    const written = await writer.finish();
    const { probe, gain, limiter } = step.value;
    return { ...written, jobs: workers.jobs, loudness: { probe, gainDb: gainToDb(gain), limiter, reached: output.integrated() } };
  } catch (error) {
    await pool?.close();
    await writer.abort();
    throw error;
  } finally {
    await spool?.dispose();
  }
}

/**
 * Yields what `source` yields, collecting the young generation each time
 * the caller comes back for more. V8 weighs memory held outside its heap
 * lightly and would otherwise let a window's worth of the pipe's buffers
 * (its audio arrives in 64 KB chunks) pile up many times over before it
 * collects them. The windows, the spool's and the master's arrays are lent
 * and filled again, so nothing large outlives a window: a scavenge frees
 * the rest, where a full collection cost 20–30 ms a window (a third of this
 * process's CPU time over 10 minutes of the dream).
 */
async function* collecting<T>(source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  for await (const item of source) {
    yield item;
    await collectYoung();
  }
}
