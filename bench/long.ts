/**
 * `npm run bench:long`: whether a long render's memory stays flat. Renders
 * the dream with the command line (default 8 h to Ogg, the default jobs) and
 * prints, for each tenth of the wall time, the peak memory of the command and
 * its workers: PSS, and RSS summed over the processes (see tree-memory.ts).
 * A benchmark, not a test: it prints figures.
 *
 * Usage: tsx bench/long.ts [--length 8h] [--format ogg] [--jobs N]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { measure } from "./tree-memory.ts";

const BIN = fileURLToPath(new URL("../bin/reverie.js", import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback?: string) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : args[at + 1];
};
const length = option("length", "8h")!;
const format = option("format", "ogg")!;
const jobs = option("jobs");
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

const dir = mkdtempSync(join(tmpdir(), "reverie-bench-long-"));
const samples: { seconds: number; rss: number; pss: number }[] = [];
try {
  const command = [
    BIN,
    "render",
    "--preset",
    "dream",
    "--length",
    length,
    "--format",
    format,
    "--quiet",
    "--out",
    join(dir, `night.${format === "ogg" || format === "mp3" ? format : "wav"}`),
  ];
  if (jobs) command.push("--jobs", jobs);
  process.stdout.write(`Reverie long render: ${length} of the dream to ${format}${jobs ? `, ${jobs} jobs` : ""}\n`);
  const run = await measure(process.execPath, command, 1000, (seconds, memory) => samples.push({ seconds, ...memory }));
  process.stdout.write(`${run.seconds.toFixed(0)} s wall; peak memory ${mb(run.pss)} PSS, ${mb(run.rss)} RSS summed\n`);
  process.stdout.write("tenth of the wall time: peak PSS / peak RSS summed\n");
  for (let tenth = 0; tenth < 10; tenth++) {
    const part = samples.filter((s) => Math.min(9, Math.floor((s.seconds / run.seconds) * 10)) === tenth);
    if (part.length === 0) continue;
    const peak = (key: "rss" | "pss") => Math.max(...part.map((s) => s[key]));
    process.stdout.write(`  ${String(tenth + 1).padStart(2)}/10  ${mb(peak("pss")).padStart(7)} / ${mb(peak("rss"))}\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
