/**
 * Loudness of each voice type alone at level 1, over a grid of its brightness
 * and density, for the score model of loudness-plan.ts. Written by
 * `npx tsx scripts/calibrate-loudness.ts` (run it again after changing how
 * loud a voice is; tests/sleep-safe.test.ts fails when the model drifts more
 * than 1 LU from the measured presets). Do not edit by hand.
 */
import type { VoiceType } from "./voice-types.ts";

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

/** Sample rate of the calibration, in Hz. */
export const VOICE_LOUDNESS_RATE = 48000;

export const VOICE_LOUDNESS: Partial<Record<VoiceType, VoiceLoudness>> = {
  waterfall: { brightness: [0, 0.5, 1], density: [0.5], lufs: [[-16.92], [-16.26], [-15.27]], noise: true },
  leaves: {
    brightness: [0, 0.5, 1],
    density: [0, 0.5, 1],
    lufs: [
      [-8.31, -7.86, -8.25],
      [-5.42, -4.74, -5.12],
      [-4.57, -4.29, -4.72],
    ],
    noise: true,
  },
  nightAir: {
    brightness: [0, 0.5, 1],
    density: [0, 0.5, 1],
    lufs: [
      [-14.14, -12.31, -9.23],
      [-10.08, -9.22, -7.41],
      [-9.9, -9.06, -7.28],
    ],
    noise: true,
  },
  pad: { brightness: [0, 0.5, 1], density: [0.5], lufs: [[-23.57], [-20.9], [-21.79]], noise: false },
  motif: {
    brightness: [0, 0.5, 1],
    density: [0, 0.5, 1],
    lufs: [
      [-200, -25.37, -22.11],
      [-200, -25.37, -22.1],
      [-200, -25.34, -22.07],
    ],
    noise: false,
  },
  lake: {
    brightness: [0, 0.5, 1],
    density: [0, 0.5, 1],
    lufs: [
      [-26.07, -23, -21.26],
      [-22.16, -19.1, -17.35],
      [-22.66, -19.6, -17.85],
    ],
    noise: true,
  },
  rain: {
    brightness: [0, 0.5, 1],
    density: [0, 0.5, 1],
    lufs: [
      [-26.23, -25.52, -24.62],
      [-24.38, -19.96, -17.04],
      [-23.77, -18.3, -15.13],
    ],
    noise: true,
  },
  waves: {
    brightness: [0, 0.5, 1],
    density: [0, 0.5, 1],
    lufs: [
      [-24.17, -23.15, -22.27],
      [-23.73, -22.68, -21.75],
      [-23.16, -22.01, -21.02],
    ],
    noise: true,
  },
  fire: {
    brightness: [0, 0.5, 1],
    density: [0, 0.5, 1],
    lufs: [
      [-21.06, -20.9, -20.56],
      [-18.73, -18.61, -18.36],
      [-15.94, -15.87, -15.7],
    ],
    noise: true,
  },
  driftNoise: {
    brightness: [0, 0.5, 1],
    density: [0, 0.5, 1],
    lufs: [
      [-28.04, -28.43, -28.88],
      [-28, -28.39, -28.84],
      [-28, -28.38, -28.83],
    ],
    noise: false,
  },
};
