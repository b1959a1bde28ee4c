/**
 * What every file a render writes shares: a temporary name beside the
 * target (so the final rename is atomic and a failure leaves the target
 * alone) that says whose it is, the clean-up of those a killed render left,
 * a plain reason for a file-system error, and the spool, where a render's
 * windows wait on disk while their loudness is measured.
 */
import type { Stats } from "node:fs";
import { lstat, open, readdir, unlink } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

let tempCounter = 0;

/** The kinds of temporary file a render makes: the output, the spool, the probe of a directory's writability. */
const TEMP_SUFFIXES = ["part", "spool", "probe"] as const;

/** A temporary file of a render: `.<target>.reverie-<pid>-<n>-<time>.<suffix>`. */
const TEMP_NAME = new RegExp(`^\\..+\\.reverie-(\\d+)-\\d+-[0-9a-z]+\\.(?:${TEMP_SUFFIXES.join("|")})$`);

/**
 * `.dream.wav.reverie-1234-7-m3k2x9.part` beside `dream.wav`: hidden, unique
 * per process and call, and carrying the process id, so a later render can
 * tell one a killed render left behind (see {@link removeLeftovers}).
 */
export function tempPathBeside(targetPath: string, suffix: (typeof TEMP_SUFFIXES)[number]): string {
  const name = `.${basename(targetPath)}.reverie-${process.pid}-${++tempCounter}-${Date.now().toString(36)}.${suffix}`;
  return join(dirname(targetPath), name);
}

/**
 * Removes from `dir` the temporary files of renders whose process no longer
 * exists (killed, so they could not clean up): a killed 30-minute render
 * leaves a spool of about 690 MB. Those of live processes, and anything not
 * named as a render's temporary file, are left alone.
 * @returns the names of the files removed.
 */
export async function removeLeftovers(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(TEMP_NAME.exec(name)?.[1]);
    if (!pid || pid === process.pid || processExists(pid)) continue;
    const path = join(dir, name);
    try {
      if (!(await lstat(path)).isFile()) continue;
      await unlink(path);
      removed.push(name);
    } catch {
      // Gone already (another render cleaned it up), or not ours to remove.
    }
  }
  return removed;
}

/** Whether a process with this id exists (one of another user counts: EPERM). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) !== "ESRCH";
  }
}

/** What a file that is not a regular file is, for a message: "a FIFO (named pipe)". */
export function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isSocket()) return "a socket";
  if (stats.isSymbolicLink()) return "a symbolic link";
  return "a regular file";
}

/** Writes all of `bytes` at `position`: one write may take only part of them. */
export async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/** The code of a file-system error ("ENOSPC"), if it has one. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;
}

/** A short, human reason for a file-system error: "the disk is full (ENOSPC)". */
export function describeFileError(error: unknown): string {
  const reasons: Record<string, string> = {
    ENOSPC: "the disk is full",
    EDQUOT: "the disk quota is exceeded",
    EFBIG: "the file has grown beyond the size this system allows",
    EIO: "an input/output error occurred",
    EROFS: "the file system is read-only",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    ENOENT: "the directory no longer exists",
    EISDIR: "it is a directory",
    ENOTDIR: "a part of the path is not a directory",
    EMFILE: "too many files are open",
    EPIPE: "the reader closed the pipe",
    ENXIO: "it is a socket or a device with nothing behind it",
  };
  const code = errorCode(error);
  if (code && reasons[code]) return `${reasons[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

export class SpoolError extends Error {
  override name = "SpoolError";
}

/**
 * Rendered windows kept on disk, as raw 32-bit floats, until they are read
 * back in the order they were written: a render measures its loudness while
 * it renders, then masters what it spooled, so each window is rendered once
 * and memory holds one window at a time (30 minutes of 48 kHz stereo spool
 * about 690 MB of disk, removed as soon as the render ends or fails).
 */
export class Spool {
  private readonly sizes: number[][] = [];
  private position = 0;

  private constructor(
    readonly path: string,
    private readonly target: string,
    private handle: FileHandle | undefined,
  ) {}

  /** Opens an empty spool beside `targetPath`. */
  static async beside(targetPath: string): Promise<Spool> {
    const path = tempPathBeside(targetPath, "spool");
    try {
      return new Spool(path, targetPath, await open(path, "wx+"));
    } catch (error) {
      throw new SpoolError(`cannot write ${targetPath}: ${describeFileError(error)}`, { cause: error });
    }
  }

  /** Appends a window (one array per channel). */
  async put(audio: readonly Float32Array[]): Promise<void> {
    const handle = this.live();
    for (const channel of audio) {
      const bytes = new Uint8Array(channel.buffer, channel.byteOffset, channel.byteLength);
      await this.guard(() => writeAll(handle, bytes, this.position));
      this.position += bytes.length;
    }
    this.sizes.push(audio.map((channel) => channel.length));
  }

  /**
   * Reads the windows back, in the order they were put. With `reuse`, a
   * window's arrays are only lent: the next window of the same length is read
   * into them when the caller comes back for more (as the render pool lends
   * its windows), so a render reads its spool without allocating a window's
   * 7.7 MB each time, which only a full collection would free.
   */
  async *windows({ reuse = false } = {}): AsyncGenerator<Float32Array[], void, undefined> {
    let position = 0;
    let lent: Float32Array[] = [];
    for (const lengths of this.sizes) {
      const audio: Float32Array[] = [];
      for (let c = 0; c < lengths.length; c++) {
        const length = lengths[c];
        const channel = reuse && lent[c]?.length === length ? lent[c] : new Float32Array(length);
        const bytes = new Uint8Array(channel.buffer, channel.byteOffset, channel.byteLength);
        await this.guard(async () => {
          for (let done = 0; done < bytes.length; ) {
            const { bytesRead } = await this.live().read(bytes, done, bytes.length - done, position + done);
            if (bytesRead === 0) throw new SpoolError(`the spool ${this.path} ended early`);
            done += bytesRead;
          }
        });
        position += bytes.length;
        audio.push(channel);
      }
      yield audio;
      lent = audio;
    }
  }

  /** Closes and deletes the spool; safe to call twice. */
  async dispose(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
    await unlink(this.path).catch(() => undefined);
  }

  private live(): FileHandle {
    if (!this.handle) throw new SpoolError(`the spool ${this.path} is closed`);
    return this.handle;
  }

  private async guard(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      if (error instanceof SpoolError) throw error;
      throw new SpoolError(`cannot write ${this.target}: ${describeFileError(error)}`, { cause: error });
    }
  }
}
