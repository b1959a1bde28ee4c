/**
 * A render worker: a child process that renders windows of a plan with
 * `renderSpanBuffer` and writes each back to the pool (pool.ts) as raw
 * samples on its audio pipe (worker-protocol.ts). The pool starts it, sends
 * it the plan once, then one window at a time.
 *
 * The Web Audio shim comes first: Tone looks for the platform's classes as it loads.
 */
import "./node-audio.ts";
import { collectGarbage as collect, collectYoung } from "./gc.ts";
import { reclaimEngineMemory } from "./allocator.ts";
import { Socket } from "node:net";
import { Random } from "../core/random.ts";
import type { Plan } from "../score/timeline.ts";
import { renderSpanBuffer } from "../engine/offline.ts";
import { AUDIO_FD, type FromWorker, type ToWorker } from "./worker-protocol.ts";

if (!process.send) throw new Error("worker.ts runs as a child process of the render pool (see pool.ts)");
const send = (message: FromWorker) => process.send!(message);
/** The pipe the windows' audio goes back on, as raw samples (see FromWorker). */
const audioOut = new Socket({ fd: AUDIO_FD, readable: false, writable: true });

/** Frames copied out of the engine's output and written at a time. */
const PIECE_FRAMES = 48000;
/** The piece being written (it is only reused once the pipe has taken it). */
const piece = new Float32Array(PIECE_FRAMES);

/**
 * Writes a window's channels, one after the other, from the engine's output
 * a piece at a time: no copy of the whole window is made (7.7 MB for 20 s at
 * 48 kHz). Resolves once the pipe has taken the last piece; the pool reads a
 * window only when it is next, so that may be a while.
 */
async function write(buffer: AudioBuffer, offset: number, frames: number): Promise<void> {
  for (let channel = 0; channel < 2; channel++) {
    for (let from = 0; from < frames; from += PIECE_FRAMES) {
      const samples = piece.subarray(0, Math.min(PIECE_FRAMES, frames - from));
      buffer.copyFromChannel(samples, channel, offset + from);
      await new Promise<void>((resolve, reject) =>
        audioOut.write(new Uint8Array(samples.buffer, 0, samples.byteLength), (error) => (error ? reject(error) : resolve())),
      );
    }
  }
}

/**
 * Windows between two full collections. A full collection frees a window's
 * engine objects (about 7 MB here; V8 does not see the engine's memory, so it
 * would wait far longer), but it also throws away much of the code V8 has
 * optimised (its dependencies on objects that died), which the next window
 * then runs slower while it is compiled again: measured on 4 minutes of the
 * dream with one worker, 13.3 s of CPU collecting after every window against
 * 9.4 s never collecting. Every fourth window: 10 minutes at 2 jobs in
 * 10.5 s (57×) against 12.9 s (46×), peak memory 348 MB PSS against 314.
 */
const FULL_COLLECTION_EVERY = 4;
/** Windows rendered, counted from where the pool placed this worker in the cycle of full collections. */
let windows = 0;

let plan: Plan | undefined;
/** Stops the window being rendered (see ToWorker "stop"). */
const stopping = new AbortController();
let busy = false;
let settings: { sampleRate: number; preroll?: number; gain?: number } | undefined;

/** Ends the process once it is not rendering (leaving the engine mid-render would abort it). */
function stop(): void {
  stopping.abort();
  if (!busy) process.exit(0);
}

// Ctrl-C (and `timeout`'s SIGTERM) reach the whole process group: the pool decides when its workers end, and the pool's end ends them.
process.on("SIGINT", () => undefined);
process.on("SIGTERM", () => undefined);
process.on("disconnect", stop);
process.on("message", (message: ToWorker) => {
  if (message.type === "stop") return stop();
  if (message.type === "plan") {
    // Structured cloning keeps the plan's data (Maps included) but not the Random's class.
    plan = { ...message.plan, random: new Random(message.plan.random.key) };
    settings = message.settings;
    windows = Math.round(message.stagger * FULL_COLLECTION_EVERY);
    return;
  }
  void render(message.index, message.startFrame, message.frames);
});
send({ type: "ready" });

async function render(index: number, startFrame: number, frames: number): Promise<void> {
  busy = true;
  try {
    if (!plan || !settings) throw new Error("a window came before the plan");
    const { buffer, offset } = await renderSpanBuffer(plan, { ...settings, startFrame, frames, signal: stopping.signal });
    await write(buffer, offset, frames);
  } catch (error) {
    if (!stopping.signal.aborted)
      send({ type: "error", index, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
  // The window's context and the output it rendered are garbage now: what is still young goes at
  // once, the rest with a full collection every few windows (see FULL_COLLECTION_EVERY), after
  // which the engine's render thread takes back the outputs it frees (see allocator.ts).
  windows++;
  if (windows % FULL_COLLECTION_EVERY === 0) {
    await collect();
    await reclaimEngineMemory();
  } else await collectYoung();
  busy = false;
  if (stopping.signal.aborted) process.exit(0);
}
