/**
 * A render worker: a child process that renders windows of a plan with
 * `renderSpan` and hands each back over its channel to the pool
 * (parallel.ts), which starts it, sends it the plan once, then one window at
 * a time.
 *
 * The Web Audio shim comes first: Tone looks for the platform's classes as it loads.
 */
import "../platform/node-audio.ts";
import { collectGarbage as collect } from "../platform/gc.ts";
import { Socket } from "node:net";
import { Random } from "../score/random.ts";
import type { Plan } from "../score/timeline.ts";
import { renderSpan } from "./offline.ts";
import { AUDIO_FD, type FromWorker, type ToWorker } from "./parallel.ts";

if (!process.send) throw new Error("worker.ts runs as a child process of the render pool (see parallel.ts)");
const send = (message: FromWorker) => process.send!(message);
/** The pipe the windows' audio goes back on, as raw samples (see FromWorker). */
const audioOut = new Socket({ fd: AUDIO_FD, readable: false, writable: true });

/** Writes a window's channels, one after the other; resolves once the pipe has taken them. */
function write(audio: Float32Array[]): Promise<void> {
  return new Promise((resolve, reject) => {
    audio.forEach((channel, at) => {
      const bytes = new Uint8Array(channel.buffer, channel.byteOffset, channel.byteLength);
      audioOut.write(bytes, at < audio.length - 1 ? undefined : (error) => (error ? reject(error) : resolve()));
    });
  });
}

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

// Ctrl-C reaches the whole process group: the pool decides when its workers end, and the pool's end ends them.
process.on("SIGINT", () => undefined);
process.on("disconnect", stop);
process.on("message", (message: ToWorker) => {
  if (message.type === "stop") return stop();
  if (message.type === "plan") {
    // Structured cloning keeps the plan's data (Maps included) but not the Random's class.
    plan = { ...message.plan, random: new Random(message.plan.random.key) };
    settings = message.settings;
    return;
  }
  void render(message.index, message.startFrame, message.frames);
});
send({ type: "ready" });

async function render(index: number, startFrame: number, frames: number): Promise<void> {
  busy = true;
  try {
    if (!plan || !settings) throw new Error("a window came before the plan");
    const audio = await renderSpan(plan, { ...settings, startFrame, frames, collect, signal: stopping.signal });
    await write(audio);
  } catch (error) {
    if (!stopping.signal.aborted) send({ type: "error", index, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
  // The window's context and the output it rendered are garbage now: free them before the next.
  await collect();
  busy = false;
  if (stopping.signal.aborted) process.exit(0);
}
