/**
 * The atomic file under every output: nothing at the target until the
 * commit, which renames the temporary file and syncs the file and then its
 * directory; nothing left behind after an abort, a failed step or a full
 * disk.
 */
import { spawnSync } from "node:child_process";
import { fstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { AtomicFile } from "../src/node/atomic-file.ts";
import { openEncodedWriter } from "../src/node/encoders.ts";
import { openWavWriter } from "../src/node/wav-file.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

class TestWriteError extends Error {
  override name = "TestWriteError";
}
const errorOf = (message: string, options: { cause: unknown }) => new TestWriteError(message, options);

let dir: string;
let count = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "reverie-atomic-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
});

/** A fresh path in a directory of its own. */
function freshPath(name = "out.bin"): string {
  const sub = join(dir, `case-${++count}`);
  mkdirSync(sub);
  return join(sub, name);
}

/** What each fsync was of, in order: a directory or a regular file, and its inode. */
async function watchSyncs(): Promise<{ directory: boolean; ino: number }[]> {
  const probe = await open(freshPath(), "w");
  const proto = Object.getPrototypeOf(probe) as { sync(this: { fd: number }): Promise<void> };
  await probe.close();
  const sync = proto.sync;
  const seen: { directory: boolean; ino: number }[] = [];
  vi.spyOn(proto, "sync").mockImplementation(function (this: { fd: number }) {
    const info = fstatSync(this.fd);
    seen.push({ directory: info.isDirectory(), ino: info.ino });
    return sync.call(this);
  });
  return seen;
}

/** Expects the last two fsyncs to be of the file now at `path`, then of its directory. */
function expectFileThenDirectory(seen: { directory: boolean; ino: number }[], path: string): void {
  expect(seen.slice(-2)).toEqual([
    { directory: false, ino: statSync(path).ino },
    { directory: true, ino: statSync(dirname(path)).ino },
  ]);
}

describe("an atomic file", () => {
  it("writes beside the target and, on finish, renames onto it, replacing what was there", async () => {
    const path = freshPath();
    writeFileSync(path, "the previous night's render");
    const file = await AtomicFile.open(path, errorOf);
    expect(dirname(file.tempPath)).toBe(dirname(path));
    await file.run(() => file.writeAt(new TextEncoder().encode("hello, "), 0));
    expect(readFileSync(path, "utf8")).toBe("the previous night's render");
    const written = await file.finish(async () => {
      await file.writeAt(new TextEncoder().encode("world"), 7);
      return { bytes: 12, frames: 0 };
    });
    expect(written).toEqual({ bytes: 12, frames: 0 });
    expect(readFileSync(path, "utf8")).toBe("hello, world");
    expect(readdirSync(dirname(path))).toEqual(["out.bin"]);
    await expect(file.run(async () => undefined)).rejects.toThrow(`cannot write ${path}: the file is already finished`);
    await file.abort();
    expect(readFileSync(path, "utf8")).toBe("hello, world");
  });

  it("syncs the file, then the directory that holds the rename", async () => {
    const seen = await watchSyncs();
    const path = freshPath();
    const file = await AtomicFile.open(path, errorOf);
    await file.finish(async () => {
      await file.writeAt(new Uint8Array(100), 0);
      return { bytes: 100, frames: 0 };
    });
    expectFileThenDirectory(seen, path);
  });

  it("leaves nothing behind when aborted, even with a write in flight", async () => {
    const path = freshPath();
    const file = await AtomicFile.open(path, errorOf);
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const writing = file.run(async () => {
      started();
      await file.writeAt(new Uint8Array(1 << 20), 0);
    });
    await running;
    await file.abort();
    await writing;
    expect(readdirSync(dirname(path))).toEqual([]);
    await expect(file.run(async () => undefined)).rejects.toThrow(new TestWriteError(`cannot write ${path}: the writer was aborted`));
  });

  it("leaves nothing behind when a step fails, and every later step rejects with that error", async () => {
    const path = freshPath();
    const file = await AtomicFile.open(path, errorOf);
    const failure = Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
    await expect(
      file.run(async () => {
        throw failure;
      }),
    ).rejects.toThrow(new TestWriteError(`cannot write ${path}: the disk is full (ENOSPC)`));
    expect(readdirSync(dirname(path))).toEqual([]);
    await expect(file.finish(async () => ({ bytes: 0, frames: 0 }))).rejects.toThrow("the disk is full (ENOSPC)");
    expect(readdirSync(dirname(path))).toEqual([]);
  });

  it("cannot be opened in a directory that is gone, and says so with the opener's error", async () => {
    const path = join(freshPath(), "gone", "out.bin");
    await expect(AtomicFile.open(path, errorOf)).rejects.toThrow(
      new TestWriteError(`cannot write ${path}: the directory no longer exists (ENOENT)`),
    );
  });

  it("leaves nothing behind when the file system refuses a write (EFBIG under `ulimit -f`)", () => {
    const path = freshPath();
    const script = join(dirname(path), "write-big.mts");
    writeFileSync(
      script,
      `import { AtomicFile } from ${JSON.stringify(join(ROOT, "src/node/atomic-file.ts"))};
const file = await AtomicFile.open(${JSON.stringify(path)}, (message, options) => new Error(message, options));
try {
  await file.run(() => file.writeAt(new Uint8Array(4 << 20), 0));
  await file.finish(async () => ({ bytes: 4 << 20, frames: 0 }));
  console.log("no error");
} catch (err) {
  console.log(err.message);
}`,
    );
    // 2000 blocks of 512 bytes: about 1 MB, against a 4 MB write.
    const result = spawnSync("sh", ["-c", `ulimit -f 2000 && exec "${process.execPath}" --import tsx "${script}"`], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe(`cannot write ${path}: the file has grown beyond the size this system allows (EFBIG)`);
    expect(readdirSync(dirname(path))).toEqual(["write-big.mts"]);
  });
});

describe("both outputs are atomic files", () => {
  const audio = [new Float32Array(4800).fill(0.25), new Float32Array(4800).fill(-0.25)];

  it("the WAV writer syncs the file, then its directory", async () => {
    const seen = await watchSyncs();
    const path = freshPath("out.wav");
    const writer = await openWavWriter(path, { sampleRate: 48000, channels: 2, format: "pcm16" });
    await writer.write(audio);
    await writer.finish();
    expectFileThenDirectory(seen, path);
  });

  it.each(["ogg", "mp3"] as const)("the %s writer syncs the file, then its directory", async (codec) => {
    const seen = await watchSyncs();
    const path = freshPath(`out.${codec}`);
    const writer = await openEncodedWriter(path, { codec, sampleRate: 48000, channels: 2 });
    await writer.write(audio);
    await writer.finish();
    expectFileThenDirectory(seen, path);
  });

  it.each(["ogg", "mp3"] as const)("the %s writer leaves nothing behind when aborted", async (codec) => {
    const path = freshPath(`out.${codec}`);
    const writer = await openEncodedWriter(path, { codec, sampleRate: 48000, channels: 2 });
    await writer.write(audio);
    await writer.abort();
    expect(readdirSync(dirname(path))).toEqual([]);
  });
});
