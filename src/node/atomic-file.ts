/**
 * The one way a render writes its output: into a temporary file beside the
 * target, renamed onto it only once complete, so an interrupted or failed
 * render (Ctrl-C, a full disk, a vanished directory) leaves nothing at the
 * target path and no temporary file behind. The WAV writer (wav-file.ts) and
 * the Ogg/MP3 writer (encoders.ts) are both built on it.
 *
 *   check target → open (temp beside target) → steps, in call order → check target, commit: fsync file, rename, fsync directory
 *                                                   ↘ any error, or abort → close, delete temp
 *
 * The rename replaces only what is the render's to replace: nothing, or a
 * regular file the user may write (as sox and `ffmpeg -y` overwrite). A
 * device, FIFO or socket is never replaced by a file (as root, a render to
 * /dev/null would otherwise swap the system's /dev/null for a WAV), nor is
 * a file that is being read, nor one whose mode bits say no one may write it.
 */
import type { Stats } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { access, constants, open, rename, stat, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { describeFileError, errorCode, fileKind, tempPathBeside, writeAll } from "./files.ts";

/** A file the render reads, which its output must not replace. */
export interface InputOfRender {
  /** What it is, for the message: "the preset being read". */
  what: string;
  /** Its device and inode (from stat), which name it whatever path reaches it. */
  dev: number;
  ino: number;
}

/**
 * Why the render may not put its output at `targetPath`, or undefined if it
 * may (nothing is there, or a regular file it may replace). Follows symbolic
 * links, so a link to a device is refused as the device is.
 * @param inputs - files being read, which the output must not replace.
 */
export async function targetRefusal(targetPath: string, inputs: readonly InputOfRender[] = []): Promise<string | undefined> {
  if (targetPath === "") return "the name is empty";
  let stats: Stats;
  try {
    stats = await stat(targetPath);
  } catch (error) {
    const code = errorCode(error);
    // Nothing there (or a dangling link, which the rename replaces): the render's to fill.
    if (code === "ENOENT") return undefined;
    return `it cannot be accessed (${describeFileError(error)})`;
  }
  if (stats.isDirectory()) return "it is an existing directory";
  if (!stats.isFile()) return `it is ${fileKind(stats)}, not a regular file; a render only replaces regular files`;
  const input = inputs.find((file) => file.dev === stats.dev && file.ino === stats.ino);
  if (input) return `it is ${input.what}`;
  if (!(await mayWrite(targetPath, stats))) {
    return `it is read-only (mode ${(stats.mode & 0o777).toString(8).padStart(4, "0")}); make it writable or choose another name`;
  }
  return undefined;
}

/**
 * Whether the user may write the file. Root may write anything, so for root
 * the mode bits decide: a file no one may write (0444) is not replaced.
 */
async function mayWrite(path: string, stats: Stats): Promise<boolean> {
  if (process.getuid?.() === 0) return (stats.mode & 0o222) !== 0;
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Makes the error a writer throws, e.g. `new WavWriteError(message, { cause })`. */
export type WriteErrorOf = (message: string, options: { cause: unknown }) => Error;

/** The bytes and frames a finished writer reports. */
export interface Written {
  bytes: number;
  frames: number;
}

/** What the writers write through: an AtomicFile, or standard output (stdout-sink.ts), which cannot seek back. */
export type OutputFile = Pick<AtomicFile, "path" | "tempPath" | "run" | "finish" | "abort" | "writeAt" | "seekable">;

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
  /** A finished file's header can be patched in place. */
  readonly seekable: boolean = true;

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
   * @throws the error `openErrorOf` makes if it cannot be created, or if the
   * target is not the render's to replace (see {@link targetRefusal}).
   */
  static async open(targetPath: string, errorOf: WriteErrorOf, openErrorOf: WriteErrorOf = errorOf): Promise<AtomicFile> {
    const refusal = await targetRefusal(targetPath);
    if (refusal) throw openErrorOf(`cannot write ${targetPath}: ${refusal}`, { cause: undefined });
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
      const reason = error instanceof RangeError || error instanceof TargetRefused ? error.message : describeFileError(error);
      this.failure = this.errorOf(`cannot write ${this.path}: ${reason}`, { cause: error });
      await this.discard();
      throw this.failure;
    }
  }

  private async commit(): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new Error("the file is closed");
    await handle.sync();
    // What is at the target may have changed during the render (hours, for some).
    const refusal = await targetRefusal(this.path);
    if (refusal) throw new TargetRefused(refusal);
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

/** The target became one the render may not replace while it rendered. */
class TargetRefused extends Error {}

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
