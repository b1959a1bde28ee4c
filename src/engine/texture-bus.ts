/**
 * Every texture of an offline mix, played as one: each chunk of story time,
 * the textures are rendered in turn, panned, trimmed and summed here in
 * JavaScript into a dry pair and a reverb-send pair, which the engine plays as
 * two buffers, straight into the master and the reverb. The native graph then
 * holds two buffer sources a chunk, where each texture alone would be a
 * source, an output gain and a send gain of its own, run by the engine in
 * every render quantum (measured: about 5 ms of render per second of audio
 * for a texture voice that plays silence). The same sums as the per-voice
 * graph, made in another order (float rounding apart).
 *
 * Live, the listener's mixer needs a gain per voice, so the page plays each
 * texture through its own voice graph instead (kit.ts, textureVoice).
 */
import type * as Tone from "tone";
import type { GainFactor } from "../core/units.ts";
import type { Texture } from "../synth/texture.ts";
import { ChunkSource, stereoPan, TEXTURE_CHUNK, type VoiceContext } from "./kit.ts";

/** A texture of the mix, with the preset's trim and pan and its voice's reverb send. */
export interface BusMember {
  texture: Texture;
  trim: GainFactor;
  pan: number;
  send: GainFactor;
}

export interface TextureBus {
  cover(from: number, to: number): void;
  dispose(): void;
}

export function createTextureBus(vc: VoiceContext, members: readonly BusMember[], dry: Tone.InputNode, wet: Tone.InputNode): TextureBus {
  let scratch: [Float32Array, Float32Array] | undefined;
  const chunks = new ChunkSource(
    vc,
    TEXTURE_CHUNK,
    ([dryL, dryR, sendL, sendR], startFrame) => {
      const length = dryL.length;
      if (scratch?.[0].length !== length) scratch = [new Float32Array(length), new Float32Array(length)];
      const [left, right] = scratch;
      for (const { texture, trim, pan, send } of members) {
        left.fill(0);
        right.fill(0);
        texture.render(scratch, startFrame);
        if (pan !== 0) stereoPan(scratch, pan);
        const wetGain = trim * send;
        for (let i = 0; i < length; i++) {
          const l = left[i];
          const r = right[i];
          dryL[i] += l * trim;
          dryR[i] += r * trim;
          sendL[i] += l * wetGain;
          sendR[i] += r * wetGain;
        }
      }
    },
    2,
  )
    .fanPair(0, dry)
    .fanPair(1, wet);
  return {
    cover(from, to) {
      chunks.cover(from, to);
    },
    dispose() {
      chunks.dispose();
    },
  };
}
