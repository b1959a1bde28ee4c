/**
 * A fire in the hearth: the low roar of the flames, a soft hiss and wood
 * crackling, a texture (src/synth/fire.ts) played in chunks.
 */
import type { Random } from "../../core/random.ts";
import { createFireTexture, type FireOptions } from "../../synth/fire.ts";
import type { TextureScore } from "../../synth/texture.ts";
import { textureVoice, type Voice, type VoiceContext } from "../kit.ts";

export type { FireOptions } from "../../synth/fire.ts";

export function createFire(vc: VoiceContext, options: Partial<FireOptions>, rng: Random, score: TextureScore): Voice {
  return textureVoice(vc, createFireTexture({ rate: vc.context.sampleRate, rng, score }, options));
}
