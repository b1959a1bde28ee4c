/**
 * The engine's allocator (mimalloc, inside node-web-audio-api's binary) gives
 * freed memory back at once: its option is set before the binary loads, or
 * a long render's memory grows window after window.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const BIN = new URL("../bin/reverie.js", import.meta.url).pathname;

/** The options mimalloc reports as it starts (MIMALLOC_VERBOSE), for the command line run with `env`. */
function allocatorOptions(env: Record<string, string>): Map<string, string> {
  // The test process itself has Reverie's options set: the command line must set them on its own.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("MIMALLOC_")));
  const run = spawnSync(process.execPath, [BIN, "presets"], { encoding: "utf8", timeout: 60_000, env: { ...clean, MIMALLOC_VERBOSE: "1", ...env } });
  expect(run.status, run.stderr).toBe(0);
  return new Map([...run.stderr.matchAll(/mimalloc: option '(\w+)': (-?\d+)/g)].map((match) => [match[1], match[2]]));
}

describe("the engine's allocator", () => {
  it("purges freed pages without delay when the command line runs", () => {
    expect(allocatorOptions({}).get("purge_delay")).toBe("0");
  });

  it("keeps a value the user set", () => {
    expect(allocatorOptions({ MIMALLOC_PURGE_DELAY: "25" }).get("purge_delay")).toBe("25");
  });
});
