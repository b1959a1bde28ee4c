/**
 * The melody, drawn in plain TypeScript (synth/motif.ts): the score's
 * phrases and chimes, soft bell-like notes with a faint shimmer, and their
 * echoes.
 */
import type { Random } from "../../core/random.ts";
import { createMotifTexture, type MotifOptions } from "../../synth/motif.ts";
import type { TextureScore } from "../../synth/texture.ts";
import { textureVoice, type Voice, type VoiceContext } from "../kit.ts";

export type { MotifOptions } from "../../synth/motif.ts";

export function createMotif(vc: VoiceContext, options: Partial<MotifOptions>, rng: Random, score: TextureScore): Voice {
  return textureVoice(vc, createMotifTexture({ rate: vc.context.sampleRate, rng, score }, options));
}
