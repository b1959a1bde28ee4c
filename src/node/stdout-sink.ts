/**
 * A render to standard output (`--out -`, e.g. `reverie render --out - | aplay`):
 * the same writers as a file, through a sink that only appends. Nothing can
 * be patched afterwards, so a WAV goes out with its final header first (the
 * render's length is known before it starts), then its samples; Ogg and MP3
 * stream as they are encoded. What was sent cannot be taken back: an
 * interrupted render leaves the reader with a short stream.
 *
 * The writes go to file descriptor 1 from libuv's thread pool, not through
 * `process.stdout`, which writes to a pipe synchronously and would stall the
 * event loop (the workers' audio, Ctrl-C) for as long as the reader is slow:
 * `aplay` reads in real time.
 */
import { write } from "node:fs";
import { isatty } from "node:tty";
import type { Written, WriteErrorOf } from "./atomic-file.ts";
import { describeFileError, errorCode } from "./files.ts";

/** The `--out` that means standard output. */
export const STANDARD_OUTPUT = "-";

/** How standard output is named in messages. */
export const STANDARD_OUTPUT_NAME = "standard output";

/** Whether standard output is a terminal (audio must not be written there). */
export function standardOutputIsTerminal(): boolean {
  return isatty(1);
}

const FD = 1;

/** Milliseconds to wait before writing again when a non-blocking pipe is full. */
const RETRY_MS = 5;

/** Standard output as a writer's file: steps run in order; the first failure fails every later one. */
export class StdoutSink {
  readonly path = STANDARD_OUTPUT;
  readonly tempPath = "";
  readonly seekable: boolean = false;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;
  private closed = false;
  private offset = 0;

  constructor(private readonly errorOf: WriteErrorOf) {}

  run<T>(step: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      if (this.failure) throw this.failure;
      if (this.closed) throw this.errorOf(`cannot write ${STANDARD_OUTPUT_NAME}: the stream is closed`, { cause: undefined });
      try {
        return await step();
      } catch (error) {
        const reason = error instanceof RangeError ? error.message : describeFileError(error);
        this.failure = this.errorOf(`cannot write ${STANDARD_OUTPUT_NAME}: ${reason}`, { cause: error });
        throw this.failure;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  finish(step: () => Promise<Written>): Promise<Written> {
    return this.run(async () => {
      const written = await step();
      this.closed = true;
      return written;
    });
  }

  /** Stops writing; what was sent stays sent. */
  async abort(): Promise<void> {
    await this.queue.catch(() => undefined);
    this.closed = true;
  }

  /** Appends `bytes`, which must start where the last write ended (standard output may be a pipe). */
  async writeAt(bytes: Uint8Array, position: number): Promise<void> {
    if (position !== this.offset) throw new RangeError(`standard output cannot seek (to ${position}, at ${this.offset})`);
    for (let done = 0; done < bytes.length; ) {
      done += await writeSome(bytes.subarray(done));
    }
    this.offset += bytes.length;
  }
}

function writeSome(bytes: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) =>
    write(FD, bytes, 0, bytes.length, null, (error, written) => {
      if (!error) return resolve(written);
      // A pipe left non-blocking by whoever made it: full for now, not broken.
      if (errorCode(error) === "EAGAIN") return setTimeout(() => resolve(0), RETRY_MS);
      reject(error);
    }),
  );
}
