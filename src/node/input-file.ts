/**
 * Opening what the command line reads (presets, WAV files): only regular
 * files, and never more than a limit. A FIFO would block the open (and the
 * read) until something writes to it, a device such as /dev/zero never ends,
 * and `stat` gives the size of neither, so a size checked against `stat`
 * alone bounds nothing. The file is opened without blocking, checked by its
 * handle (the file that was opened, not the name looked up before), and read
 * up to the limit whatever its size claims.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import { describeFileError, errorCode, fileKind } from "./files.ts";

/** A file that cannot be read as input; the message names it and why. */
export class InputFileError extends Error {
  override name = "InputFileError";
}

/** O_NONBLOCK makes opening a FIFO return at once; on a regular file it changes nothing. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** Why `stats` is not a file we read, or undefined. */
function notRegular(stats: Stats): string | undefined {
  return stats.isFile() ? undefined : `it is ${fileKind(stats)}, not a regular file`;
}

function reasonOf(error: unknown): string {
  const code = errorCode(error);
  if (code === "ENOENT") return "no such file (ENOENT)";
  if (code === "ENXIO") return "it is a socket, not a regular file";
  return describeFileError(error);
}

/**
 * Opens a regular file for reading.
 * @param shown - how to name it in messages.
 * @throws InputFileError (`cannot read <shown>: <why>`) if it is missing, unreadable or not a regular file.
 */
export async function openRegularFile(path: string, shown = path): Promise<{ handle: FileHandle; stats: Stats }> {
  const fail = (why: string, cause?: unknown) => new InputFileError(`cannot read ${shown}: ${why}`, { cause });
  let handle: FileHandle;
  try {
    // Looked at first so that a socket (which cannot be opened) is named as one.
    const why = notRegular(await stat(path));
    if (why) throw fail(why);
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    throw error instanceof InputFileError ? error : fail(reasonOf(error), error);
  }
  const stats = await handle.stat();
  const why = notRegular(stats);
  if (why) {
    await handle.close();
    throw fail(why);
  }
  return { handle, stats };
}

/** A file read whole: its bytes and what it is (device and inode name it whatever path reached it). */
export interface InputFile {
  bytes: Buffer;
  stats: Stats;
}

/**
 * Reads a regular file of at most `limit` bytes, synchronously.
 * @param what - what the file is, for the message of one too large ("a preset").
 * @throws InputFileError if it is not a regular file, cannot be read or holds more than `limit` bytes.
 */
export function readRegularFileSync(path: string, shown: string, limit: number, what: string): InputFile {
  const fail = (why: string, cause?: unknown) => new InputFileError(`cannot read ${shown}: ${why}`, { cause });
  const tooLarge = (size: string) =>
    new InputFileError(`${shown}: is ${size} bytes; ${what} is at most ${limit.toLocaleString("en")} bytes`);
  let fd: number;
  try {
    const why = notRegular(statSync(path));
    if (why) throw fail(why);
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    throw error instanceof InputFileError ? error : fail(reasonOf(error), error);
  }
  try {
    const stats = fstatSync(fd);
    const why = notRegular(stats);
    if (why) throw fail(why);
    if (stats.size > limit) throw tooLarge(stats.size.toLocaleString("en"));
    // One byte more than the limit tells a file that grew past it since the stat.
    const bytes = Buffer.alloc(limit + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < bytes.length; length += read) {
      read = readSync(fd, bytes, length, bytes.length - length, length);
    }
    if (length > limit) throw tooLarge(`more than ${limit.toLocaleString("en")}`);
    return { bytes: bytes.subarray(0, length), stats };
  } catch (error) {
    throw error instanceof InputFileError ? error : fail(reasonOf(error), error);
  } finally {
    closeSync(fd);
  }
}
