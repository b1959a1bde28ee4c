/**
 * A render that cannot finish leaves nothing behind: Ctrl-C or SIGTERM stop
 * the workers and remove the temporary file; a full disk is reported in a
 * sentence, with no half-written file at the target.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { entries, reverie, tempDir } from "./helpers/cli.ts";

const BIN = new URL("../bin/reverie.js", import.meta.url).pathname;

/** Resolves with the exit code and stderr once the process has ended. */
function ended(child: ChildProcess, stderr: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stderr: stderr.join("") })));
}

/** Resolves once `dir` holds a temporary file, that is once the render is writing. */
async function writing(dir: string): Promise<void> {
  while (!entries(dir).some((name) => name.endsWith(".part"))) await new Promise((resolve) => setTimeout(resolve, 100));
}

describe.each(["SIGINT", "SIGTERM"] as const)("a render stopped by %s", (signal) => {
  it("stops its workers, exits with 130 and leaves nothing in the directory", async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [BIN, "render", "--length", "20m", "--jobs", "2", "--out", join(dir, "night.wav")]);
    const stderr: string[] = [];
    child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
    const exit = ended(child, stderr);
    await writing(dir);
    // Let the workers get well into their windows.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    child.kill(signal);
    const { code, stderr: said } = await exit;
    expect(code).toBe(130);
    expect(said).toMatch(/reverie: interrupted; nothing was written/);
    expect(entries(dir)).toEqual([]);
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
