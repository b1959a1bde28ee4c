/** The voice library: a factory for each voice type a preset can name. */
import type { Random } from "../../core/random.ts";
import type { VoiceType } from "../../score/voice-types.ts";
import type { Voice, VoiceContext } from "../kit.ts";
import { createLake } from "./lake.ts";
import { createLeaves } from "./leaves.ts";
import { createMotif } from "./motif.ts";
import { createNightAir } from "./night-air.ts";
import { createPad } from "./pad.ts";
import { createWaterfall } from "./waterfall.ts";
import { createRain } from "./rain.ts";
import { createWaves } from "./waves.ts";
import { createFire } from "./fire.ts";
import { createDriftNoise } from "./drift-noise.ts";

export type { Voice, VoiceContext } from "../kit.ts";

export const VOICE_FACTORIES: Record<VoiceType, (vc: VoiceContext, options: object, rng: Random) => Voice> = {
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
};

/** How much of each voice goes to the shared reverb, 0–1. */
export const REVERB_SENDS: Record<VoiceType, number> = {
  waterfall: 0.25,
  leaves: 0.2,
  nightAir: 0.3,
  pad: 0.45,
  motif: 0.55,
  lake: 0.3,
  rain: 0.2,
  waves: 0.2,
  fire: 0.1,
  driftNoise: 0.08,
};
