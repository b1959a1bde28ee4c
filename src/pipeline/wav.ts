/**
 * WAV bytes, with no I/O: the header (wav-header.ts: building the one we
 * write, parsing any we read) and the samples (wav-samples.ts: encoding
 * planar floats, with pcm16's dither, and decoding them back).
 * `node/wav-file.ts` streams them to and from disk.
 */
export {
  type ByteRequest,
  RIFF_SIZE_LIMIT,
  type SampleFormat,
  type WavFormat,
  WavFormatError,
  type WavHeader,
  type WavLength,
  assertWavFormat,
  buildWavHeader,
  bytesPerSample,
  parseWavHeader,
  wavFileBytes,
  wavHeaderBytes,
  wavHeaderParser,
} from "./wav-header.ts";
export { DITHER_BLOCK_FRAMES, WavEncoder, checkBlock, decodeSamples } from "./wav-samples.ts";
