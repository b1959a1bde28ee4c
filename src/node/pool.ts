/**
 * Windows rendered in parallel: a pool of render workers (worker.ts), each a
 * child process rendering one window at a time (worker-protocol.ts), and the
 * results handed on strictly in window order. The windows themselves are
 * given by the caller (core/frames.ts `windows` fixes them by the sample rate alone), so the
 * output is the same for any number of workers.
 *
 *   windows → [worker 1 … worker N] → reorder → in order → caller (master, encoder, file)
 *
 * Processes, not threads: the native engine's heap grows slowly, window after
 * window, and only the end of a process gives it back. Measured over an 8 h
 * render with two worker threads, RSS climbed steadily from 250 to 430 MB (a
 * thread replaced every 40 windows did not help: the memory outlives the
 * thread); with worker processes each climbed from 130 to 190 MB in 11
 * minutes. So each worker process renders RECYCLE_WINDOWS windows, then a
 * new one takes its place. A process can also be stopped at once, whatever
 * the engine is doing, where a thread must be let finish its pause.
 *
 * A worker runs TypeScript: worker.ts and all it imports (Tone included) are
 * bundled into one script (bundle.js), in memory, when the first pool
 * starts, and given to each worker on its standard input.
 *
 * The queue is bounded: a window is only sent out while fewer than `jobs`
 * windows are rendering or waiting beyond the one the caller is busy with,
 * so memory stays flat however long the render and however slow the disk.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { Plan } from "../score/timeline.ts";
import { bundle } from "./bundle.js";
import { AUDIO_FD, type FromWorker, type ToWorker } from "./worker-protocol.ts";

/** A stretch of story time to render, in frames. */
export interface Span {
  startFrame: number;
  frames: number;
}

export interface ParallelOptions {
  /** Frames per second, in Hz. */
  sampleRate: number;
  /** Workers (processes); default the machine's available parallelism. */
  jobs?: number;
  /** Seconds of pre-roll per window; default core/frames.ts PREROLL. */
  preroll?: number;
  /** Overall gain, as a factor (default 1). */
  gain?: number;
  /** Windows a worker renders before a new one takes its place; default RECYCLE_WINDOWS. */
  windowsPerWorker?: number;
  /** Stops the workers (a window being rendered is cut short); the render then throws the signal's reason. */
  signal?: AbortSignal;
}

/** The number of workers used when none is asked for. */
export function defaultJobs(): number {
  return availableParallelism();
}

/** The most workers a render may ask for. */
export const MAX_JOBS = 64;

/**
 * Workers started per core at most, whatever is asked: a worker renders
 * flat out on one core, so more only share the cores and each costs its
 * memory (about 120 MB; `--jobs 64` took 1.18 GB for a 3 s render, and six
 * times as long).
 */
export const JOBS_PER_CORE = 2;

/** The most workers a pool starts on this machine. */
export function maxJobs(): number {
  return Math.min(MAX_JOBS, JOBS_PER_CORE * availableParallelism());
}

/** Milliseconds a worker has to stop by itself, once asked, before it is killed. */
const STOP_GRACE_MS = 2_000;

/**
 * V8's semi-space in a worker, in MB: its young generation is a few of
 * these. The audio lives outside the heap, and every MB counts once per worker.
 */
const SEMI_SPACE_MB = 1;

/**
 * Windows a worker renders before it ends and a new one takes its place (15
 * minutes of audio at 48 kHz). The engine's native heap grows slowly window
 * after window whatever frees it (measured in worker processes of an 8 h
 * render: 130 → 190 MB each over 11 minutes); a process that ends gives it
 * all back. Starting one costs about 0.3 s of CPU (measured: 0.38 s with a
 * first tiny window and its 3 s pre-roll), against about 55 s for its windows.
 */
const RECYCLE_WINDOWS = 45;

/**
 * glibc's allocator in a worker, set as it starts (a value the user set is
 * kept). A window's buffers (megabytes each) are mapped and given back to
 * the system when freed, where by default, once one has been freed, glibc
 * serves the next from its heaps and keeps them; and one heap serves all
 * threads (the engine's render thread frees what the JavaScript thread
 * allocated, and the other way round). Measured over 10 minutes with 2 jobs,
 * peak RSS of a worker: 138–143 MB by default, 118–135 MB so.
 */
const WORKER_ALLOCATOR: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: "131072", MALLOC_ARENA_MAX: "1" };

/** Characters of a worker's standard error kept to explain its end (all of it is shown with REVERIE_DEBUG set). */
const STDERR_TAIL = 2000;

/**
 * A pool of render workers for one plan. `render(spans)` yields the spans
 * in order as they are done; `close()` (or the signal) stops the workers.
 */
export class RenderPool {
  private readonly workers = new Set<ChildProcess>();
  private readonly idle: ChildProcess[] = [];
  /** Workers asked to end after their share of windows (see RECYCLE_WINDOWS), until they have. */
  private readonly retired = new Set<ChildProcess>();
  /** The window each busy worker is rendering, as its audio arrives. */
  private readonly receiving = new Map<ChildProcess, Incoming>();
  /** Windows each worker has rendered. */
  private readonly rendered = new Map<ChildProcess, number>();
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private onResult: ((index: number, audio: Float32Array[], worker: ChildProcess) => void) | undefined;
  private dispatch: (() => void) | undefined;
  private closed = false;
  private spawned = 0;

  private constructor(
    readonly jobs: number,
    private readonly plan: Plan,
    private readonly settings: { sampleRate: number; preroll?: number; gain?: number },
    private readonly script: string,
    private readonly windowsPerWorker: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Workers started so far, replacements included. */
  get started(): number {
    return this.spawned;
  }

  /** Starts `jobs` workers (default the available parallelism) with the plan. */
  static async start(plan: Plan, options: ParallelOptions): Promise<RenderPool> {
    options.signal?.throwIfAborted();
    const jobs = Math.max(1, Math.min(options.jobs ?? defaultJobs(), maxJobs()));
    const settings = { sampleRate: options.sampleRate, preroll: options.preroll, gain: options.gain };
    const pool = new RenderPool(jobs, plan, settings, await workerScript(), options.windowsPerWorker ?? RECYCLE_WINDOWS, options.signal);
    for (let i = 0; i < jobs; i++) pool.spawn();
    options.signal?.addEventListener("abort", pool.abort, { once: true });
    return pool;
  }

  /** Starts a worker; it joins the idle ones once it has loaded and has the plan. */
  private spawn(): void {
    const worker = startWorker(this.script);
    // The workers render in step, so their garbage would peak together: each collects its whole
    // heap at another point of the cycle (with 2 jobs, one after windows 4, 8, …, the other after 2, 6, …).
    const stagger = (this.spawned % this.jobs) / this.jobs;
    this.spawned++;
    let said = "";
    worker.stderr!.setEncoding("utf8").on("data", (text: string) => {
      said = (said + text).slice(-STDERR_TAIL);
      if (process.env.REVERIE_DEBUG) process.stderr.write(text);
    });
    worker.on("message", (message: FromWorker) => {
      if (message.type === "ready") {
        // A worker listens once it has loaded: the plan, then windows, only from then on.
        worker.send({ type: "plan", plan: this.plan, settings: this.settings, stagger } satisfies ToWorker);
        this.rendered.set(worker, 0);
        this.idle.push(worker);
        this.dispatch?.();
      } else this.fail(new Error(`rendering failed: ${message.message}`));
    });
    worker.stdio[AUDIO_FD]!.on("data", (bytes: Buffer) => {
      const window = this.receiving.get(worker);
      if (!window) return this.fail(new Error("a render worker sent audio it was not asked for"));
      try {
        if (!window.receive(bytes)) return;
      } catch (error) {
        return this.fail(error as Error);
      }
      this.receiving.delete(worker);
      this.onResult?.(window.index, window.audio, worker);
    });
    worker.on("error", (error: Error) => this.fail(error));
    worker.on("exit", (code, signal) => {
      if (this.retired.delete(worker)) this.workers.delete(worker);
      if (this.closed || !this.workers.has(worker)) return;
      const why = said.trim().split("\n").at(-1);
      this.fail(new Error(`a render worker stopped (${code === null ? `signal ${signal}` : `exit code ${code}`})${why ? `: ${why}` : ""}`));
    });
    this.workers.add(worker);
  }

  /**
   * A worker is done with a window: it takes the next, or, after its share
   * (RECYCLE_WINDOWS), it ends and a new one takes its place.
   */
  private release(worker: ChildProcess): void {
    const count = (this.rendered.get(worker) ?? 0) + 1;
    if (count < this.windowsPerWorker || this.closed) {
      this.rendered.set(worker, count);
      this.idle.push(worker);
      return;
    }
    this.retired.add(worker);
    this.rendered.delete(worker);
    worker.send({ type: "stop" } satisfies ToWorker);
    this.spawn();
  }

  /**
   * Renders `spans` and yields each as planar stereo, in order. One call at a time.
   *
   * With `reuse`, a window's arrays are only lent: they are filled again with
   * a later window once the caller comes back for more, so the caller must
   * have finished with them (copied what it keeps) by then. The command line
   * renders so: allocating a window's 7.7 MB afresh each time, its process
   * grew by about 20 MB over an 8 h render as glibc's heap fragmented.
   */
  async *render(spans: readonly Span[], { reuse = false } = {}): AsyncGenerator<Float32Array[], void, undefined> {
    const done = new Map<number, Float32Array[]>();
    /** Arrays of windows the caller is done with, for the next windows of the same length. */
    const spare: Float32Array[][] = [];
    let sent = 0;
    let next = 0;
    this.dispatch = () => {
      // Bounded: no more than `jobs` windows rendering or waiting beyond the one being used.
      while (this.idle.length > 0 && sent < spans.length && sent < next + this.jobs && !this.failure) {
        const span = spans[sent];
        const worker = this.idle.pop()!;
        this.receiving.set(worker, new Incoming(sent, span.frames, spare));
        worker.send({ type: "render", index: sent++, startFrame: span.startFrame, frames: span.frames } satisfies ToWorker);
      }
      this.flow(next);
    };
    this.onResult = (index, audio, worker) => {
      done.set(index, audio);
      this.release(worker);
      this.dispatch?.();
      this.notify();
    };
    try {
      this.dispatch();
      while (next < spans.length) {
        while (!done.has(next) && !this.failure) await new Promise<void>((resolve) => (this.wake = resolve));
        if (this.failure) throw this.failure;
        const audio = done.get(next)!;
        done.delete(next);
        next++;
        this.dispatch();
        yield audio;
        if (reuse) spare.push(audio);
      }
    } finally {
      this.onResult = undefined;
      this.dispatch = undefined;
      // Windows still rendering when the caller stops: their workers are of no more use.
      if (next < spans.length) await this.close(true);
    }
  }

  /**
   * Reads the audio of window `next` (the one the caller takes next) and of
   * those before it; a worker done with a later window waits, its audio in
   * its own memory, until its turn, when it would only wait here. The pool
   * then holds two windows at most (the caller's and the next), not jobs + 1.
   */
  private flow(next: number): void {
    for (const [worker, window] of this.receiving) {
      const pipe = worker.stdio[AUDIO_FD] as Readable;
      if (window.index <= next) pipe.resume();
      else pipe.pause();
    }
  }

  /**
   * Stops the workers and waits for them to end. An idle worker exits when
   * asked; `now` (or a worker still busy after a grace period) kills it,
   * which is safe: a worker holds nothing but the window it renders.
   */
  async close(now = false): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failure ??= new Error("the render pool was closed");
    this.signal?.removeEventListener("abort", this.abort);
    this.notify();
    await Promise.all(
      [...this.workers].map(async (worker) => {
        if (worker.exitCode !== null || worker.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
        if (now || !worker.connected) worker.kill("SIGKILL");
        else worker.send({ type: "stop" } satisfies ToWorker);
        const late = setTimeout(() => worker.kill("SIGKILL"), STOP_GRACE_MS);
        await exited;
        clearTimeout(late);
      }),
    );
  }

  private readonly abort = () => {
    const reason: unknown = this.signal?.reason;
    this.fail(reason instanceof Error ? reason : new Error("aborted"));
    void this.close(true);
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
export async function* renderParallel(
  plan: Plan,
  spans: readonly Span[],
  options: ParallelOptions,
): AsyncGenerator<Float32Array[], void, undefined> {
  const pool = await RenderPool.start(plan, { ...options, jobs: Math.min(options.jobs ?? defaultJobs(), Math.max(1, spans.length)) });
  try {
    yield* pool.render(spans);
  } finally {
    await pool.close();
  }
}

/** A window's audio as its bytes arrive from a worker, straight into its two channels. */
class Incoming {
  /** The window's channels, made (or taken from `spare`) when its first bytes arrive. */
  audio: Float32Array[] = [];
  private bytes: Uint8Array[] = [];
  private received = 0;

  constructor(
    readonly index: number,
    private readonly frames: number,
    /**
     * Channels of windows the caller is done with, to fill again: taken once the bytes come, not when the
     * window is sent out (it may wait its turn, see RenderPool.flow), so the pool holds two pairs, not three.
     */
    private readonly spare: Float32Array[][] = [],
  ) {}

  /** Takes the next bytes; true once the window is whole. */
  receive(chunk: Uint8Array): boolean {
    if (this.received === 0) {
      const lent = this.spare.findIndex((audio) => audio[0].length === this.frames);
      this.audio = lent === -1 ? [new Float32Array(this.frames), new Float32Array(this.frames)] : this.spare.splice(lent, 1)[0];
      this.bytes = this.audio.map((channel) => new Uint8Array(channel.buffer));
    }
    const size = this.bytes[0].length;
    let at = 0;
    while (at < chunk.length) {
      const channel = Math.floor(this.received / size);
      if (channel >= this.bytes.length) throw new Error("a render worker sent more audio than its window");
      const offset = this.received - channel * size;
      const take = Math.min(size - offset, chunk.length - at);
      this.bytes[channel].set(chunk.subarray(at, at + take), offset);
      at += take;
      this.received += take;
    }
    return this.received === size * this.bytes.length;
  }
}

let script: Promise<string> | undefined;

/** worker.ts and all it imports in one CommonJS script, bundled once per process and kept in memory (no file to clean up). */
function workerScript(): Promise<string> {
  script ??= bundle(fileURLToPath(new URL("./worker.ts", import.meta.url)), "cjs");
  return script;
}

/**
 * A worker process: Node running the bundle read from its standard input
 * (`node -`), with a channel for the messages (V8's serialisation: the plan
 * holds Maps), a pipe for the audio (AUDIO_FD), and its standard error kept
 * by the pool.
 */
function startWorker(code: string): ChildProcess {
  const worker = spawn(process.execPath, [`--max-semi-space-size=${SEMI_SPACE_MB}`, "-"], {
    stdio: ["pipe", "ignore", "pipe", "ipc", "pipe"],
    serialization: "advanced",
    env: { ...WORKER_ALLOCATOR, ...process.env },
  });
  // A worker that ends before it has read its script reports itself by its exit, not by a broken pipe.
  worker.stdin!.on("error", () => undefined).end(code);
  return worker;
}
