/**
 * The engine's allocator (mimalloc, inside node-web-audio-api's binary) gives
 * freed memory back at once: its option is set before the binary loads, or
 * a long render's memory grows window after window. And the render thread
 * takes back the windows' outputs once V8 has let go of them
 * (allocator.ts reclaimEngineMemory).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectGarbage } from "../src/node/gc.ts";
import { reclaimEngineMemory } from "../src/node/allocator.ts";
import { tempDir } from "./helpers/cli.ts";

const BIN = new URL("../bin/reverie.js", import.meta.url).pathname;

/**
 * The purge delay mimalloc reports as it starts (MIMALLOC_VERBOSE), once per
 * process that loads the engine (the render workers, not the command line's
 * own), for a 21-second render (two windows, so two jobs) run with `env` (REVERIE_DEBUG
 * shows the workers' standard error).
 */
function purgeDelays(env: Record<string, string>): string[] {
  // The test process itself has Reverie's options set: the command line must set them on its own.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("MIMALLOC_")));
  const run = spawnSync(process.execPath, [BIN, "render", "--length", "21s", "--jobs", "2", "--out", join(tempDir(), "a.wav")], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...clean, MIMALLOC_VERBOSE: "1", REVERIE_DEBUG: "1", ...env },
  });
  expect(run.status, run.stderr).toBe(0);
  return [...run.stderr.matchAll(/mimalloc: option 'purge_delay': (-?\d+)/g)].map((match) => match[1]);
}

describe("the engine's allocator", () => {
  it("purges freed pages without delay in both render workers", () => {
    expect(purgeDelays({})).toEqual(["0", "0"]);
  });

  it("keeps a value the user set", () => {
    expect(purgeDelays({ MIMALLOC_PURGE_DELAY: "25" })).toEqual(["25", "25"]);
  });
});

describe("the engine's render thread", () => {
  it("takes back the outputs of collected windows", async () => {
    // Contexts of a render window's length (23 s of stereo: 8.8 MB each), nothing in them.
    const render = () => new OfflineAudioContext(2, 23 * 48000, 48000).startRendering();
    await render();
    await collectGarbage();
    await reclaimEngineMemory();
    const before = process.memoryUsage.rss();
    for (let i = 0; i < 12; i++) {
      await render();
      await collectGarbage();
      await reclaimEngineMemory();
    }
    // Left on the render thread's list, the twelve outputs would stay resident: 106 MB.
    expect((process.memoryUsage.rss() - before) / 1e6).toBeLessThan(30);
  });
});
