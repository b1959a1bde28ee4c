/** The lake under the stars, a texture (src/synth/lake.ts) played by the engine in chunks. */
import type { Random } from "../../core/random.ts";
import { type LakeOptions, lakeTexture } from "../../synth/lake.ts";
import type { TextureScore } from "../../synth/texture.ts";
import { textureVoice, type Voice, type VoiceContext } from "../kit.ts";

export function createLake(vc: VoiceContext, options: Partial<LakeOptions>, rng: Random, score: TextureScore): Voice {
  return textureVoice(vc, lakeTexture({ rate: vc.context.sampleRate, rng, score }, options));
}
