/**
 * `npm run bench`: how fast Reverie renders the dream, against how a Tone.js
 * user renders it today. A benchmark, not a test: it prints figures.
 *
 *   (a) Reverie's command line: `reverie render --preset dream --length 10m`
 *       to a WAV, with 1 job and with the default number; seconds of audio per
 *       second of wall time, and the peak memory of the command and its
 *       worker processes (PSS, and RSS summed), sampled from /proc every 50 ms.
 *   (b) One offline context of the whole span in headless Chromium (Debian's,
 *       driven by playwright-core): Reverie's own engine bundled for the page,
 *       the whole span rendered in one OfflineAudioContext (no windows, no
 *       workers; scheduled in 5 s steps as it renders, see browser-entry.ts):
 *       the same sound, made as a Tone.js user makes a file today.
 *   (c) a / b.
 *   (d) each voice of the dream alone (with the shared reverb and master), and
 *       the mix with no voice at all, rendered by the same workers (1 job),
 *       in the same units.
 *
 * Usage: tsx bench/run.ts [--length 10m] [--jobs N] [--skip-browser] [--skip-voices]
 * `npm run bench:smoke` runs a 30-second version, only to prove it works.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDuration } from "../src/core/duration.ts";
import { CHROMIUM_ARGS } from "../tests/helpers/browser.ts";
import { type Measured, measure } from "./tree-memory.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin/reverie.js");

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? undefined : args[at + 1];
};
const LENGTH = parseDuration(option("length") ?? "10m");
const JOBS = Number(option("jobs") ?? availableParallelism());
const RATE = 48000;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const speed = (seconds: number) => `${(LENGTH / seconds).toFixed(1)}× realtime`;

/** (a) The command line, as a user runs it. */
async function cliRender(jobs: number): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), "reverie-bench-"));
  try {
    return await measure(process.execPath, [
      BIN,
      "render",
      "--preset",
      "dream",
      "--length",
      `${LENGTH}s`,
      "--jobs",
      String(jobs),
      "--quiet",
      "--out",
      join(dir, "dream.wav"),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** (b) One offline context of the whole span in headless Chromium. */
async function chromiumRender(): Promise<number> {
  const { build } = await import("esbuild");
  const { chromium } = await import("playwright-core");
  const executablePath = process.env.CHROME_PATH || "/usr/bin/chromium";
  if (!existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath} (apt-get install chromium, or set CHROME_PATH)`);
  // Bundled for the page, not with src/node/bundle.js (Node's platform, installed packages left external):
  // a browser script with every package inside, as the page's own build (Vite) makes one.
  const bundle = await build({
    entryPoints: [join(ROOT, "bench/browser-entry.ts")],
    bundle: true,
    format: "iife",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  const userDataDir = mkdtempSync(join(tmpdir(), "reverie-bench-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    const preset = readFileSync(join(ROOT, "presets/dream.json"), "utf8");
    return await page.evaluate(
      ([text, seconds, rate]) =>
        (window as unknown as { renderWhole: (t: string, s: number, r: number) => Promise<number> }).renderWhole(text, seconds, rate),
      [preset, LENGTH, RATE] as const,
    );
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

/** (d) Each voice alone, and none, on the workers (1 job), over a stretch of the story where it plays. */
async function voiceCosts(): Promise<{ name: string; speed: number }[]> {
  const { parsePreset } = await import("../src/score/preset.ts");
  const { planStory } = await import("../src/score/timeline.ts");
  const { Random } = await import("../src/core/random.ts");
  const { RenderPool } = await import("../src/node/pool.ts");
  const { WINDOW_SECONDS } = await import("../src/core/frames.ts");
  const preset = parsePreset(readFileSync(join(ROOT, "presets/dream.json"), "utf8"), "presets/dream.json");
  const seconds = Math.min(LENGTH, 120);
  const sets = [
    { name: "(no voice: reverb, master)", voices: [] as string[] },
    ...preset.voices.map((v) => ({ name: v.name, voices: [v.name] })),
    { name: "(all voices)", voices: preset.voices.map((v) => v.name) },
  ];
  const results = [];
  for (const set of sets) {
    const plan = planStory({ ...preset, voices: preset.voices.filter((v) => set.voices.includes(v.name)) }, Random.fromSeed(1), {
      story: LENGTH,
      total: LENGTH,
    });
    // The middle of the story, where every voice of the dream has come in.
    const from = Math.max(0, Math.round(LENGTH / 2 - seconds / 2));
    const spans = [];
    for (let t = 0; t < seconds; t += WINDOW_SECONDS)
      spans.push({ startFrame: (from + t) * RATE, frames: Math.min(WINDOW_SECONDS, seconds - t) * RATE });
    const pool = await RenderPool.start(plan, { sampleRate: RATE, jobs: 1 });
    try {
      // Timed from the first window sent, not from the worker's start.
      const started = performance.now();
      for await (const window of pool.render(spans)) void window;
      results.push({ name: set.name, speed: seconds / ((performance.now() - started) / 1000) });
    } finally {
      await pool.close();
    }
  }
  return results;
}

const lines: string[] = [
  `Reverie bench: ${LENGTH} s of the dream at ${RATE} Hz, ${availableParallelism()} cores, load average ${(await import("node:os")).loadavg()[0].toFixed(2)} at start`,
];
const print = (line: string) => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};
process.stdout.write(`${lines[0]}\n`);

const one = await cliRender(1);
const memory = (run: Measured) => `peak memory ${mb(run.pss)} (PSS; RSS summed over its processes ${mb(run.rss)})`;
print(`(a) CLI render, --jobs 1:  ${one.seconds.toFixed(1)} s wall, ${speed(one.seconds)}, ${memory(one)}`);
const many = JOBS === 1 ? one : await cliRender(JOBS);
print(
  `(a) CLI render, --jobs ${JOBS}:  ${many.seconds.toFixed(1)} s wall, ${speed(many.seconds)}, ${memory(many)}  (speed-up from 1 job: ${(one.seconds / many.seconds).toFixed(2)}×)`,
);

let ratio: number | undefined;
if (!args.includes("--skip-browser")) {
  const browserSeconds = await chromiumRender();
  ratio = browserSeconds / many.seconds;
  print(`(b) Chromium, one offline context of the whole span: ${browserSeconds.toFixed(1)} s, ${speed(browserSeconds)}`);
  print(`(c) a / b: ${(browserSeconds / many.seconds).toFixed(2)}× (the CLI with --jobs ${JOBS} against Chromium)`);
}

if (!args.includes("--skip-voices")) {
  print(`(d) each voice alone, on 1 worker, ${Math.min(LENGTH, 120)} s from the middle of the story:`);
  for (const { name, speed: s } of await voiceCosts())
    print(`    ${name.padEnd(28)} ${s.toFixed(1).padStart(7)}× realtime  ${(1000 / s).toFixed(1).padStart(6)} ms per audio second`);
}

// The targets for a 2-core machine, against this run's figures.
const verdict = (met: boolean) => (met ? "met" : "NOT met");
print(
  `targets: (a) ≥ 60× realtime: ${(LENGTH / many.seconds).toFixed(1)}×, ${verdict(LENGTH / many.seconds >= 60)}; ` +
    (ratio === undefined ? "" : `(c) ≥ 2×: ${ratio.toFixed(2)}×, ${verdict(ratio >= 2)}; `) +
    (JOBS === 1
      ? ""
      : `1 → ${JOBS} jobs ≥ 1.7×: ${(one.seconds / many.seconds).toFixed(2)}×, ${verdict(one.seconds / many.seconds >= 1.7)}; `) +
    `peak memory ≤ 300 MB: ${mb(Math.max(one.pss, many.pss))} PSS, ${verdict(Math.max(one.pss, many.pss) <= 300e6)} (RSS summed: ${mb(Math.max(one.rss, many.rss))}, ${verdict(Math.max(one.rss, many.rss) <= 300e6)})`,
);
