/**
 * Waves on a shore at night: each wave of the score swells, breaks, washes
 * up and draws back in fizzing foam over a far surf that never stops. The
 * sound is a texture (synth/waves.ts), played a chunk at a time.
 */
import type { Random } from "../../core/random.ts";
import type { TextureScore } from "../../synth/texture.ts";
import { createWavesTexture, type WavesOptions } from "../../synth/waves.ts";
import { textureVoice, type Voice, type VoiceContext } from "../kit.ts";

export type { WavesOptions } from "../../synth/waves.ts";

export function createWaves(vc: VoiceContext, options: Partial<WavesOptions>, rng: Random, score: TextureScore): Voice {
  return textureVoice(vc, createWavesTexture({ rate: vc.context.sampleRate, rng, score }, options));
}
