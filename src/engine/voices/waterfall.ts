/** The distant waterfall, a texture (src/synth/waterfall.ts) played by the engine in chunks. */
import type { Random } from "../../core/random.ts";
import type { TextureScore } from "../../synth/texture.ts";
import { waterfallTexture, type WaterfallOptions } from "../../synth/waterfall.ts";
import { textureVoice, type Voice, type VoiceContext } from "../kit.ts";

export function createWaterfall(vc: VoiceContext, options: Partial<WaterfallOptions>, rng: Random, score: TextureScore): Voice {
  return textureVoice(vc, waterfallTexture({ rate: vc.context.sampleRate, rng, score }, options));
}
