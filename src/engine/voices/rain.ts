/**
 * Rain on the leaves, the ground, a roof and the puddles, over the hush of
 * the rain further off: a texture (src/synth/rain.ts) played in chunks.
 */
import type { Random } from "../../core/random.ts";
import { createRainTexture, type RainOptions } from "../../synth/rain.ts";
import type { TextureScore } from "../../synth/texture.ts";
import { textureVoice, type Voice, type VoiceContext } from "../kit.ts";

export type { RainOptions } from "../../synth/rain.ts";

export function createRain(vc: VoiceContext, options: Partial<RainOptions>, rng: Random, score: TextureScore): Voice {
  return textureVoice(vc, createRainTexture({ rate: vc.context.sampleRate, rng, score }, options));
}
