/**
 * A render that cannot finish leaves nothing behind: Ctrl-C or SIGTERM stop
 * the workers and remove the temporary file; a full disk is reported in a
 * sentence, with no half-written file at the target.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { entries, reverie, tempDir } from "./helpers/cli.ts";

const BIN = new URL("../bin/reverie.js", import.meta.url).pathname;

/** Resolves with the exit code and stderr once the process has ended. */
function ended(child: ChildProcess, stderr: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stderr: stderr.join("") })));
}

/** Whether a process is a render worker: Node running the worker's bundle from its stdin (`node … -`). */
function isWorker(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    // A child just forked still shows its parent's command line, and esbuild's service is a child too: neither counts.
    const last = argv.at(-1) ?? "";
    return last === "-";
  } catch {
    return false;
  }
}

/** The process ids of a render's workers, among its child processes, from /proc. */
function workersOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`)
    .flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(/\s+/).filter(Boolean).map(Number))
    .filter(isWorker);
}

/** Resolves with a render's workers once all `jobs` of them have started. */
async function started(pid: number, jobs: number): Promise<number[]> {
  for (;;) {
    const workers = workersOf(pid);
    if (workers.length === jobs) return workers;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether a process is still there (a zombie counts as gone: it has ended). */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

/** Resolves once `dir` holds a temporary file, that is once the render is writing. */
async function writing(dir: string): Promise<void> {
  while (!entries(dir).some((name) => name.endsWith(".part"))) await new Promise((resolve) => setTimeout(resolve, 100));
}

/**
 * Starts a 20-minute render with 2 jobs into `dir`; resolves once it writes
 * and its workers have started, with the process, its workers and its end.
 */
async function rendering(dir: string) {
  const child = spawn(process.execPath, [BIN, "render", "--length", "20m", "--jobs", "2", "--out", join(dir, "night.wav")]);
  const stderr: string[] = [];
  child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const exit = ended(child, stderr);
  await writing(dir);
  return { child, exit, workers: await started(child.pid!, 2) };
}

describe.each(["SIGINT", "SIGTERM"] as const)("a render stopped by %s", (signal) => {
  it("stops its workers, exits with 130 and leaves nothing in the directory", async () => {
    const dir = tempDir();
    const { child, exit, workers } = await rendering(dir);
    // Let the workers get well into their windows.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    child.kill(signal);
    const { code, stderr: said } = await exit;
    expect(code).toBe(130);
    expect(said).toMatch(/reverie: interrupted; nothing was written/);
    expect(entries(dir)).toEqual([]);
    expect(workers.filter(alive)).toEqual([]);
  });
});

describe("a render whose worker dies", () => {
  it("fails in one sentence naming it, with no file left and no worker behind", async () => {
    const dir = tempDir();
    const { exit, workers } = await rendering(dir);
    // As the kernel's out-of-memory killer would.
    process.kill(workers[0], "SIGKILL");
    const { code, stderr: said } = await exit;
    expect(code).toBe(1);
    expect(said.trim()).toBe("reverie: a render worker stopped (signal SIGKILL)");
    expect(entries(dir)).toEqual([]);
    expect(workers.filter(alive)).toEqual([]);
  });
});

describe("a render to a full disk", () => {
  /** A directory on a tmpfs of `size` (mount needs root, as CI and this machine have). */
  function tinyDisk(size: string): { dir: string; release: () => void } {
    const dir = join(tempDir(), "disk");
    mkdirSync(dir);
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir]);
    return { dir, release: () => execFileSync("umount", [dir]) };
  }

  it.each([
    ["a WAV", "40s", "night.wav", "2m"],
    ["an Ogg", "90s", "night.ogg", "512k"],
  ])("fails as %s in one sentence, with no file left", (_kind, length, name, size) => {
    const disk = tinyDisk(size);
    try {
      const run = reverie("render", "--length", length, "--out", join(disk.dir, name));
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toMatch(new RegExp(`^reverie: cannot write .*${name}: the disk is full \\(ENOSPC\\)$`));
      expect(entries(disk.dir)).toEqual([]);
    } finally {
      disk.release();
    }
  });
});
