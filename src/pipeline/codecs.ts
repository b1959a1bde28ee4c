/**
 * The compressed formats' settings, the same for the command line
 * (node/encoders.ts) and the page's downloads (web/encode.ts), which both run
 * libvorbis and LAME compiled to WebAssembly (wasm-media-encoders).
 */

/** A compressed format. */
export type Codec = "ogg" | "mp3";

/** Vorbis quality (-1 to 10): 5 comes to about 115 kb/s on Reverie's soundscapes. */
export const OGG_QUALITY = 5;
/** MP3 bit rate, in kb/s (constant). */
export const MP3_BITRATE = 128;
/** About how many bits a second each codec writes, for a size shown before rendering. */
export const CODEC_BITS_PER_SECOND: Record<Codec, number> = { ogg: 115_000, mp3: MP3_BITRATE * 1000 };
