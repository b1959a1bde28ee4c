/**
 * A render's audio from windows to mastered blocks, the same for the command
 * line (node/render-file.ts) and the page's downloads (web/download.ts):
 *
 *   windows → loudness probe (keeping what it measures in `store`, if given)
 *           → gain to the target → master (gain, true-peak limiter) → blocks
 *
 * A render the probe measures whole is mastered from the store, if there is
 * one, and rendered again otherwise. No file system and no Tone.js here: the
 * callers bring the renderer and the store (a spool on disk, or memory).
 */
import { DEFAULT_TARGET, gainFor } from "../score/loudness-model.ts";
import { createMaster, DEFAULT_CEILING, type LimiterStats } from "../dsp/limiter.ts";
import { type LoudnessProbe, probeLoudness, probeSeconds, type Span } from "./probe.ts";
import type { Plan } from "../score/timeline.ts";

/**
 * Frames mastered and handed on at a time. The master gives the same samples
 * however its input is cut (tests/master.test.ts), and a second of it is
 * small beside a whole window's mastered copy (7.7 MB for 20 s of 48 kHz
 * stereo floats), which would be held while the window is encoded and written.
 */
const MASTER_FRAMES = 48000;

/** Where a measured render's windows wait for the master, in order. */
export interface WindowStore {
  put(audio: Float32Array[]): Promise<void> | void;
  windows(): AsyncIterable<Float32Array[]>;
}

export interface MasteringOptions {
  sampleRate: number;
  windows: Span[];
  /** Renders spans and yields them in order. */
  render: (spans: Span[]) => AsyncIterable<Float32Array[]>;
  /** Opens the store for a render the probe measures whole; without it, such a render is rendered twice. */
  store?: () => Promise<WindowStore | undefined> | WindowStore | undefined;
  /** Target integrated loudness, in LUFS; default -23. */
  loudness?: number;
  /** True-peak ceiling, in dBTP; default -1. */
  ceiling?: number;
  /** Work a stored window costs to master, against rendering it (for progress); default 0. */
  storedCost?: number;
  signal?: AbortSignal;
  /** Called as the work goes on with the seconds of work done so far and in all. */
  onProgress?: (done: number, total: number) => void;
}

export interface Mastered {
  /** The probe's figures: the loudness before normalisation and how it was found. */
  probe: LoudnessProbe;
  /** Normalisation gain, as a factor. */
  gain: number;
  limiter: LimiterStats;
}

/**
 * Yields the render's mastered blocks in order (exactly its frames,
 * {@link MASTER_FRAMES} at most at a time); returns how it was normalised.
 * A block is only lent: the next one is written over it, so the caller
 * copies what it keeps before it comes back for more.
 */
export async function* masteredBlocks(plan: Plan, options: MasteringOptions): AsyncGenerator<Float32Array[], Mastered, undefined> {
  const { sampleRate, signal } = options;
  const list = options.windows;
  const totalFrames = list.reduce((n, w) => n + w.frames, 0);
  const probing = probeSeconds(totalFrames, sampleRate);
  const store = probing.whole ? await options.store?.() : undefined;
  const cost = store ? (options.storedCost ?? 0) : 1;
  const work = probing.seconds + cost * (totalFrames / sampleRate);
  const probe = await probeLoudness(plan, {
    sampleRate,
    windows: list,
    signal,
    onProgress: (seconds) => options.onProgress?.(seconds, work),
    render: options.render,
    keep: store && ((audio) => store.put(audio)),
  });
  const gain = gainFor(probe.integrated, options.loudness ?? DEFAULT_TARGET);
  const master = createMaster({ sampleRate, channels: 2, gain, ceiling: options.ceiling ?? DEFAULT_CEILING, reuse: true });
  let mastered = 0;
  for await (const audio of store ? store.windows() : options.render(list)) {
    signal?.throwIfAborted();
    const frames = audio[0].length;
    for (let from = 0; from < frames; from += MASTER_FRAMES) {
      const to = Math.min(frames, from + MASTER_FRAMES);
      yield master.process(audio.map((channel) => channel.subarray(from, to)));
    }
    mastered += frames;
    options.onProgress?.(probing.seconds + cost * (mastered / sampleRate), work);
  }
  if (mastered !== totalFrames) throw new Error(`rendered ${mastered} frames of ${totalFrames}`);
  yield master.finish();
  return { probe, gain, limiter: master.stats() };
}
