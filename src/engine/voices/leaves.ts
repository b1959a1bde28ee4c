/** Leaves in a canopy: a texture (synth/leaves.ts) played in chunks. */
import type { Random } from "../../core/random.ts";
import { createLeavesTexture, type LeavesOptions } from "../../synth/leaves.ts";
import type { TextureScore } from "../../synth/texture.ts";
import { textureVoice, type Voice, type VoiceContext } from "../kit.ts";

export type { LeavesOptions } from "../../synth/leaves.ts";

export function createLeaves(vc: VoiceContext, options: Partial<LeavesOptions>, rng: Random, score: TextureScore): Voice {
  return textureVoice(vc, createLeavesTexture({ rate: vc.context.sampleRate, rng, score }, options));
}
