/**
 * The voice library: a graph for each voice type a preset can name (the
 * score describes each in src/score/voices/; a type without a graph here
 * fails to type-check).
 */
import type { Random } from "../../core/random.ts";
import type { Decibels } from "../../core/units.ts";
import type { VoiceType } from "../../score/voice-types.ts";
import type { TextureScore } from "../../synth/texture.ts";
import type { Voice, VoiceContext } from "../kit.ts";
import { createDriftNoise } from "./drift-noise.ts";
import { createFire } from "./fire.ts";
import { createLake } from "./lake.ts";
import { createLeaves } from "./leaves.ts";
import { createMotif } from "./motif.ts";
import { createNightAir } from "./night-air.ts";
import { createPad } from "./pad.ts";
import { createRain } from "./rain.ts";
import { createWaterfall } from "./waterfall.ts";
import { createWaves } from "./waves.ts";

export type { Voice, VoiceContext } from "../kit.ts";

const FACTORIES = {
  waterfall: createWaterfall,
  leaves: createLeaves,
  nightAir: createNightAir,
  pad: createPad,
  motif: createMotif,
  lake: createLake,
  rain: createRain,
  waves: createWaves,
  fire: createFire,
  driftNoise: createDriftNoise,
} satisfies Record<VoiceType, (vc: VoiceContext, options: never, rng: Random, score: TextureScore) => Voice>;

/**
 * Each voice type's level in the mix, in dB, on top of the preset's trim:
 * what keeps the presets' balance now that every voice is a texture. Each
 * figure is the difference, voice by voice, between the old native graphs
 * and the textures (each voice alone over a 2-minute story, seed 7, its
 * energy while it sounds), mostly the old panner's downmix of every voice to
 * mono, which the textures no longer go through. The night air is kept a
 * little under the old figure, the waterfall a little under it too: quiet air
 * under the crickets, and a broadband fall that sounds louder than its energy.
 */
export const VOICE_BALANCE: Record<VoiceType, Decibels> = {
  waterfall: 1.5,
  leaves: 4.5,
  nightAir: 2,
  pad: -3.9,
  motif: -3.9,
  lake: 0,
  rain: -5.2,
  waves: -3.2,
  fire: -5.1,
  driftNoise: -6,
};

/** The options each voice type's factory takes (its `Partial<XOptions>`). */
export type VoiceOptions = { [T in VoiceType]: Parameters<(typeof FACTORIES)[T]>[1] };

const VOICE_FACTORIES: { [T in VoiceType]: (vc: VoiceContext, options: VoiceOptions[T], rng: Random, score: TextureScore) => Voice } =
  FACTORIES;

/** Builds the graph of a voice of `type`; a texture reads its controls and events from `score`. */
export function createVoice<T extends VoiceType>(
  type: T,
  vc: VoiceContext,
  options: VoiceOptions[T],
  rng: Random,
  score: TextureScore,
): Voice {
  return VOICE_FACTORIES[type](vc, options, rng, score);
}
