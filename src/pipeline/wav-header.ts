/**
 * WAV headers, with no I/O: building the one we write and parsing any we
 * read. `wav-file.ts` does the streaming to and from disk on top of this,
 * and `wav-samples.ts` converts the audio itself.
 *
 * The header we write has the same size whatever the length of the audio,
 * so a streamed file can be finished by patching it in place:
 *
 *   RIFF/WAVE · JUNK (28 bytes) · fmt · [fact, float only] · data
 *
 * The JUNK chunk reserves room for a `ds64` chunk (EBU Tech 3306), so a
 * render that outgrows RIFF's 32-bit sizes becomes RF64 without moving the
 * audio.
 */

/** How each sample is stored: 16- or 24-bit integer PCM, or 32-bit float. */
export type SampleFormat = "pcm16" | "pcm24" | "f32";

/** What a WAV file holds, independent of its length. */
export interface WavFormat {
  /** Frames per second (Hz). */
  sampleRate: number;
  /** Interleaved channels per frame (1 = mono, 2 = stereo). */
  channels: number;
  format: SampleFormat;
}

/** A parsed header: the format plus where the audio is and how long it is. */
export interface WavHeader extends WavFormat {
  /** 'RIFF' for plain WAV, 'RF64' or 'BW64' for 64-bit sizes. */
  container: "RIFF" | "RF64" | "BW64";
  /** Byte offset of the first audio byte in the file. */
  dataOffset: number;
  /** Length of the audio in bytes (whole frames only). */
  dataBytes: number;
  /** Length of the audio in frames (samples per channel). */
  frames: number;
  /** Bytes per frame: channels × bytes per sample. */
  blockAlign: number;
}

/** A file that is not a WAV we can read; the message names the file. */
export class WavFormatError extends Error {
  override name = "WavFormatError";
}

/**
 * What a file read may hold: mono or stereo, at a rate from 8 kHz (the
 * loudness meter's floor) to 384 kHz. Refused from the header, before a
 * sample is read or a buffer sized by its frames is allocated.
 */
export const READ_CHANNELS = { min: 1, max: 2 } as const;
export const READ_RATES = { min: 8000, max: 384_000 } as const;

/** Largest value a 32-bit RIFF size field can hold; beyond it, RF64. */
export const RIFF_SIZE_LIMIT = 0xffffffff;

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
/** The 14 bytes after the 2-byte format tag in a KSDATAFORMAT_SUBTYPE GUID. */
const SUBTYPE_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** ds64 payload: riffSize, dataSize, sampleCount (64-bit each), table length. */
const DS64_BYTES = 28;
const RIFF_HEADER = 12;
const JUNK_CHUNK = 8 + DS64_BYTES;
/** PCM's fmt is the 16-byte WAVEFORMAT; float's is WAVEFORMATEX (cbSize = 0). */
const FMT_PCM_CHUNK = 8 + 16;
const FMT_FLOAT_CHUNK = 8 + 18;
/** Non-PCM formats need a fact chunk (sample count) to be standard-compliant. */
const FACT_CHUNK = 8 + 4;
const DATA_CHUNK_HEADER = 8;

/** Bytes per sample (one channel of one frame). */
export function bytesPerSample(format: SampleFormat): number {
  return format === "pcm16" ? 2 : format === "pcm24" ? 3 : 4;
}

/** Size in bytes of the header we write for this format (the data offset). */
export function wavHeaderBytes(format: SampleFormat): number {
  return format === "f32"
    ? RIFF_HEADER + JUNK_CHUNK + FMT_FLOAT_CHUNK + FACT_CHUNK + DATA_CHUNK_HEADER
    : RIFF_HEADER + JUNK_CHUNK + FMT_PCM_CHUNK + DATA_CHUNK_HEADER;
}

/** Throws a RangeError unless the format can be written. */
export function assertWavFormat(fmt: WavFormat): void {
  const { sampleRate, channels, format } = fmt;
  if (format !== "pcm16" && format !== "pcm24" && format !== "f32") {
    throw new RangeError(`unknown sample format ${JSON.stringify(format)} (use pcm16, pcm24 or f32)`);
  }
  // byteRate is a 32-bit field and blockAlign a 16-bit one.
  if (!Number.isInteger(channels) || channels < 1 || channels * bytesPerSample(format) > 0xffff) {
    throw new RangeError(`channel count must be a whole number from 1 up, got ${channels}`);
  }
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate * channels * bytesPerSample(format) > 0xffffffff) {
    throw new RangeError(`sample rate must be a positive whole number of Hz, got ${sampleRate}`);
  }
}

/** Sizes the header needs once the length is known. */
export interface WavLength {
  /** Audio bytes written (whole frames; excludes the pad byte). */
  dataBytes: number;
  /** Frames written (samples per channel). */
  frames: number;
  /**
   * Largest RIFF size (bytes) still written as plain RIFF. Defaults to
   * RIFF_SIZE_LIMIT; tests lower it to force the RF64 layout on small files.
   */
  rf64Threshold?: number;
}

/**
 * Total file size in bytes for this much audio, including the pad byte that
 * RIFF requires after an odd-length data chunk.
 */
export function wavFileBytes(format: SampleFormat, dataBytes: number): number {
  return wavHeaderBytes(format) + dataBytes + (dataBytes & 1);
}

/**
 * Builds the header for a file holding `length` of audio. With no length
 * (or a zero one) it is the placeholder the writer puts down first.
 */
export function buildWavHeader(fmt: WavFormat, length?: WavLength): Uint8Array {
  assertWavFormat(fmt);
  const { sampleRate, channels, format } = fmt;
  const size = wavHeaderBytes(format);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  const float = format === "f32";
  const bits = bytesPerSample(format) * 8;
  const blockAlign = channels * bytesPerSample(format);

  // A placeholder claims "unknown length" (0xFFFFFFFF) rather than zero, so
  // the .part file of a crashed render still opens in lenient readers.
  const dataBytes = length?.dataBytes ?? RIFF_SIZE_LIMIT;
  const frames = length?.frames ?? RIFF_SIZE_LIMIT;
  const riffSize = size - 8 + dataBytes + (dataBytes & 1);
  const rf64 = length !== undefined && riffSize > (length.rf64Threshold ?? RIFF_SIZE_LIMIT);
  const u32 = (n: number): number => (length === undefined || rf64 ? RIFF_SIZE_LIMIT : n);

  let p = 0;
  const tag = (id: string): void => {
    for (let i = 0; i < 4; i++) bytes[p + i] = id.charCodeAt(i);
    p += 4;
  };
  const le32 = (n: number): void => {
    view.setUint32(p, n, true);
    p += 4;
  };
  const le16 = (n: number): void => {
    view.setUint16(p, n, true);
    p += 2;
  };
  const le64 = (n: number): void => {
    view.setUint32(p, n % 4294967296, true);
    view.setUint32(p + 4, Math.floor(n / 4294967296), true);
    p += 8;
  };

  tag(rf64 ? "RF64" : "RIFF");
  le32(u32(riffSize));
  tag("WAVE");
  if (rf64) {
    tag("ds64");
    le32(DS64_BYTES);
    le64(riffSize);
    le64(dataBytes);
    le64(frames);
    le32(0); // no table: no other chunk is over 4 GiB
  } else {
    tag("JUNK");
    le32(DS64_BYTES);
    p += DS64_BYTES; // zeros
  }
  tag("fmt ");
  le32(float ? 18 : 16);
  le16(float ? FORMAT_FLOAT : FORMAT_PCM);
  le16(channels);
  le32(sampleRate);
  le32(sampleRate * blockAlign);
  le16(blockAlign);
  le16(bits);
  if (float) {
    le16(0); // cbSize
    tag("fact");
    le32(4);
    // EBU 3306: in RF64 the fact count is -1 and the real one is in ds64.
    le32(rf64 ? RIFF_SIZE_LIMIT : Math.min(frames, RIFF_SIZE_LIMIT));
  }
  tag("data");
  le32(u32(dataBytes));
  return bytes;
}

// ---------------------------------------------------------------------------
// Header parsing

/** A request from the header parser: "give me `length` bytes at `offset`". */
export interface ByteRequest {
  offset: number;
  length: number;
}

/**
 * Walks a WAV file's chunks up to the start of its audio, asking for bytes
 * as it goes (yield a request, receive the bytes, possibly fewer at end of
 * file). Being a coroutine keeps it free of I/O: `parseWavHeader` feeds it
 * from memory, `wav-file.ts` from a file handle, and neither has to read
 * past unknown chunks (a large LIST or a cover image) to find the audio.
 *
 * Reads RIFF and RF64/BW64 (ds64), skips unknown chunks, and accepts
 * WAVE_FORMAT_EXTENSIBLE with PCM or float subformats.
 *
 * @param name - how to name the file in error messages.
 * @param fileBytes - total file size in bytes.
 */
export function* wavHeaderParser(name: string, fileBytes: number): Generator<ByteRequest, WavHeader, Uint8Array> {
  const fail: Fail = (problem) => {
    throw new WavFormatError(`cannot read ${name}: ${problem}`);
  };
  const read: Read = function* (offset, length) {
    const got = yield { offset, length };
    if (got.length < length) fail("it is truncated (it ends inside its header)");
    return new DataView(got.buffer, got.byteOffset, length);
  };

  if (fileBytes < RIFF_HEADER) fail(`it is too short to be a WAV file (${fileBytes} bytes)`);
  const riff = yield* read(0, RIFF_HEADER);
  const container = tagAt(riff, 0);
  if (container !== "RIFF" && container !== "RF64" && container !== "BW64") {
    fail(`it is not a WAV file (it starts with ${printable(riff, 0)}, not "RIFF" or "RF64")`);
  }
  if (tagAt(riff, 8) !== "WAVE") fail(`it is a RIFF file but not a WAVE (its type is ${printable(riff, 8)})`);

  let ds64: Ds64 | undefined;
  let fmt: FmtChunk | undefined;
  let at = RIFF_HEADER;
  for (;;) {
    if (at + 8 > fileBytes) fail(fmt ? "it has no data chunk" : "it has no fmt chunk");
    const head = yield* read(at, 8);
    const id = tagAt(head, 0);
    let size = head.getUint32(4, true);
    const body = at + 8;

    if (id === "ds64") {
      if (container === "RIFF") fail("it has a ds64 chunk but is not an RF64 file");
      ds64 = yield* readDs64(read, fail, body, size);
    } else if (container !== "RIFF" && !ds64) {
      fail("it is an RF64 file whose first chunk is not ds64");
    }

    if (size === RIFF_SIZE_LIMIT && ds64) {
      size = id === "data" ? ds64.dataBytes : (ds64.table.get(id) ?? size);
    }

    if (id === "fmt ") {
      if (size < 16) fail(`its fmt chunk is too short (${size} bytes)`);
      const v = yield* read(body, Math.min(size, 40));
      fmt = parseFmt(v, size, fail);
    } else if (id === "data") {
      if (!fmt) fail("its audio data comes before its fmt chunk");
      return dataHeader(container as WavHeader["container"], fmt!, { body, size, fileBytes }, fail);
    }
    at = body + size + (size & 1);
  }
}

type Fail = (problem: string) => never;
type Read = (offset: number, length: number) => Generator<ByteRequest, DataView, Uint8Array>;

/** A ds64 chunk's 64-bit sizes: the data chunk's, and those of the other chunks it lists. */
interface Ds64 {
  dataBytes: number;
  table: Map<string, number>;
}

/** What the fmt chunk says. */
interface FmtChunk {
  format: SampleFormat;
  channels: number;
  sampleRate: number;
  blockAlign: number;
}

function tagAt(view: DataView, at: number): string {
  return String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
}

function u64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 4294967296;
}

/** Reads a ds64 chunk of `size` bytes whose body starts at `body`. */
function* readDs64(read: Read, fail: Fail, body: number, size: number): Generator<ByteRequest, Ds64, Uint8Array> {
  if (size < DS64_BYTES) fail(`its ds64 chunk is too short (${size} bytes)`);
  const v = yield* read(body, DS64_BYTES);
  const count = v.getUint32(24, true);
  const table = new Map<string, number>();
  if (count > 0) {
    if (size < DS64_BYTES + count * 12) fail("its ds64 table is longer than its chunk");
    const t = yield* read(body + DS64_BYTES, count * 12);
    for (let k = 0; k < count; k++) table.set(tagAt(t, k * 12), u64(t, k * 12 + 4));
  }
  return { dataBytes: u64(v, 8), table };
}

/** The header, once the data chunk (body at `body`, `size` bytes by its header) is found. */
function dataHeader(
  container: WavHeader["container"],
  fmt: FmtChunk,
  chunk: { body: number; size: number; fileBytes: number },
  fail: Fail,
): WavHeader {
  const { body, size } = chunk;
  const available = chunk.fileBytes - body;
  let dataBytes = size;
  if (container === "RIFF" && size === RIFF_SIZE_LIMIT) {
    // Streamed by a writer that could not seek back: audio runs to the end.
    dataBytes = available;
  } else if (size > available) {
    fail(`it is truncated (its data chunk declares ${size} bytes but only ${available} follow)`);
  }
  const { blockAlign } = fmt;
  const frames = Math.floor(dataBytes / blockAlign);
  return {
    container,
    sampleRate: fmt.sampleRate,
    channels: fmt.channels,
    format: fmt.format,
    blockAlign,
    dataOffset: body,
    dataBytes: frames * blockAlign,
    frames,
  };
}

function parseFmt(v: DataView, size: number, fail: Fail): FmtChunk {
  let tag = v.getUint16(0, true);
  const channels = v.getUint16(2, true);
  const sampleRate = v.getUint32(4, true);
  const blockAlign = v.getUint16(12, true);
  const bits = v.getUint16(14, true);
  if (tag === FORMAT_EXTENSIBLE) {
    if (size < 40 || v.getUint16(16, true) < 22) fail("its WAVE_FORMAT_EXTENSIBLE fmt chunk is too short");
    tag = v.getUint16(24, true);
    for (let i = 0; i < SUBTYPE_GUID_TAIL.length; i++) {
      if (v.getUint8(26 + i) !== SUBTYPE_GUID_TAIL[i]) fail("its WAVE_FORMAT_EXTENSIBLE subformat is not PCM or float");
    }
  }
  let format: SampleFormat | undefined;
  if (tag === FORMAT_PCM && bits === 16) format = "pcm16";
  else if (tag === FORMAT_PCM && bits === 24) format = "pcm24";
  else if (tag === FORMAT_FLOAT && bits === 32) format = "f32";
  else {
    const kind = tag === FORMAT_PCM ? "integer PCM" : tag === FORMAT_FLOAT ? "float" : `format tag 0x${tag.toString(16)}`;
    fail(`its samples are ${bits}-bit ${kind}, and only 16/24-bit PCM and 32-bit float are supported`);
  }
  if (channels < 1) fail("its fmt chunk says it has no channels");
  if (channels > READ_CHANNELS.max) fail(`it has ${channels} channels; only mono and stereo files are read`);
  if (sampleRate < READ_RATES.min || sampleRate > READ_RATES.max) {
    fail(`its sample rate is ${sampleRate} Hz; only ${READ_RATES.min} to ${READ_RATES.max} Hz is read`);
  }
  if (blockAlign !== channels * bytesPerSample(format!)) {
    fail(`its fmt chunk's block align (${blockAlign}) does not match ${channels} channel(s) of ${bits}-bit samples`);
  }
  return { format: format!, channels, sampleRate, blockAlign };
}

/** A 4-byte tag as text safe to show, e.g. "RIFF" or "\x00\x00\x01\xba". */
function printable(view: DataView, at: number): string {
  let text = "";
  for (let i = 0; i < 4; i++) {
    const b = view.getUint8(at + i);
    text += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return `"${text}"`;
}

/**
 * Parses the header of a WAV file held in memory.
 * @param bytes - the file (at least up to the start of its audio).
 * @param name - how to name the file in error messages.
 * @param fileBytes - the whole file's size, if `bytes` is only its start.
 */
export function parseWavHeader(bytes: Uint8Array, name: string, fileBytes = bytes.length): WavHeader {
  const parser = wavHeaderParser(name, fileBytes);
  let step = parser.next();
  while (!step.done) {
    const { offset, length } = step.value;
    step = parser.next(bytes.subarray(offset, offset + length));
  }
  return step.value;
}
