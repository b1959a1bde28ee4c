/**
 * The loudness probe: renders and meters a plan before its render is
 * written, so the normalisation gain is known from the first sample.
 *
 * - Up to {@link MEASURE_ALL_SECONDS} (a story at its natural length), every
 *   window of the render is rendered and metered (BS.1770-4, as the file will
 *   be), so its loudness is measured, not estimated. Each window is handed to
 *   the caller's `keep` as it is metered (the command line spools it to disk,
 *   the page keeps a short one in memory), so it need not be rendered again.
 * - Longer, {@link probeSpans} spans of {@link PROBE_SPAN} seconds, one in
 *   the middle of each of equal parts of the render, are rendered and their
 *   K-weighted energy compared with the score model's for the same spans
 *   (score/loudness-model.ts). The model, scaled by that ratio, gives the loudness
 *   of the whole: the spans measure the sound, the model carries its slow
 *   changes (beats, drift, gusts) between them. Replayed at 3000 random
 *   placements over whole renders of 40 minutes to 2 hours, the estimate
 *   stayed within 0.4 LU of the measured loudness, and within 0.12 LU but
 *   for the shore, whose waves the model does not see one by one.
 *
 * The caller renders the spans (the worker pool, or the page's renderInTurn),
 * so the probe runs wherever they do. No file system, no Tone.js.
 */
import { energyToLufs, gatedLoudness } from "../dsp/gating.ts";
import { KWeightedEnergy } from "../dsp/k-weighting.ts";
import { LoudnessMeter } from "../dsp/meter.ts";
import { type ModelOptions, modelEnergies, modelStepCount, modelSteps } from "../score/loudness-model.ts";
import type { Plan } from "../score/timeline.ts";

/** Renders up to this long (seconds) are measured whole. */
export const MEASURE_ALL_SECONDS = 1800;
/** Seconds per probe span of a longer render. */
export const PROBE_SPAN = 20;
/** Fewest and most probe spans of a longer render (one a minute in between). */
export const PROBE_SPANS: readonly [number, number] = [8, 64];

/** A stretch of the render, in frames. */
export interface Span {
  startFrame: number;
  frames: number;
}

export interface LoudnessProbe {
  /** Integrated loudness of the render at gain 1, in LUFS: measured, or estimated from the spans. */
  integrated: number;
  /** "measured": every window was metered; "sampled": spans and the model. */
  method: "measured" | "sampled";
  /** The score model's own figure for the render, in LUFS (what the page would assume). */
  model: number;
  /** Seconds of audio the probe rendered (pre-rolls not counted). */
  rendered: number;
}

export interface ProbeOptions {
  sampleRate: number;
  /** The render's windows (core/frames.ts `windows`): measured renders render exactly these. */
  windows: Span[];
  signal?: AbortSignal;
  /** Called after each rendered piece with the seconds rendered so far. */
  onProgress?: (seconds: number) => void;
  /**
   * Given, a measured render hands each window to it, in order, as it is
   * metered: the audio of the whole render, at gain 1.
   */
  keep?: (audio: Float32Array[]) => Promise<void> | void;
  /**
   * Renders spans and yields them in order: the command line's worker pool
   * (node/pool.ts), or the page's `renderInTurn` (engine/offline.ts).
   */
  render: (spans: Span[]) => AsyncIterable<Float32Array[]>;
}

/** Spans one probe renders for a long render: `count` of {@link PROBE_SPAN} s, centred in equal parts. */
export function probeSpans(totalFrames: number, sampleRate: number): Span[] {
  const total = totalFrames / sampleRate;
  const count = Math.min(PROBE_SPANS[1], Math.max(PROBE_SPANS[0], Math.ceil(total / 60)));
  const frames = Math.min(Math.round(PROBE_SPAN * sampleRate), Math.floor(totalFrames / count));
  return Array.from({ length: count }, (_, k) => {
    const centre = Math.round(((k + 0.5) * totalFrames) / count);
    return { startFrame: Math.max(0, Math.min(totalFrames - frames, centre - Math.round(frames / 2))), frames };
  });
}

/** Seconds of audio the probe of a render of `totalFrames` renders, and whether it renders (and measures) every window. */
export function probeSeconds(totalFrames: number, sampleRate: number): { seconds: number; whole: boolean } {
  if (totalFrames <= MEASURE_ALL_SECONDS * sampleRate) return { seconds: totalFrames / sampleRate, whole: true };
  return { seconds: probeSpans(totalFrames, sampleRate).reduce((n, s) => n + s.frames, 0) / sampleRate, whole: false };
}

/**
 * Milliseconds of modelling between two turns of the event loop. A 24-hour
 * model of the largest preset (16 voices, 64 beats of 32 events) at once
 * took about 10 s, in which Ctrl-C went unanswered.
 */
const MODEL_SLICE_MS = 50;
/** Steps modelled between two looks at the clock. */
const MODEL_CHUNK = 20;

/** {@link modelEnergies}, a slice at a time, letting signals (and the workers' messages) in between. */
async function modelInSlices(plan: Plan, options: ModelOptions, signal: AbortSignal | undefined): Promise<Float64Array> {
  const energies = new Float64Array(modelStepCount(plan, options));
  let sliceStart = performance.now();
  for (let start = 0; start < energies.length; start += MODEL_CHUNK) {
    modelSteps(plan, options, energies, start, Math.min(energies.length, start + MODEL_CHUNK));
    if (performance.now() - sliceStart > MODEL_SLICE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      signal?.throwIfAborted();
      sliceStart = performance.now();
    }
  }
  signal?.throwIfAborted();
  return energies;
}

/** Measures (or, for a long render, estimates) the loudness of `plan` at gain 1. */
export async function probeLoudness(plan: Plan, options: ProbeOptions): Promise<LoudnessProbe> {
  const { sampleRate, windows } = options;
  const totalFrames = windows.reduce((n, w) => n + w.frames, 0);
  const whole = await modelInSlices(plan, { to: totalFrames / sampleRate, sampleRate }, options.signal);
  const model = gatedLoudness(whole);
  let rendered = 0;
  const { render } = options;

  if (totalFrames <= MEASURE_ALL_SECONDS * sampleRate) {
    const meter = new LoudnessMeter(sampleRate, 2);
    let index = 0;
    for await (const audio of render(windows)) {
      const window = windows[index++];
      options.signal?.throwIfAborted();
      meter.push(audio);
      await options.keep?.(audio);
      rendered += window.frames / sampleRate;
      options.onProgress?.(rendered);
    }
    return { integrated: meter.result().integrated, method: "measured", model, rendered };
  }

  let actual = 0;
  let modelled = 0;
  const spans = probeSpans(totalFrames, sampleRate);
  let index = 0;
  for await (const audio of render(spans)) {
    const span = spans[index++];
    options.signal?.throwIfAborted();
    const energy = new KWeightedEnergy(sampleRate, 2);
    energy.push(audio);
    const from = span.startFrame / sampleRate;
    const to = (span.startFrame + span.frames) / sampleRate;
    const spanModel = modelEnergies(plan, { from, to, sampleRate });
    actual += energy.mean() * span.frames;
    modelled += (spanModel.reduce((a, b) => a + b, 0) / Math.max(1, spanModel.length)) * span.frames;
    rendered += span.frames / sampleRate;
    options.onProgress?.(rendered);
  }
  // Nothing the model can hear (voices it knows nothing of, all silent): fall back on the spans' plain mean.
  const integrated = modelled > 0 ? gatedLoudness(whole, actual / modelled) : energyToLufs(actual / (rendered * sampleRate));
  return { integrated, method: "sampled", model, rendered };
}
