/**
 * The harmonic pad, drawn in plain TypeScript (synth/pad.ts): the score's
 * chords, each note a pair of detuned oscillators through a dark and an open
 * lowpass crossfaded by brightness, and swells.
 */
import type { Random } from "../../core/random.ts";
import { createPadTexture, type PadOptions } from "../../synth/pad.ts";
import type { TextureScore } from "../../synth/texture.ts";
import { textureVoice, type Voice, type VoiceContext } from "../kit.ts";

export type { PadOptions } from "../../synth/pad.ts";

export function createPad(vc: VoiceContext, options: Partial<PadOptions>, rng: Random, score: TextureScore): Voice {
  return textureVoice(vc, createPadTexture({ rate: vc.context.sampleRate, rng, score }, options));
}
