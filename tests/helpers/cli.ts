/** Runs the command line as a user does (node bin/reverie.js …) and captures what it says. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BIN = new URL("../../bin/reverie.js", import.meta.url).pathname;

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function reverie(...args: string[]): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "reverie-test-"));
}

/** Every entry in a directory, hidden ones included (temporary files left behind show here). */
export function entries(dir: string): string[] {
  return readdirSync(dir).sort();
}
