/**
 * WAV samples, with no I/O: planar float blocks to interleaved
 * little-endian bytes (with pcm16's dither) and back.
 */

import { mix } from "../core/random.ts";
import { assertWavFormat, bytesPerSample, type WavFormat } from "./wav-header.ts";

/** Dither is keyed per run of this many absolute frames (see ditherStream). */
export const DITHER_BLOCK_FRAMES = 4096;

/**
 * Typed-array stores are several times faster than DataView's (measured:
 * ~4 ns vs ~12 ns a sample) but use the host's byte order; on a big-endian
 * host the encoder swaps bytes afterwards.
 */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Encodes planar float blocks into interleaved little-endian WAV samples,
 * keeping count of the absolute frame index that pcm16's dither is keyed on.
 */
export class WavEncoder {
  /** Absolute index of the next frame to encode. */
  frame = 0;
  /** Bytes per frame. */
  readonly blockAlign: number;
  private buffer = new Uint8Array(0);
  private readonly ditherKey: number;

  /**
   * @param fmt - the format to encode to.
   * @param ditherKey - 32-bit seed for pcm16's dither; the same key and audio
   *   always give the same bytes, however the audio is split into blocks.
   */
  constructor(
    readonly fmt: WavFormat,
    ditherKey = 0,
  ) {
    assertWavFormat(fmt);
    this.ditherKey = ditherKey >>> 0;
    this.blockAlign = fmt.channels * bytesPerSample(fmt.format);
  }

  /**
   * Encodes one block (one Float32Array per channel, all the same length) and
   * advances `frame`. Returns a view of a buffer kept between calls (so a
   * steady stream of blocks allocates nothing), valid until the next call.
   */
  encode(channels: readonly Float32Array[]): Uint8Array {
    const frames = checkBlock(channels, this.fmt.channels);
    const bytes = frames * this.blockAlign;
    if (this.buffer.length < bytes) this.buffer = new Uint8Array(bytes);
    this.encodeRaw(channels, frames, this.buffer.buffer, 0);
    if (!LITTLE_ENDIAN_HOST) swapBytes(this.buffer, bytes, bytesPerSample(this.fmt.format));
    return this.buffer.subarray(0, bytes);
  }

  /**
   * Encodes one block into `out` at `byteOffset` and advances `frame`.
   * @returns the number of bytes written (frames × blockAlign).
   */
  encodeInto(channels: readonly Float32Array[], out: Uint8Array, byteOffset: number): number {
    const frames = checkBlock(channels, this.fmt.channels);
    const bytes = frames * this.blockAlign;
    if (byteOffset + bytes > out.length) {
      throw new RangeError(`a block of ${bytes} bytes does not fit at offset ${byteOffset} of ${out.length}`);
    }
    const start = out.byteOffset + byteOffset;
    const width = bytesPerSample(this.fmt.format);
    if (LITTLE_ENDIAN_HOST && (width === 3 || start % width === 0)) {
      this.encodeRaw(channels, frames, out.buffer, start);
    } else {
      out.set(this.encode(channels), byteOffset);
    }
    return bytes;
  }

  /** Encodes in host byte order into `dst` at `start` (aligned for the width). */
  private encodeRaw(channels: readonly Float32Array[], frames: number, dst: ArrayBufferLike, start: number): void {
    const { format } = this.fmt;
    const n = channels.length;
    const samples = frames * n;
    for (let c = 0; c < n; c++) {
      const src = channels[c]!;
      if (format === "pcm16") {
        encodePcm16(src, frames, new Int16Array(dst, start, samples), c, n, this.ditherKey, this.frame);
      } else if (format === "pcm24") {
        encodePcm24(src, frames, new Uint8Array(dst, start, samples * 3), c, n);
      } else {
        const out = new Float32Array(dst, start, samples);
        for (let i = 0, p = c; i < frames; i++, p += n) out[p] = clamp1(src[i]!);
      }
    }
    this.frame += frames;
  }
}

/** Reverses each `width`-byte sample in place (little- to big-endian or back). */
function swapBytes(bytes: Uint8Array, length: number, width: number): void {
  if (width === 3) return; // pcm24 is written byte by byte, already little-endian
  for (let p = 0; p < length; p += width) bytes.subarray(p, p + width).reverse();
}

/** Validates a planar block and returns its length in frames. */
export function checkBlock(channels: readonly Float32Array[], expected: number): number {
  if (channels.length !== expected) {
    throw new RangeError(`expected ${expected} channel(s) per block, got ${channels.length}`);
  }
  const frames = channels[0]!.length;
  for (let c = 1; c < channels.length; c++) {
    if (channels[c]!.length !== frames) {
      throw new RangeError(
        `all channels of a block must be the same length (channel 0 has ${frames} frames, channel ${c} has ${channels[c]!.length})`,
      );
    }
  }
  return frames;
}

/**
 * Clamps to [-1, 1]. NaN becomes silence: a bug upstream should give a gap,
 * not a full-scale click in someone's headphones at 3 a.m.
 */
function clamp1(x: number): number {
  return x > 1 ? 1 : x < -1 ? -1 : Number.isNaN(x) ? 0 : x;
}

/**
 * 16-bit PCM with TPDF dither: the sum of two uniform values spans ±1 LSB
 * with a triangular density, which makes the quantisation error independent
 * of the signal (no distortion on quiet fades, just a flat -96 dBFS hiss).
 *
 * Each run of DITHER_BLOCK_FRAMES frames has its own sfc32 stream keyed on
 * (key, run index, channel), drawing one value per frame, so the value for
 * a frame depends only on where it is, never on how writes were chunked.
 * The generator is sfc32 (core/random.ts) unrolled here with its state in
 * locals: the same values, several times faster than calling it per frame,
 * and the generator was most of the encoder's time.
 */
function encodePcm16(
  src: Float32Array,
  frames: number,
  dst: Int16Array,
  channel: number,
  channels: number,
  key: number,
  startFrame: number,
): void {
  let i = 0;
  while (i < frames) {
    const frame = startFrame + i;
    const run = Math.floor(frame / DITHER_BLOCK_FRAMES);
    let a = 0x9e3779b9 | 0;
    let b = 0x243f6a88 | 0;
    let c = 0xb7e15162 | 0;
    let d = mix(key, run, channel) | 0;
    let t = 0;
    // The generator's 12 warm-up draws, then the frames of this run before `frame`.
    for (let skip = 12 + frame - run * DITHER_BLOCK_FRAMES; skip > 0; skip--) {
      t = (a + b) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      d = (d + 1) | 0;
      t = (t + d) | 0;
      c = (c + t) | 0;
    }
    // Up to the end of this dither run or of the block, whichever is first.
    const runEnd = Math.min(frames, i + DITHER_BLOCK_FRAMES - (frame % DITHER_BLOCK_FRAMES));
    for (let p = i * channels + channel; i < runEnd; i++, p += channels) {
      t = (a + b) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      d = (d + 1) | 0;
      t = (t + d) | 0;
      c = (c + t) | 0;
      // One draw split into two 16-bit uniforms: 1/65536 LSB is ample resolution for dither.
      const bits = t >>> 0;
      const y = clamp1(src[i]!) * 32768 + ((bits >>> 16) + (bits & 0xffff)) / 65536 - 1;
      // Round half up, on integers: y + 65536.5 is positive, so `| 0` floors.
      const v = ((y + 65536.5) | 0) - 65536;
      // v is a whole number (never NaN), so the comparisons clamp it exactly.
      dst[p] = Math.min(Math.max(v, -32768), 32767);
    }
  }
}

/**
 * 24-bit PCM, rounded to nearest without dither: its quantisation noise sits
 * near -144 dBFS, far below hearing and below any real playback chain's own
 * noise floor, so dither would only add noise.
 */
function encodePcm24(src: Float32Array, frames: number, out: Uint8Array, channel: number, channels: number): void {
  for (let i = 0, p = channel * 3, stride = channels * 3; i < frames; i++, p += stride) {
    let v = Math.round(clamp1(src[i]!) * 8388608);
    if (v > 8388607) v = 8388607;
    out[p] = v;
    out[p + 1] = v >> 8;
    out[p + 2] = v >> 16;
  }
}

// ---------------------------------------------------------------------------
// Decoding

/**
 * Decodes interleaved samples into planar floats in [-1, 1). Integer PCM is
 * scaled by 1/32768 (16-bit) or 1/8388608 (24-bit), the inverse of the
 * encoder, so a round trip errs by at most one quantisation step.
 *
 * @param bytes - whole frames of interleaved samples (a trailing partial
 *   frame is ignored).
 * @param out - optional planar arrays to fill (each at least `frames` long).
 */
export function decodeSamples(bytes: Uint8Array, fmt: Pick<WavFormat, "channels" | "format">, out?: Float32Array[]): Float32Array[] {
  const { channels, format } = fmt;
  const width = bytesPerSample(format);
  const stride = channels * width;
  const frames = Math.floor(bytes.length / stride);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = out ?? Array.from({ length: channels }, () => new Float32Array(frames));
  for (let c = 0; c < channels; c++) {
    const dst = data[c]!;
    let p = c * width;
    if (format === "pcm16") {
      for (let i = 0; i < frames; i++, p += stride) dst[i] = view.getInt16(p, true) / 32768;
    } else if (format === "pcm24") {
      for (let i = 0; i < frames; i++, p += stride) {
        dst[i] = (view.getUint8(p) | (view.getInt16(p + 1, true) << 8)) / 8388608;
      }
    } else {
      for (let i = 0; i < frames; i++, p += stride) dst[i] = view.getFloat32(p, true);
    }
  }
  return data;
}
