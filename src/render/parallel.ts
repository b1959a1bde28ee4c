/**
 * Windows rendered in parallel: a pool of worker threads (worker.ts), each
 * rendering one window at a time with `renderSpan`, and the results handed
 * on strictly in window order. The windows themselves are given by the
 * caller (render.ts fixes them by the sample rate alone), so the output is
 * the same for any number of workers.
 *
 *   windows → [worker 1 … worker N] → reorder → in order → caller (master, encoder, file)
 *
 * A worker runs TypeScript: worker.ts and all it imports (Tone included) are
 * bundled by esbuild into one script, in memory, when the first pool starts,
 * which a worker loads in a third of the memory tsx takes (about 20 MB
 * against 60); without esbuild, worker-entry.js loads them through tsx.
 *
 * The queue is bounded: a window is only sent out while fewer than `jobs`
 * windows are rendering or waiting beyond the one the caller is busy with,
 * so memory stays flat however long the render and however slow the disk.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";
import type { Plan } from "../score/timeline.ts";

/** A stretch of story time to render, in frames. */
export interface Span {
  startFrame: number;
  frames: number;
}

export interface ParallelOptions {
  /** Frames per second, in Hz. */
  sampleRate: number;
  /** Worker threads; default the machine's available parallelism. */
  jobs?: number;
  /** Seconds of pre-roll per window; default offline.ts's PREROLL. */
  preroll?: number;
  /** Overall gain, as a factor (default 1). */
  gain?: number;
  /** Stops the workers (a window being rendered is cut short); the render then throws the signal's reason. */
  signal?: AbortSignal;
}

/** A plan as it crosses to a worker: its Random travels as a plain `{ key }`. */
type PlanMessage = Omit<Plan, "random"> & { random: { key: number } };

/** Messages from the pool to a worker. */
export type ToWorker =
  | { type: "plan"; plan: PlanMessage; settings: { sampleRate: number; preroll?: number; gain?: number } }
  | { type: "render"; index: number; startFrame: number; frames: number }
  | { type: "stop" };

/** Messages from a worker to the pool. */
type FromWorker = { type: "window"; index: number; audio: Float32Array[] } | { type: "error"; index: number; message: string };

/** The number of worker threads used when none is asked for. */
export function defaultJobs(): number {
  return availableParallelism();
}

/** The most worker threads a render may ask for. */
export const MAX_JOBS = 64;

/** Milliseconds a worker has to stop by itself before it is terminated. */
const STOP_GRACE_MS = 10_000;

/** V8's young generation in a worker, in MB (measured: 4 saves about 10 MB a worker against the default). */
const YOUNG_GENERATION_MB = 4;

/**
 * A pool of render workers for one plan. `render(spans)` yields the spans
 * in order as they are done; `close()` (or the signal) stops the workers.
 */
export class RenderPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private onResult: ((index: number, audio: Float32Array[], worker: Worker) => void) | undefined;
  private closed = false;

  private constructor(
    readonly jobs: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Starts `jobs` workers (default the available parallelism) with the plan. */
  static async start(plan: Plan, options: ParallelOptions): Promise<RenderPool> {
    options.signal?.throwIfAborted();
    const jobs = Math.max(1, Math.min(options.jobs ?? defaultJobs(), MAX_JOBS));
    const pool = new RenderPool(jobs, options.signal);
    const script = await workerScript();
    const settings = { sampleRate: options.sampleRate, preroll: options.preroll, gain: options.gain };
    for (let i = 0; i < jobs; i++) {
      // A small young generation: the audio lives outside the heap, and every MB counts four times over.
      const worker = startWorker(script, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
      worker.on("message", (message: FromWorker) => {
        if (message.type === "error") pool.fail(new Error(`rendering failed: ${message.message}`));
        else pool.onResult?.(message.index, message.audio, worker);
      });
      worker.on("error", (error: unknown) => pool.fail(error instanceof Error ? error : new Error(String(error))));
      worker.on("exit", (code) => {
        if (!pool.closed) pool.fail(new Error(`a render worker stopped (exit code ${code})`));
      });
      worker.postMessage({ type: "plan", plan, settings } satisfies ToWorker);
      pool.workers.push(worker);
      pool.idle.push(worker);
    }
    options.signal?.addEventListener("abort", pool.abort, { once: true });
    return pool;
  }

  /** Renders `spans` and yields each as planar stereo, in order. One call at a time. */
  async *render(spans: readonly Span[]): AsyncGenerator<Float32Array[], void, undefined> {
    const done = new Map<number, Float32Array[]>();
    let sent = 0;
    let next = 0;
    const dispatch = () => {
      // Bounded: no more than `jobs` windows rendering or waiting beyond the one being used.
      while (this.idle.length > 0 && sent < spans.length && sent < next + this.jobs && !this.failure) {
        const span = spans[sent];
        this.idle.pop()!.postMessage({ type: "render", index: sent++, startFrame: span.startFrame, frames: span.frames } satisfies ToWorker);
      }
    };
    this.onResult = (index, audio, worker) => {
      done.set(index, audio);
      this.idle.push(worker);
      dispatch();
      this.notify();
    };
    try {
      dispatch();
      while (next < spans.length) {
        while (!done.has(next) && !this.failure) await new Promise<void>((resolve) => (this.wake = resolve));
        if (this.failure) throw this.failure;
        const audio = done.get(next)!;
        done.delete(next);
        next++;
        dispatch();
        yield audio;
      }
    } finally {
      this.onResult = undefined;
      // Windows still rendering when the caller stops: their workers are of no more use.
      if (next < spans.length) await this.close();
    }
  }

  /**
   * Stops the workers: a window being rendered is cut short at its next
   * pause (a fraction of a second), then each thread ends. (Terminating a
   * thread while the engine renders for it would abort the process.)
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failure ??= new Error("the render pool was closed");
    this.signal?.removeEventListener("abort", this.abort);
    this.notify();
    await Promise.all(
      this.workers.map(async (worker) => {
        const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
        worker.postMessage({ type: "stop" } satisfies ToWorker);
        // A worker that does not answer (stuck in a window it cannot cut short) is ended anyway.
        const late = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
        await exited;
        clearTimeout(late);
      }),
    );
  }

  private readonly abort = () => {
    const reason: unknown = this.signal?.reason;
    this.fail(reason instanceof Error ? reason : new Error("aborted"));
    void this.close();
  };

  private fail(error: Error): void {
    this.failure ??= error;
    this.notify();
  }

  private notify(): void {
    this.wake?.();
    this.wake = undefined;
  }
}

/**
 * Renders `spans` of `plan` on a pool of its own and yields each in order;
 * the workers stop when the loop ends, however it ends.
 */
export async function* renderParallel(plan: Plan, spans: readonly Span[], options: ParallelOptions): AsyncGenerator<Float32Array[], void, undefined> {
  const pool = await RenderPool.start(plan, { ...options, jobs: Math.min(options.jobs ?? defaultJobs(), Math.max(1, spans.length)) });
  try {
    yield* pool.render(spans);
  } finally {
    await pool.close();
  }
}

/** What a worker runs: the bundled source, or the entry that loads the TypeScript through tsx. */
type WorkerScript = { code: string } | { url: URL };

let bundle: Promise<WorkerScript> | undefined;

/** The script of a worker: the bundle, made once per process, or the tsx entry. */
function workerScript(): Promise<WorkerScript> {
  bundle ??= bundleWorker().catch(() => ({ url: new URL("./worker-entry.js", import.meta.url) }));
  return bundle;
}

function startWorker(script: WorkerScript, options: WorkerOptions): Worker {
  return "code" in script ? new Worker(script.code, { ...options, eval: true }) : new Worker(script.url, options);
}

/** worker.ts and all it imports in one CommonJS script, kept in memory (no file to clean up). */
async function bundleWorker(): Promise<WorkerScript> {
  const { build, stop } = await import("esbuild");
  // The native engine stays outside the bundle, required from where it is installed.
  const native = createRequire(import.meta.url).resolve("node-web-audio-api");
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./worker.ts", import.meta.url))],
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    write: false,
    logLevel: "silent",
    // Without comments the text is ASCII, which V8 keeps at one byte a character: half the memory, in every worker.
    minifyWhitespace: true,
    plugins: [
      {
        name: "native-engine",
        setup(context) {
          context.onResolve({ filter: /^node-web-audio-api$/ }, () => ({ path: native, external: true }));
        },
      },
    ],
  });
  // esbuild keeps a service process for the next build: there is none, and it holds memory.
  await stop();
  return { code: result.outputFiles[0].text };
}
