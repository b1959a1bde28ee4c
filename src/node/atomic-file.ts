/**
 * The one way a render writes its output: into a temporary file beside the
 * target, renamed onto it only once complete, so an interrupted or failed
 * render (Ctrl-C, a full disk, a vanished directory) leaves nothing at the
 * target path and no temporary file behind. The WAV writer (wav-file.ts) and
 * the Ogg/MP3 writer (encoders.ts) are both built on it.
 *
 *   open (temp beside target) → steps, in call order → commit: fsync file, rename, fsync directory
 *                                         ↘ any error, or abort → close, delete temp
 */
import type { FileHandle } from "node:fs/promises";
import { open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { describeFileError, tempPathBeside, writeAll } from "./files.ts";

/** Makes the error a writer throws, e.g. `new WavWriteError(message, { cause })`. */
export type WriteErrorOf = (message: string, options: { cause: unknown }) => Error;

/** The bytes and frames a finished writer reports. */
export interface Written {
  bytes: number;
  frames: number;
}

/**
 * A temporary file being written for `path`. Each step runs after the ones
 * called before it; a step that throws discards the file and rejects with
 * the writer's error (`cannot write <path>: <reason>`), as does every later
 * step. `finish` runs its step and then commits.
 */
export class AtomicFile {
  private handle: FileHandle | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;
  private finishing: Promise<Written> | undefined;
  private aborting: Promise<void> | undefined;
  private committed = false;

  private constructor(
    readonly path: string,
    readonly tempPath: string,
    handle: FileHandle,
    private readonly errorOf: WriteErrorOf,
  ) {
    this.handle = handle;
  }

  /**
   * Creates the temporary file beside `targetPath` (a name no other call uses).
   * @throws the error `openErrorOf` makes if it cannot be created.
   */
  static async open(targetPath: string, errorOf: WriteErrorOf, openErrorOf: WriteErrorOf = errorOf): Promise<AtomicFile> {
    const tempPath = tempPathBeside(targetPath, "part");
    try {
      return new AtomicFile(targetPath, tempPath, await open(tempPath, "wx"), errorOf);
    } catch (error) {
      throw openErrorOf(`cannot write ${targetPath}: ${describeFileError(error)}`, { cause: error });
    }
  }

  /** Queues a step (see the class). */
  run<T>(step: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      this.assertOpen();
      return this.guard(step);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Queues the last step, then syncs, closes and renames the file onto
   * `path` (replacing any file there) and syncs the directory, so the
   * rename too survives a power cut. Calling it again returns the same promise.
   */
  finish(step: () => Promise<Written>): Promise<Written> {
    this.finishing ??= this.run(async () => {
      const written = await step();
      await this.commit();
      return written;
    });
    return this.finishing;
  }

  /**
   * Closes and deletes the temporary file, once the step in flight has
   * settled; `path` is left untouched. Safe to call twice, after a failed
   * step, or after `finish` (then it does nothing).
   */
  abort(): Promise<void> {
    this.aborting ??= (async () => {
      // Let a write in flight settle, so the handle is not closed under it.
      await this.queue.catch(() => undefined);
      if (!this.committed) await this.discard();
    })();
    return this.aborting;
  }

  /** Writes all of `bytes` at `position` (within a step). */
  async writeAt(bytes: Uint8Array, position: number): Promise<void> {
    if (!this.handle) throw new Error("the file is closed");
    await writeAll(this.handle, bytes, position);
  }

  private assertOpen(): void {
    if (this.failure) throw this.failure;
    if (this.aborting) throw this.errorOf(`cannot write ${this.path}: the writer was aborted`, { cause: undefined });
    if (this.committed) throw this.errorOf(`cannot write ${this.path}: the file is already finished`, { cause: undefined });
  }

  private async guard<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      const reason = error instanceof RangeError ? error.message : describeFileError(error);
      this.failure = this.errorOf(`cannot write ${this.path}: ${reason}`, { cause: error });
      await this.discard();
      throw this.failure;
    }
  }

  private async commit(): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new Error("the file is closed");
    await handle.sync();
    this.handle = undefined;
    await handle.close();
    await rename(this.tempPath, this.path);
    this.committed = true;
    await syncDirectory(dirname(this.path));
  }

  private async discard(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
  }
}

/** Makes a rename durable; best effort, as not every file system allows it. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // A lost rename after a power cut is survivable; failing the render is not.
  }
}
