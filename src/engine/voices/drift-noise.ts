/**
 * Coloured noise for drifting off: brown, pink or airy by brightness,
 * breathing with the score's controls. The sound is a texture
 * (synth/drift-noise.ts), played a chunk at a time.
 */
import type { Random } from "../../core/random.ts";
import { createDriftNoiseTexture, type DriftNoiseOptions } from "../../synth/drift-noise.ts";
import type { TextureScore } from "../../synth/texture.ts";
import { textureVoice, type Voice, type VoiceContext } from "../kit.ts";

export type { DriftNoiseOptions } from "../../synth/drift-noise.ts";

export function createDriftNoise(vc: VoiceContext, options: Partial<DriftNoiseOptions>, rng: Random, score: TextureScore): Voice {
  return textureVoice(vc, createDriftNoiseTexture({ rate: vc.context.sampleRate, rng, score }, options));
}
