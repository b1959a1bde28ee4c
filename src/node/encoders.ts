/**
 * Compressed output for long renders: Ogg Vorbis or MP3, encoded as the
 * windows arrive and streamed to disk, never held whole in memory, through
 * an AtomicFile (atomic-file.ts) as the WAV writer is: an interrupted or
 * failed render leaves nothing at the target path.
 *
 * The encoders are libvorbis and LAME compiled to WebAssembly
 * (wasm-media-encoders), measured on two minutes of the dream at 48 kHz at
 * about 60× realtime each on one core: fast enough that lamejs (LAME ported
 * to plain JavaScript) was not tried.
 * - Ogg Vorbis at quality 5, a variable bit rate of about 115 kb/s on this
 *   material (noise beds and slow chords; quality 4 gave 98), exact length
 *   (the granule positions carry it).
 * - MP3 at a constant 128 kb/s: without a Xing header (the encoder cannot
 *   seek back to write one) a variable rate would make players and ffprobe
 *   misjudge the length; a constant one they compute exactly. LAME's encoder
 *   delay adds about 50 ms of silence at the start, as with every MP3.
 */
import { createMp3Encoder, createOggEncoder } from "wasm-media-encoders";
import { AtomicFile, type OutputFile, type WriteErrorOf, type Written } from "./atomic-file.ts";
import { STANDARD_OUTPUT, StdoutSink } from "./stdout-sink.ts";
import { type Codec, MP3_BITRATE, OGG_QUALITY } from "../pipeline/codecs.ts";
import { OggSerialRewriter } from "../pipeline/ogg-pages.ts";
import { checkOutputPath, type WavWriter } from "./wav-file.ts";

export { type Codec, MP3_BITRATE, OGG_QUALITY } from "../pipeline/codecs.ts";

/** File extensions of each codec, the first one the usual. */
export const CODEC_EXTENSIONS: Record<Codec, readonly string[]> = { ogg: [".ogg", ".oga"], mp3: [".mp3"] };

/** Writing the file failed (disk full, directory gone…); nothing was left behind. */
export class EncodedWriteError extends Error {
  override name = "EncodedWriteError";
}

export interface EncodedWriterOptions {
  codec: Codec;
  /** Frames per second, in Hz. */
  sampleRate: number;
  channels: 1 | 2;
  /** Ogg: the stream's serial number (the encoder's own is random); default 1, so the same audio gives the same bytes. */
  serial?: number;
}

/** A compressed file being streamed to disk: the WAV writer's contract (write, finish, abort). */
export type EncodedWriter = WavWriter;

/** Frames encoded at a time: the event loop runs between them, so the workers are fed meanwhile. */
const ENCODE_FRAMES = 48000;
/** Encoded bytes gathered before a write to the file. */
const WRITE_BYTES = 1 << 20;

/** The codec a file name asks for by its extension, or undefined. */
export function codecForPath(path: string): Codec | undefined {
  const lower = path.toLowerCase();
  return (Object.keys(CODEC_EXTENSIONS) as Codec[]).find((codec) => CODEC_EXTENSIONS[codec].some((ext) => lower.endsWith(ext)));
}

/**
 * Opens a streamed Ogg Vorbis or MP3 writer for `targetPath` (`-`: standard
 * output), after checking the path as the WAV writer does.
 * @throws OutputPathError if the path is unusable.
 */
export async function openEncodedWriter(targetPath: string, options: EncodedWriterOptions): Promise<EncodedWriter> {
  const toStdout = targetPath === STANDARD_OUTPUT;
  if (!toStdout) await checkOutputPath(targetPath);
  const encoder = options.codec === "ogg" ? await createOggEncoder() : await createMp3Encoder();
  if (options.codec === "ogg") {
    (encoder as Awaited<ReturnType<typeof createOggEncoder>>).configure({
      sampleRate: options.sampleRate,
      channels: options.channels,
      vbrQuality: OGG_QUALITY,
    });
  } else {
    (encoder as Awaited<ReturnType<typeof createMp3Encoder>>).configure({
      sampleRate: options.sampleRate,
      channels: options.channels,
      bitrate: MP3_BITRATE,
    });
  }
  const errorOf: WriteErrorOf = (message, options) => new EncodedWriteError(message, options);
  const file = toStdout ? new StdoutSink(errorOf) : await AtomicFile.open(targetPath, errorOf);
  const pages = options.codec === "ogg" ? new OggSerialRewriter(options.serial ?? 1) : undefined;
  return new StreamedEncodedWriter(file, encoder, options.channels, pages);
}

class StreamedEncodedWriter implements EncodedWriter {
  frames = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private written = 0;

  constructor(
    private readonly file: OutputFile,
    private readonly encoder: { encode(samples: readonly Float32Array[]): Uint8Array; finalize(): Uint8Array },
    private readonly channels: number,
    private readonly pages: OggSerialRewriter | undefined,
  ) {}

  get path(): string {
    return this.file.path;
  }

  get tempPath(): string {
    return this.file.tempPath;
  }

  write(block: readonly Float32Array[]): Promise<void> {
    if (block.length !== this.channels) return Promise.reject(new RangeError(`expected ${this.channels} channels, got ${block.length}`));
    return this.file.run(async () => {
      const length = block[0].length;
      for (let from = 0; from < length; from += ENCODE_FRAMES) {
        const to = Math.min(length, from + ENCODE_FRAMES);
        // The encoder's output is its own buffer, reused by the next call: keep a copy.
        this.keep(this.encoded(this.encoder.encode(block.map((channel) => channel.subarray(from, to)))));
        this.frames += to - from;
        if (this.pendingBytes >= WRITE_BYTES) await this.flush();
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
  }

  finish(): Promise<Written> {
    return this.file.finish(async () => {
      this.keep(this.encoded(this.encoder.finalize()));
      this.pages?.finish();
      await this.flush();
      return { bytes: this.written, frames: this.frames };
    });
  }

  abort(): Promise<void> {
    return this.file.abort();
  }

  /** A copy of the encoder's output (Ogg: its pages with our serial). */
  private encoded(bytes: Uint8Array): Uint8Array {
    return this.pages ? this.pages.push(bytes) : bytes.slice();
  }

  private keep(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }

  private async flush(): Promise<void> {
    for (const bytes of this.pending) {
      await this.file.writeAt(bytes, this.written);
      this.written += bytes.length;
    }
    this.pending = [];
    this.pendingBytes = 0;
  }
}
