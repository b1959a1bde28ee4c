/** The command line's loudness option and its report of how a render was normalised. */
import { TARGET_RANGE } from "../score/loudness-model.ts";
import type { RenderResult } from "../node/render-file.ts";
import { UsageError } from "./args.ts";

/** Parses `--loudness`: a target in LUFS within TARGET_RANGE. */
export function loudnessOption(value: string): number {
  const [low, high] = TARGET_RANGE;
  const lufs = /^[-+]?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(lufs >= low && lufs <= high)) {
    throw new UsageError(`--loudness must be a number of LUFS from ${low} to ${high}, got "${value.slice(0, 40)}"`);
  }
  return lufs;
}

/** One line on how the render was brought to `target` LUFS. */
export function loudnessNote(target: number, loudness: RenderResult["loudness"]): string {
  const { probe, gainDb, limiter } = loudness;
  const how = probe.method === "measured" ? "measured over the whole render" : `estimated from ${Math.round(probe.rendered)} s of probes`;
  const sign = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(1)}`;
  const held =
    limiter.maxReduction > 0
      ? `the limiter held peaks down by up to ${limiter.maxReduction.toFixed(1)} dB for ${limiter.reducedSeconds.toFixed(1)} s`
      : "the limiter never acted";
  // Within half a LU the target counts as met (the probe of a long render estimates); beyond, say what was reached.
  const reached = loudness.reached;
  const level =
    Number.isFinite(reached) && Math.abs(reached - target) >= 0.5
      ? `${reached.toFixed(1)} LUFS reached of the ${target} LUFS asked${reached < target && limiter.maxReduction > 0 ? ", the limiter holding it back" : ""}`
      : `${target} LUFS`;
  return `loudness: ${level} (${probe.integrated.toFixed(1)} LUFS before, ${how}; gain ${sign(gainDb)} dB; ${held})`;
}
