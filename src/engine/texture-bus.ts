/**
 * Every voice of an offline mix, played as one: each chunk of story time,
 * the voices' textures are rendered in turn, panned, trimmed and summed here
 * in JavaScript into a dry pair and a reverb-send pair, the reverb runs over
 * the send into the dry pair, and the engine plays that as one buffer into
 * the master. The native graph then holds one buffer source a chunk, where
 * each voice alone would be a source, an output gain and a send gain of its
 * own, and the reverb 32 nodes, all run by the engine in every render quantum
 * (measured: about 5 ms of render per second of audio for a texture voice
 * that plays silence, and as much again for the reverb once sound reaches
 * it). The same sums as the per-voice graph, made in another order.
 *
 * Live, the listener's mixer needs a gain per voice, so the page plays each
 * voice through its own graph instead (kit.ts, textureVoice).
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
 * The bus of `members`, played into `dry`, the reverb (synth/reverb.ts) run
 * over their send and added in: chunks are made in story order, so its state
 * runs on from one to the next as a native reverb's would.
 */
export function createTextureBus(vc: VoiceContext, members: readonly BusMember[], dry: Tone.InputNode): TextureBus {
  let scratch: [Float32Array, Float32Array] | undefined;
  let sends: [Float32Array, Float32Array] | undefined;
  const reverb = new Reverb(vc.context.sampleRate);
  const mix = ([dryL, dryR]: readonly Float32Array[], startFrame: number) => {
    const length = dryL.length;
    if (scratch?.[0].length !== length) scratch = [new Float32Array(length), new Float32Array(length)];
    if (sends?.[0].length !== length) sends = [new Float32Array(length), new Float32Array(length)];
    const [sendL, sendR] = sends;
    sendL.fill(0);
    sendR.fill(0);
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
    reverb.process(sendL, sendR, dryL, dryR);
  };
  const chunks = new ChunkSource(vc, TEXTURE_CHUNK, mix).fan(dry);
  return {
    cover(from, to) {
      chunks.cover(from, to);
    },
    dispose() {
      chunks.dispose();
    },
  };
}
