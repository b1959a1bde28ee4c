/**
 * Offline rendering of story time, window by window: each window is its own
 * OfflineAudioContext, started early by a pre-roll that lets reverb tails,
 * echoes and filters settle, so consecutive windows join without a seam.
 *
 * A window is not scheduled all at once: the render pauses every
 * SCHEDULE_STEP seconds (OfflineAudioContext.suspend) to schedule the next
 * stretch, so sources (the textures' chunks) are made shortly before they
 * sound and leave the graph once they are over: the graph stays small,
 * whatever the window's length (their handles, and so their buffers, are
 * freed when the window ends: about 18 MB for a 20 s window of the bus). The
 * sound is the same as scheduling everything up front.
 *
 * Tone runs over the bare OfflineAudioContext of the platform (Node's shim or
 * the browser's), not standardized-audio-context's wrapper, whose
 * workarounds add a node to every source in Node (measured: about a tenth of
 * the render's time).
 */
import * as Tone from "tone";
import { createSoundscape } from "./soundscape.ts";
import type { Plan } from "../score/timeline.ts";
import { PREROLL, QUANTUM, quantumFrames } from "../core/frames.ts";

/** Seconds of story time between two pauses of a render. */
export const SCHEDULE_STEP = 5;
/**
 * Seconds scheduled beyond the next pause: more than a control step (0.25 s),
 * so a ramp under way at a pause was already placed before it began.
 */
const SCHEDULE_AHEAD = 1;

export interface SpanOptions {
  /** Frames per second, in Hz. */
  sampleRate: number;
  /** First frame of the span (story time × sample rate). */
  startFrame: number;
  /** Number of frames. */
  frames: number;
  /** Seconds of pre-roll; default PREROLL. */
  preroll?: number;
  /** Overall gain (loudness normalisation), as a factor. */
  gain?: number;
  /**
   * Seconds of story time between two pauses of the render (each schedules
   * the next stretch: draws its textures); default SCHEDULE_STEP. The page
   * pauses more often, so that no stretch of drawing holds its main thread
   * long. The sound is the same.
   */
  step?: number;
  /**
   * Cuts the render short: at its next pause the whole graph is let go of,
   * so the engine runs through the rest of the window in silence, fast (it
   * cannot stop an offline render midway), and the promise rejects with the
   * signal's reason.
   */
  signal?: AbortSignal;
}

/** A pause the engine did not take: the render went past it without scheduling what follows. */
class LostPause extends Error {
  override name = "LostPause";
}

/** Times a window is rendered again after a lost pause before giving up. */
const ATTEMPTS = 3;

/** Renders frames [startFrame, startFrame + frames) of the plan, as planar stereo. */
export async function renderSpan(plan: Plan, options: SpanOptions): Promise<Float32Array[]> {
  const { buffer, offset } = await renderSpanBuffer(plan, options);
  // Copied out, not read with getChannelData, which in Node copies the whole channel first.
  return [0, 1].map((channel) => {
    const samples = new Float32Array(options.frames);
    buffer.copyFromChannel(samples, channel, offset);
    return samples;
  });
}

/**
 * Renders the span as renderSpan does, but hands back the context's whole
 * output, pre-roll included, with the frame at which the span begins in it:
 * a caller that passes the audio on piece by piece (a render worker) needs
 * no copy of the whole span.
 */
export async function renderSpanBuffer(plan: Plan, options: SpanOptions): Promise<{ buffer: AudioBuffer; offset: number }> {
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await renderOnce(plan, options);
    } catch (error) {
      if (!(error instanceof LostPause) || attempt >= ATTEMPTS) throw error;
    }
  }
}

async function renderOnce(plan: Plan, options: SpanOptions): Promise<{ buffer: AudioBuffer; offset: number }> {
  const { sampleRate, startFrame, frames } = options;
  const prerollFrames = Math.min(startFrame, quantumFrames(options.preroll ?? PREROLL, sampleRate));
  // The context runs one render quantum before the sound starts, in silence: Node's engine
  // applies a k-rate parameter's first value one quantum late (the controls' gains are k-rate,
  // see Ramp), so that quantum must have nothing to multiply.
  const lead = QUANTUM;
  const contextStart = (startFrame - prerollFrames) / sampleRate;
  const origin = (startFrame - prerollFrames - lead) / sampleRate;
  const end = (startFrame + frames) / sampleRate;
  const totalFrames = lead + prerollFrames + frames;
  const raw = new OfflineAudioContext(2, totalFrames, sampleRate);
  const context = new Tone.OfflineContext(raw);
  // Each pause schedules up to a little beyond the next, so sources start before they are heard.
  const step = options.step ?? SCHEDULE_STEP;
  let scheduledTo = Math.min(end, origin + step + SCHEDULE_AHEAD);
  let failure: unknown;
  let lost = false;
  // A resume that fails leaves the render waiting for ever: stop waiting for it.
  let stall: (error: unknown) => void = () => undefined;
  const stalled = new Promise<never>((_, reject) => {
    stall = reject;
  });
  let pauses = 0;
  let silenced = false;
  for (let k = 1; origin + k * step + SCHEDULE_AHEAD < end; k++) {
    const frame = Math.round((k * step * sampleRate) / QUANTUM) * QUANTUM;
    if (frame >= totalFrames) break;
    pauses++;
    // Half a frame early, because the engine rounds the time up to a quantum.
    raw.suspend((frame - 0.5) / sampleRate).then(
      async () => {
        if (options.signal?.aborted) {
          if (!silenced) scape.dispose();
          silenced = true;
        } else if (!lost) {
          try {
            // What has ended leaves the graph (it would cost time even silent); its handles are
            // held until the window is over (kit.ts, NodePool), so no collection is needed here.
            scape.releaseEnded(origin + raw.currentTime);
            const to = Math.min(end, origin + (k + 1) * step + SCHEDULE_AHEAD);
            scape.schedule(scheduledTo, to);
            scheduledTo = to;
          } catch (error) {
            failure ??= error;
          }
        }
        raw.resume().catch((error: unknown) => {
          if (raw.state === "suspended") stall(error);
        });
      },
      () => {
        lost = true;
      },
    );
  }
  // Node's engine takes a pause only before rendering starts, and takes each call as a task
  // that runs a little later, in the order called: so the pauses are asked for first, then
  // the graph is built, and a tiny render asked for after them finishes once they have been
  // taken. (Should one still be lost, the window is rendered again.)
  const scape = createSoundscape(context, plan, { origin, start: contextStart, gain: options.gain });
  scape.output.connect(context.destination);
  if (options.step === undefined) scape.schedule(contextStart, scheduledTo);
  else {
    // On a page, the first stretch too is drawn a step at a time, giving way to the page before
    // each (building the voices is a task of its own).
    for (let from = contextStart; from < scheduledTo; from += step) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      scape.schedule(from, Math.min(scheduledTo, from + step));
    }
  }
  if (pauses > 0) await new OfflineAudioContext(1, 1, sampleRate).startRendering();

  try {
    // Straight to the platform's context: Tone's own render would first run its clock over the
    // whole window, for timeouts and a transport that nothing here uses.
    const buffer = await Promise.race([raw.startRendering(), stalled]);
    options.signal?.throwIfAborted();
    if (lost) throw new LostPause("a pause of the render was lost");
    if (failure !== undefined) throw failure;
    return { buffer, offset: lead + prerollFrames };
  } finally {
    if (!silenced) scape.dispose();
    await context.dispose();
  }
}

/**
 * Seconds between the pauses of a render on a page's main thread: each
 * pause draws this much of every texture (and the reverb) at once, which
 * must not hold the page long (measured in Chromium under load: 5 s at once
 * held it up to 340 ms).
 */
export const PAGE_SCHEDULE_STEP = 1;

/** Renders spans one after another, on this thread; a cancel stops the window under way at its next pause. */
export async function* renderInTurn(
  plan: Plan,
  sampleRate: number,
  spans: readonly { startFrame: number; frames: number }[],
  signal?: AbortSignal,
): AsyncGenerator<Float32Array[]> {
  for (const span of spans) yield await renderSpan(plan, { sampleRate, ...span, signal, step: PAGE_SCHEDULE_STEP });
}
