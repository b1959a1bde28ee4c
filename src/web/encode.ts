/**
 * Ogg Vorbis and MP3 in the browser, with the command line's encoders and
 * settings (pipeline/codecs.ts): libvorbis and LAME compiled to WebAssembly.
 * Loaded only when such a download is asked for (the module carries the
 * WebAssembly, about 800 kB). Ogg pages get the serial the command line
 * gives them, so the same audio gives the same bytes.
 */
import { createMp3Encoder, createOggEncoder } from "wasm-media-encoders";
import { type Codec, MP3_BITRATE, OGG_QUALITY } from "../pipeline/codecs.ts";
import { OggSerialRewriter } from "../pipeline/ogg-pages.ts";
import { concatBytes } from "../core/bytes.ts";

/** Frames handed to the encoder at a time, as the command line does. */
const ENCODE_FRAMES = 48000;

export interface BlockEncoder {
  /** The bytes for a block of planar stereo (a copy: the encoder reuses its buffer). */
  encode(block: readonly Float32Array[]): Uint8Array<ArrayBuffer>;
  /** The last bytes, once every block has been encoded. */
  finish(): Uint8Array<ArrayBuffer>;
}

export async function openBlockEncoder(codec: Codec, sampleRate: number, serial: number): Promise<BlockEncoder> {
  let encoder: { encode(samples: readonly Float32Array[]): Uint8Array; finalize(): Uint8Array };
  if (codec === "ogg") {
    const ogg = await createOggEncoder();
    ogg.configure({ sampleRate, channels: 2, vbrQuality: OGG_QUALITY });
    encoder = ogg;
  } else {
    const mp3 = await createMp3Encoder();
    mp3.configure({ sampleRate, channels: 2, bitrate: MP3_BITRATE });
    encoder = mp3;
  }
  const pages = codec === "ogg" ? new OggSerialRewriter(serial) : null;
  const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => (pages ? pages.push(bytes).slice() : bytes.slice());
  return {
    encode(block) {
      const parts: Uint8Array<ArrayBuffer>[] = [];
      for (let from = 0; from < block[0].length; from += ENCODE_FRAMES) {
        parts.push(own(encoder.encode(block.map((channel) => channel.subarray(from, from + ENCODE_FRAMES)))));
      }
      return parts.length === 1 ? parts[0] : concatBytes(parts);
    },
    finish() {
      const last = own(encoder.finalize());
      pages?.finish();
      return last;
    },
  };
}
