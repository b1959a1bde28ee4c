/**
 * WAV files on disk: a streamed writer that never leaves a half-written file
 * at the target (an AtomicFile: it writes `.name.pid.n.part` beside it and
 * renames when done), a check that the output path is usable before hours of rendering
 * go into it, and readers for small and long files.
 */

import { constants } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { access, open, stat, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { AtomicFile, type InputOfRender, type OutputFile, targetRefusal, type Written } from "./atomic-file.ts";
import { STANDARD_OUTPUT, StdoutSink } from "./stdout-sink.ts";
import { describeFileError, errorCode, tempPathBeside } from "./files.ts";
import { openRegularFile } from "./input-file.ts";
import type { SampleFormat, WavFormat, WavHeader, WavLength } from "../pipeline/wav.ts";
import {
  WavEncoder,
  WavFormatError,
  assertWavFormat,
  buildWavHeader,
  checkBlock,
  decodeSamples,
  parseWavHeader,
  wavFileBytes,
  wavHeaderBytes,
  wavHeaderParser,
} from "../pipeline/wav.ts";

export type { SampleFormat } from "../pipeline/wav.ts";
export { WavFormatError } from "../pipeline/wav.ts";

/** The output path cannot be written; the message names the path and why. */
export class OutputPathError extends Error {
  override name = "OutputPathError";
}

/** Writing the file failed (disk full, directory gone…); nothing was left behind. */
export class WavWriteError extends Error {
  override name = "WavWriteError";
}

/** Options for {@link openWavWriter}. */
export interface WavWriterOptions {
  /** Frames per second (Hz), e.g. 44100 or 48000. */
  sampleRate: number;
  /** 1 for mono, 2 for stereo. */
  channels: number;
  format: SampleFormat;
  /** 32-bit seed of pcm16's dither (default 0); same key, same bytes. */
  ditherKey?: number;
  /**
   * Largest RIFF size in bytes kept as plain WAV before switching to RF64
   * (default 0xFFFFFFFF, the format's limit). Only tests should lower it.
   */
  rf64Threshold?: number;
  /**
   * Frames that will be written. Required for standard output (`-`), which
   * cannot seek back: its header, with these sizes, goes first.
   */
  frames?: number;
}

/** A WAV file being streamed to disk (or to standard output). */
export interface WavWriter {
  /** Where the finished file will be. */
  readonly path: string;
  /** The temporary file being written, beside `path`. */
  readonly tempPath: string;
  /** Frames (samples per channel) accepted so far. */
  readonly frames: number;
  /**
   * Appends one block: one Float32Array per channel, all the same length,
   * samples in [-1, 1] (clamped beyond). Calls are queued in order; don't
   * modify a block until its promise resolves. If it rejects, the writer has
   * already aborted itself and removed its temporary file.
   */
  write(channels: readonly Float32Array[]): Promise<void>;
  /**
   * Patches the header with the final sizes (RF64 if beyond 4 GiB), syncs,
   * closes and renames the file onto `path`, replacing any file there.
   * @returns the file's size in bytes and its length in frames.
   */
  finish(): Promise<{ bytes: number; frames: number }>;
  /**
   * Closes and deletes the temporary file; `path` is left untouched. Safe to
   * call twice, after a failed write, or after `finish` (then it does nothing).
   */
  abort(): Promise<void>;
}

/** Format and length of a WAV file. */
export interface WavInfo extends WavFormat {
  /** Length in frames (samples per channel). */
  frames: number;
}

/** A whole WAV file decoded to planar floats in [-1, 1]. */
export interface WavData extends WavInfo {
  /** One array per channel, each `frames` long. */
  data: Float32Array[];
}

/** One block of a streamed read. */
export interface WavBlock {
  info: WavInfo;
  /** Index of the block's first frame in the file. */
  startFrame: number;
  /** One array per channel, all the same length (≤ the requested block size). */
  data: Float32Array[];
}

/** Encoded audio is gathered into writes of about this size (bytes). */
const WRITE_CHUNK_BYTES = 1 << 20;

/**
 * Checks, before anything is rendered, that `targetPath` can be written: its
 * directory exists, is a directory and is writable, and the target is the
 * render's to replace (see {@link targetRefusal}: nothing, or a regular file
 * the user may write, and none of `inputs`). Writability of the directory is
 * proven by creating and removing a probe file, since permission bits lie to
 * root and say nothing of read-only mounts or a disk out of inodes.
 * @throws OutputPathError with one sentence naming the path and the problem.
 */
export async function checkOutputPath(targetPath: string, inputs: readonly InputOfRender[] = []): Promise<void> {
  const dir = dirname(targetPath);
  const problem = (text: string, cause?: unknown): OutputPathError => new OutputPathError(`cannot write ${targetPath}: ${text}`, { cause });
  if (targetPath === "") throw new OutputPathError("cannot write to an empty file name");

  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw problem(`${dir} is not a directory`);
  } catch (err) {
    if (err instanceof OutputPathError) throw err;
    const code = errorCode(err);
    if (code === "ENOENT") throw problem(`the directory ${dir} does not exist`, err);
    if (code === "ENOTDIR") throw problem(`${dir} is not a directory`, err);
    throw problem(`the directory ${dir} cannot be accessed (${describeFileError(err)})`, err);
  }

  const refusal = await targetRefusal(targetPath, inputs);
  if (refusal) throw problem(refusal);

  const probe = tempPathBeside(targetPath, "probe");
  try {
    await access(dir, constants.W_OK);
    await (await open(probe, "wx")).close();
  } catch (err) {
    const code = errorCode(err);
    // A full disk (of space or of inodes) is no matter of permission: say which it is.
    if (code === "ENOSPC" || code === "EDQUOT") throw problem(describeFileError(err), err);
    const why = code === "EROFS" ? " (it is on a read-only file system)" : "";
    throw problem(`the directory ${dir} is not writable${why}`, err);
  }
  await unlink(probe).catch(() => undefined);
}

/**
 * Opens a streamed WAV writer for `targetPath`. Checks the path first (see
 * {@link checkOutputPath}), then writes a placeholder header to a temporary
 * file beside the target, so the final rename is atomic.
 * @throws OutputPathError if the path is unusable, RangeError on bad options.
 */
export async function openWavWriter(targetPath: string, opts: WavWriterOptions): Promise<WavWriter> {
  const fmt: WavFormat = { sampleRate: opts.sampleRate, channels: opts.channels, format: opts.format };
  assertWavFormat(fmt);
  if (targetPath === STANDARD_OUTPUT) {
    if (opts.frames === undefined) throw new RangeError("a WAV on standard output needs its length in frames first");
    const writer = new StreamedWavWriter(new StdoutSink((message, options) => new WavWriteError(message, options)), fmt, opts);
    await writer.start();
    return writer;
  }
  await checkOutputPath(targetPath);
  const file = await AtomicFile.open(
    targetPath,
    (message, options) => new WavWriteError(message, options),
    (message, options) => new OutputPathError(message, options),
  );
  const writer = new StreamedWavWriter(file, fmt, opts);
  await writer.start();
  return writer;
}

class StreamedWavWriter implements WavWriter {
  private readonly encoder: WavEncoder;
  private readonly headerBytes: number;
  /** Encoded audio not yet written; offset 0 is aligned for typed stores. */
  private staging = new Uint8Array(WRITE_CHUNK_BYTES);
  private pending = 0;
  /** Audio bytes already on disk. */
  private written = 0;

  constructor(
    private readonly file: OutputFile,
    private readonly fmt: WavFormat,
    private readonly opts: WavWriterOptions,
  ) {
    this.encoder = new WavEncoder(fmt, opts.ditherKey ?? 0);
    this.headerBytes = wavHeaderBytes(fmt.format);
  }

  get path(): string {
    return this.file.path;
  }

  get tempPath(): string {
    return this.file.tempPath;
  }

  get frames(): number {
    return this.encoder.frame;
  }

  /** Puts down the placeholder header, or on standard output the final one. */
  start(): Promise<void> {
    return this.file.run(() => this.file.writeAt(buildWavHeader(this.fmt, this.file.seekable ? undefined : this.announced()), 0));
  }

  /** The sizes of the whole file, from the frames it will hold. */
  private announced(): WavLength {
    const frames = this.opts.frames ?? 0;
    return { dataBytes: frames * this.encoder.blockAlign, frames, rf64Threshold: this.opts.rf64Threshold };
  }

  write(channels: readonly Float32Array[]): Promise<void> {
    return this.file.run(async () => {
      const bytes = checkBlock(channels, this.fmt.channels) * this.encoder.blockAlign;
      if (this.pending + bytes > this.staging.length) await this.flush();
      if (bytes > this.staging.length) this.staging = new Uint8Array(bytes);
      this.pending += this.encoder.encodeInto(channels, this.staging, this.pending);
    });
  }

  finish(): Promise<Written> {
    return this.file.finish(async () => {
      await this.flush();
      const dataBytes = this.written;
      // RIFF chunks are word-aligned: an odd-length data chunk gets a pad byte.
      if (dataBytes & 1) await this.file.writeAt(new Uint8Array(1), this.headerBytes + dataBytes);
      if (this.file.seekable) {
        const length = { dataBytes, frames: this.frames, rf64Threshold: this.opts.rf64Threshold };
        await this.file.writeAt(buildWavHeader(this.fmt, length), 0);
      } else if (this.frames !== this.opts.frames) {
        throw new RangeError(`${this.frames} frames were written after a header announcing ${this.opts.frames}`);
      }
      return { bytes: wavFileBytes(this.fmt.format, dataBytes), frames: this.frames };
    });
  }

  abort(): Promise<void> {
    return this.file.abort();
  }

  private async flush(): Promise<void> {
    if (this.pending === 0) return;
    await this.file.writeAt(this.staging.subarray(0, this.pending), this.headerBytes + this.written);
    this.written += this.pending;
    this.pending = 0;
  }
}

// ---------------------------------------------------------------------------
// Reading

/**
 * Reads a whole WAV file into memory (for tests and analysis of short files;
 * use {@link readWavBlocks} for long ones). Reads RIFF and RF64, 16/24-bit
 * PCM and 32-bit float, plain or WAVE_FORMAT_EXTENSIBLE.
 * @throws WavFormatError naming the file if it is not a WAV we can read.
 */
export async function readWavFile(path: string): Promise<WavData> {
  const { handle } = await openRegularFile(path);
  let bytes: Uint8Array;
  try {
    bytes = await handle.readFile();
  } catch (err) {
    throw new Error(`cannot read ${path}: ${describeFileError(err)}`, { cause: err });
  } finally {
    await handle.close();
  }
  const header = parseWavHeader(bytes, path);
  const audio = bytes.subarray(header.dataOffset, header.dataOffset + header.dataBytes);
  return { ...infoOf(header), data: decodeSamples(audio, header) };
}

/**
 * Streams a WAV file as planar blocks of at most `blockFrames` frames, in
 * flat memory however long the file. Each block is freshly allocated, so
 * it may be kept. A file with no audio yields nothing.
 * @param blockFrames - frames per block (default 65536).
 * @throws WavFormatError naming the file if it is not a WAV we can read.
 */
export async function* readWavBlocks(path: string, blockFrames = 65536): AsyncGenerator<WavBlock, void, undefined> {
  if (!Number.isInteger(blockFrames) || blockFrames < 1) {
    throw new RangeError(`block size must be a positive whole number of frames, got ${blockFrames}`);
  }
  const { handle, stats } = await openRegularFile(path);
  try {
    const header = await parseHeaderFrom(handle, path, stats.size);
    const info = infoOf(header);
    const buffer = new Uint8Array(Math.min(blockFrames, Math.max(header.frames, 1)) * header.blockAlign);
    for (let frame = 0; frame < header.frames; ) {
      const frames = Math.min(blockFrames, header.frames - frame);
      const want = frames * header.blockAlign;
      const { bytesRead } = await handle.read(buffer, 0, want, header.dataOffset + frame * header.blockAlign);
      if (bytesRead < want) {
        throw new WavFormatError(`cannot read ${path}: it was truncated while being read`);
      }
      yield { info, startFrame: frame, data: decodeSamples(buffer.subarray(0, want), header) };
      frame += frames;
    }
  } finally {
    await handle.close();
  }
}

function infoOf(header: WavHeader): WavInfo {
  const { sampleRate, channels, format, frames } = header;
  return { sampleRate, channels, format, frames };
}

/** Bytes read at a time while walking a header's chunks: a file of many small chunks costs a read per block, not per chunk. */
const HEADER_READ_BYTES = 1 << 16;

async function parseHeaderFrom(handle: FileHandle, path: string, size: number): Promise<WavHeader> {
  const parser = wavHeaderParser(path, size);
  let block = new Uint8Array(0);
  let blockStart = 0;
  let step = parser.next();
  while (!step.done) {
    const { offset, length } = step.value;
    const end = Math.min(offset + length, size);
    if (offset < blockStart || end > blockStart + block.length) {
      const bytes = new Uint8Array(Math.max(0, Math.min(Math.max(length, HEADER_READ_BYTES), size - offset)));
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, offset);
      block = bytes.subarray(0, bytesRead);
      blockStart = offset;
    }
    step = parser.next(block.subarray(offset - blockStart, Math.max(offset - blockStart, end - blockStart)));
  }
  return step.value;
}
