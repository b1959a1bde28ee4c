/**
 * A render worker: a thread of its own that renders windows of a plan with
 * `renderSpan` and hands each back as transferred Float32Arrays. The pool
 * (parallel.ts) starts it, sends it the plan once, then one window at a time.
 *
 * The Web Audio shim comes first: Tone looks for the platform's classes as it loads.
 */
import "../platform/node-audio.ts";
import { collectGarbage as collect } from "../platform/gc.ts";
import { parentPort } from "node:worker_threads";
import { Random } from "../score/random.ts";
import type { Plan } from "../score/timeline.ts";
import { renderSpan } from "./offline.ts";
import type { ToWorker } from "./parallel.ts";

const port = parentPort;
if (!port) throw new Error("worker.ts runs as a worker thread (see parallel.ts)");

let plan: Plan | undefined;
/** Stops the window being rendered (see ToWorker "stop"). */
const stopping = new AbortController();
let busy = false;
let settings: { sampleRate: number; preroll?: number; gain?: number } | undefined;

port.on("message", (message: ToWorker) => {
  if (message.type === "stop") {
    // Terminating a thread while the engine renders for it brings the whole process down:
    // the render is cut short instead, and the thread ends once it is idle.
    stopping.abort();
    if (!busy) port.close();
    return;
  }
  if (message.type === "plan") {
    // Structured cloning keeps the plan's data (Maps included) but not the Random's class.
    plan = { ...message.plan, random: new Random(message.plan.random.key) };
    settings = message.settings;
    return;
  }
  void render(message.index, message.startFrame, message.frames);
});

async function render(index: number, startFrame: number, frames: number): Promise<void> {
  busy = true;
  try {
    if (!plan || !settings) throw new Error("a window came before the plan");
    const audio = await renderSpan(plan, { ...settings, startFrame, frames, collect, signal: stopping.signal });
    port!.postMessage({ type: "window", index, audio }, audio.map((channel) => channel.buffer as ArrayBuffer));
  } catch (error) {
    if (stopping.signal.aborted) {
      port!.close();
      return;
    }
    port!.postMessage({ type: "error", index, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
  // The window's context and the output it rendered are garbage now: free them before the next.
  await collect();
  busy = false;
  if (stopping.signal.aborted) port!.close();
}
