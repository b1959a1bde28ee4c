/**
 * Loudness of each voice type alone at level 1, over a grid of its
 * brightness and density, for the score's model of loudness (loudness-model.ts).
 * The numbers are data, in voice-loudness.json, written by
 * `npx tsx scripts/calibrate-loudness.ts` (run it again after changing how
 * loud a voice is; tests/sleep-safe.test.ts fails when the model drifts more
 * than 1 LU from the measured presets).
 */
import type { VoiceType } from "./voice-types.ts";
import calibration from "./voice-loudness.json" with { type: "json" };
import { VOICES } from "./voices/index.ts";

export interface VoiceLoudness {
  /** Brightness grid, 0–1 (just 0.5 for a voice without brightness). */
  brightness: number[];
  /** Density grid, 0–1 (just 0.5 for a voice without density). */
  density: number[];
  /** Integrated loudness at level 1 and trim 0 dB, in LUFS, as [brightness][density]. */
  lufs: number[][];
  /** Made of white noise, whose filtered bands carry more energy at a lower sample rate. */
  noise: boolean;
}

/** The calibration file: its sample rate, in Hz, and each voice's table by its calibration key. */
export interface VoiceLoudnessFile {
  sampleRate: number;
  voices: Record<string, VoiceLoudness>;
}

export const VOICE_LOUDNESS: VoiceLoudnessFile = calibration;

/** Sample rate of the calibration, in Hz. */
export const VOICE_LOUDNESS_RATE = VOICE_LOUDNESS.sampleRate;

/** The calibration of a voice type, if it has been measured. */
export function calibrationOf(type: VoiceType): VoiceLoudness | undefined {
  return VOICE_LOUDNESS.voices[VOICES[type].calibration];
}
