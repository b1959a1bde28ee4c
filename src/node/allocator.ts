/**
 * The native engine's allocator and threads, tuned before the engine loads,
 * and what a render worker does to get back the memory the engine frees.
 *
 * node-web-audio-api's binary allocates with mimalloc 2.2 (statically
 * linked), which reads its options from the environment once, when the
 * binary is loaded. With its defaults a freed page is given back to the
 * system only after a delay (10 ms, ×10 in its arenas), checked when the
 * same thread allocates again: the engine's threads finish a window and go
 * idle, so the pages the window freed stay resident. Measured on a loop of
 * 30 s dream windows in one process: 208 → 254 MB RSS over 100 windows and
 * still climbing (the JavaScript heap and external memory flat), against
 * 202–229 MB over 160 windows with pages purged as soon as they are free.
 *
 * The engine renders an offline context on a thread of its Tokio runtime,
 * which allocates the context's output there (a 23 s window: 8.8 MB), and
 * JavaScript frees it, on its own thread, once V8 has collected the
 * buffer's handles. mimalloc puts a block freed by another thread on a list
 * of its owner's, which the owner only goes through on every hundredth
 * allocation it makes out of its fast path: the render thread makes a few
 * a window, so the windows' outputs pile up. Measured with bare contexts of
 * a window's length, rendered and collected one after another: 8.5 MB more
 * resident with each, 250 MB after 30; in a render worker, 9 MB more after
 * each full collection, given back only now and then. See
 * {@link reclaimEngineMemory}.
 *
 * This module only sets environment variables, so it must be evaluated
 * before `node-web-audio-api` is first imported in the process:
 * node-audio.ts imports it first. A value the user set is kept.
 */

/** The engine's options as Reverie sets them (environment name → value). */
export const ALLOCATOR_OPTIONS: Readonly<Record<string, string>> = {
  // Purge (decommit) freed OS pages at once instead of after a delay nobody waits for.
  MIMALLOC_PURGE_DELAY: "0",
  // One thread for the engine's Tokio runtime (by default one a core): every render, pause and
  // resume runs on it, so it owns what the engine allocates while rendering, and the tiny renders
  // of reclaimEngineMemory reach that thread. A render ran on one thread anyway.
  TOKIO_WORKER_THREADS: "1",
};

for (const [name, value] of Object.entries(ALLOCATOR_OPTIONS)) {
  if (process.env[name] === undefined) process.env[name] = value;
}

/**
 * Tiny renders that make the render thread allocate out of mimalloc's fast
 * path at least a hundred times (a render of one frame does so a few times),
 * so that it frees what other threads gave back to it: 30 were not always
 * enough.
 */
const RECLAIMING_RENDERS = 60;

/**
 * Makes the engine's render thread take back the memory freed by other
 * threads since it last did (the outputs of the windows whose handles V8
 * has collected): call it after a full collection, once its finalizers have
 * run. Takes about 10 ms. Measured on a loop of 24 dream windows in one
 * process with a full collection every fourth: 88–96 MB RSS after each full
 * collection, against 125–175 MB without, and climbing.
 */
export async function reclaimEngineMemory(): Promise<void> {
  for (let i = 0; i < RECLAIMING_RENDERS; i++) await new OfflineAudioContext(1, 1, 48000).startRendering();
}
