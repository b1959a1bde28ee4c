/**
 * Windows rendered by worker processes, handed on in order: the file is the
 * same, byte for byte, however many workers render it.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RenderPool } from "../src/node/pool.ts";
import { readWavFile } from "../src/node/wav-file.ts";
import { entries, reverie, tempDir } from "./helpers/cli.ts";
import { loadPresetFile } from "./helpers/presets.ts";
import { plan, RATE } from "./helpers/render.ts";

const md5 = (path: string) => createHash("md5").update(readFileSync(path)).digest("hex");
/** The largest magnitude in a window. */
const peak = (audio: Float32Array[]) => audio.reduce((top, channel) => channel.reduce((m, v) => Math.max(m, Math.abs(v)), top), 0);
/** A window's samples, as a digest (a failing comparison of millions of samples would print them all). */
const digest = (audio: Float32Array[]) => audio.map((channel) => createHash("md5").update(channel).digest("hex")).join(" ");

describe("a render on worker processes", () => {
  it("writes the same bytes with 1, 2 or 3 jobs (three windows and a bit)", () => {
    const dir = tempDir();
    const sums = [1, 2, 3].map((jobs) => {
      const out = join(dir, `jobs-${jobs}.wav`);
      const run = reverie("render", "--length", "95s", "--seed", "7", "--jobs", String(jobs), "--out", out);
      expect(run.code, run.stderr).toBe(0);
      return md5(out);
    });
    expect(new Set(sums).size).toBe(1);
    expect(entries(dir)).toEqual(["jobs-1.wav", "jobs-2.wav", "jobs-3.wav"]);
  });

  it("hands the windows on in story order, whichever worker finishes first", async () => {
    // Windows of very different cost (1 s and 20 s) so that later ones finish first.
    const story = plan(loadPresetFile("dream"), 3, { story: 1800 });
    const spans: { startFrame: number; frames: number }[] = [];
    for (const seconds of [20, 1, 1, 20, 1]) {
      const last = spans.at(-1);
      spans.push({ startFrame: last ? last.startFrame + last.frames : 400 * RATE, frames: seconds * RATE });
    }
    const pool = await RenderPool.start(story, { sampleRate: RATE, jobs: 3 });
    try {
      const lengths: number[] = [];
      for await (const audio of pool.render(spans)) lengths.push(audio[0].length / RATE);
      expect(lengths).toEqual([20, 1, 1, 20, 1]);
    } finally {
      await pool.close();
    }
  });

  it("replaces its workers every few windows without changing a sample", async () => {
    const story = plan(loadPresetFile("dream"), 5, { story: 1800 });
    const spans = Array.from({ length: 6 }, (_, k) => ({ startFrame: (600 + 2 * k) * RATE, frames: 2 * RATE }));
    const renderWith = async (windowsPerWorker: number) => {
      const pool = await RenderPool.start(story, { sampleRate: RATE, jobs: 2, windowsPerWorker });
      try {
        const audio: string[] = [];
        let loudest = 0;
        for await (const window of pool.render(spans)) {
          audio.push(digest(window));
          loudest = Math.max(loudest, peak(window));
        }
        return { audio, started: pool.started, loudest };
      } finally {
        await pool.close();
      }
    };
    const kept = await renderWith(100);
    const replaced = await renderWith(2);
    expect(kept.started).toBe(2);
    // Six windows, two a worker: at least two workers are replaced on the way.
    expect(replaced.started).toBeGreaterThanOrEqual(4);
    expect(replaced.audio).toEqual(kept.audio);
    expect(kept.loudest).toBeGreaterThan(0.001);
  });

  it("lends a window's arrays again once the caller is done with them, filled with the right audio", async () => {
    const story = plan(loadPresetFile("dream"), 6, { story: 1800 });
    const spans = Array.from({ length: 5 }, (_, k) => ({ startFrame: (900 + 2 * k) * RATE, frames: 2 * RATE }));
    const renderWith = async (reuse: boolean) => {
      // One worker: the next window is rendered and read while the caller holds the last.
      const pool = await RenderPool.start(story, { sampleRate: RATE, jobs: 1 });
      try {
        const copies: string[] = [];
        let loudest = 0;
        const arrays = new Set<Float32Array>();
        for await (const window of pool.render(spans, { reuse })) {
          // A slow caller: the next window arrives meanwhile, and must not land in the arrays it still holds.
          await new Promise((resolve) => setTimeout(resolve, 1000));
          copies.push(digest(window));
          arrays.add(window[0]);
          loudest = Math.max(loudest, peak(window));
        }
        return { copies, arrays: arrays.size, loudest };
      } finally {
        await pool.close();
      }
    };
    const fresh = await renderWith(false);
    const lent = await renderWith(true);
    expect(fresh.arrays).toBe(5);
    expect(lent.arrays).toBeLessThan(5);
    expect(lent.copies).toEqual(fresh.copies);
    expect(fresh.loudest).toBeGreaterThan(0.001);
  });

  it("rejects a --jobs that is not a whole number from 1 to 64, in one line", async () => {
    for (const jobs of ["0", "65", "two", "1.5"]) {
      const run = reverie("render", "--length", "5s", "--jobs", jobs, "--out", join(tempDir(), "x.wav"));
      expect(run.code).toBe(2);
      expect(run.stderr.trim()).toMatch(/^reverie: --jobs must be a whole number from 1 to 64/);
    }
    // And accepts one it can use: the file is a plain stereo WAV.
    const out = join(tempDir(), "one.wav");
    expect(reverie("render", "--length", "5s", "--jobs", "1", "--out", out).code).toBe(0);
    expect(await readWavFile(out)).toMatchObject({ channels: 2, frames: 5 * RATE });
  });
});
