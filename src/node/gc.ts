/**
 * V8's collector, on demand. A render lets go of tens of MB of audio per
 * window (the worker's engine sources and output, the main thread's window
 * and its mastered copy), held outside the JavaScript heap where V8 barely
 * weighs it: left to itself, V8 collects it late and memory climbs by
 * hundreds of MB. A full collection of these small heaps (about 8 MB) took
 * 30–60 ms on this machine under a load of 10, once per window.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Collects garbage, then lets the handles' finalizers run (Node defers them to the next turns). */
export async function collectGarbage(): Promise<void> {
  gc();
  await turn();
  await turn();
}

/** Collects the young generation only (a scavenge: no code is thrown away), then lets finalizers run. */
export async function collectYoung(): Promise<void> {
  (gc as unknown as (options: { type: "minor" }) => void)({ type: "minor" });
  await turn();
  await turn();
}
