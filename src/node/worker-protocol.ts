/**
 * What the render pool (pool.ts) and its workers (worker.ts) say to each
 * other, apart from both: a worker needs none of the pool's code.
 */
import type { Plan } from "../score/timeline.ts";

/** A plan as it crosses to a worker: its Random travels as a plain `{ key }`. */
type PlanMessage = Omit<Plan, "random"> & { random: { key: number } };

/** Messages from the pool to a worker. */
export type ToWorker =
  | {
      type: "plan";
      plan: PlanMessage;
      settings: { sampleRate: number; preroll?: number; gain?: number };
      /**
       * How far (0–1) into its cycle of full collections the worker starts
       * (see worker.ts FULL_COLLECTION_EVERY): the pool staggers its workers.
       */
      stagger: number;
    }
  | { type: "render"; index: number; startFrame: number; frames: number }
  | { type: "stop" };

/**
 * Messages from a worker to the pool. A window's audio does not travel as a
 * message but as raw bytes on a pipe of its own (AUDIO_FD): the left
 * channel's samples, then the right's, as 32-bit floats in the machine's
 * order, read straight into the window's arrays. A message would be
 * serialised into a buffer of its own in the worker and gathered into another
 * in the pool: measured over 10 minutes with 2 jobs, 15–30 MB more per worker.
 */
export type FromWorker = { type: "ready" } | { type: "error"; index: number; message: string };

/** The worker's file descriptor on which it writes the windows' audio. */
export const AUDIO_FD = 4;
