/**
 * Every texture of an offline mix, played as one: each chunk of story time,
 * the textures are rendered in turn, panned, trimmed and summed here in
 * JavaScript into a dry pair and a reverb-send pair, which the engine plays as
 * two buffers, straight into the master and the reverb; or, when every voice
 * of the mix is a texture, runs the reverb too and plays one. The native
 * graph then holds one or two buffer sources a chunk, where each texture
 * alone would be a source, an output gain and a send gain of its own, and
 * the reverb 32 nodes, all run by the engine in every render quantum
 * (measured: about 5 ms of render per second of audio for a texture voice
 * that plays silence, and as much again for the reverb once sound reaches
 * it). The same sums as the per-voice graph, made in another order.
 *
 * Live, the listener's mixer needs a gain per voice, so the page plays each
 * texture through its own voice graph instead (kit.ts, textureVoice).
 */
import type * as Tone from "tone";
import type { GainFactor } from "../core/units.ts";
import { Reverb } from "../synth/reverb.ts";
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

/**
 * The bus of `members`, played into `dry`. Given `wet`, their reverb send is
 * played there (into the native reverb, when other voices share it); without
 * it, the bus runs the reverb itself (synth/reverb.ts) and adds it to the dry
 * pair: chunks are made in story order, so its state runs on from one to the
 * next as a native reverb's would.
 */
export function createTextureBus(vc: VoiceContext, members: readonly BusMember[], dry: Tone.InputNode, wet?: Tone.InputNode): TextureBus {
  let scratch: [Float32Array, Float32Array] | undefined;
  let sends: [Float32Array, Float32Array] | undefined;
  const reverb = wet ? undefined : new Reverb(vc.context.sampleRate);
  const mix = (channels: readonly Float32Array[], startFrame: number) => {
    const [dryL, dryR] = channels;
    const length = dryL.length;
    if (scratch?.[0].length !== length) scratch = [new Float32Array(length), new Float32Array(length)];
    if (reverb && sends?.[0].length !== length) sends = [new Float32Array(length), new Float32Array(length)];
    const [sendL, sendR] = reverb ? (sends as [Float32Array, Float32Array]) : [channels[2], channels[3]];
    if (reverb) {
      sendL.fill(0);
      sendR.fill(0);
    }
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
    reverb?.process(sendL, sendR, dryL, dryR);
  };
  const chunks = new ChunkSource(vc, TEXTURE_CHUNK, mix, wet ? 2 : 1).fanPair(0, dry);
  if (wet) chunks.fanPair(1, wet);
  return {
    cover(from, to) {
      chunks.cover(from, to);
    },
    dispose() {
      chunks.dispose();
    },
  };
}
