/** The night air: a texture (synth/night-air.ts) played in chunks. */
import type { Random } from "../../core/random.ts";
import { createNightAirTexture, type NightAirOptions } from "../../synth/night-air.ts";
import type { TextureScore } from "../../synth/texture.ts";
import { textureVoice, type Voice, type VoiceContext } from "../kit.ts";

export type { NightAirOptions } from "../../synth/night-air.ts";

export function createNightAir(vc: VoiceContext, options: Partial<NightAirOptions>, rng: Random, score: TextureScore): Voice {
  return textureVoice(vc, createNightAirTexture({ rate: vc.context.sampleRate, rng, score }, options));
}
