/**
 * A long render is cut into windows, each rendered in its own offline context
 * from a pre-roll, and joined. Here three minutes of the dream, joined from
 * the windows a render makes (by worker processes, as the command line does),
 * are held against the same three minutes rendered in one pass.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { renderSpan } from "../src/engine/offline.ts";
import { renderParallel } from "../src/node/pool.ts";
import { PREROLL, WINDOW_SECONDS, windows } from "../src/core/frames.ts";
import { clicks } from "./helpers/audio.ts";
import { rms, toDb } from "./helpers/measure.ts";
import { loadPresetFile } from "./helpers/presets.ts";
import { plan, RATE } from "./helpers/render.ts";

const FROM = 300;
const SECONDS = 180;
const story = plan(loadPresetFile("dream"), 7, { story: 1800 });
const seams = Array.from({ length: SECONDS / WINDOW_SECONDS - 1 }, (_, k) => (k + 1) * WINDOW_SECONDS);

let joined: Float32Array[];
let single: Float32Array[];

beforeAll(async () => {
  const spans = Array.from({ length: SECONDS / WINDOW_SECONDS }, (_, k) => ({
    startFrame: (FROM + k * WINDOW_SECONDS) * RATE,
    frames: WINDOW_SECONDS * RATE,
  }));
  joined = [new Float32Array(SECONDS * RATE), new Float32Array(SECONDS * RATE)];
  let at = 0;
  for await (const window of renderParallel(story, spans, { sampleRate: RATE, jobs: 2 })) {
    for (const [c, channel] of window.entries()) joined[c].set(channel, at);
    at += window[0].length;
  }
  // One context for the whole span, with a pre-roll long enough for every tail to have settled.
  single = await renderSpan(story, { sampleRate: RATE, startFrame: FROM * RATE, frames: SECONDS * RATE, preroll: 10 });
});

/** Energy of joined − single over [from, to) seconds, relative to the single pass, in dB. */
function residual(from: number, to: number): number {
  let error = 0;
  let signal = 0;
  for (let c = 0; c < 2; c++) {
    for (let i = Math.round(from * RATE); i < Math.round(to * RATE); i++) {
      error += (joined[c][i] - single[c][i]) ** 2;
      signal += single[c][i] ** 2;
    }
  }
  return 10 * Math.log10(error / signal);
}

/** RMS (dB) of a 50 ms block starting at `t` seconds. */
const blockDb = (x: Float32Array, t: number) => toDb(rms(x, Math.round(t * RATE), Math.round((t + 0.05) * RATE)));

describe("windows joined into a long render", () => {
  it("are cut on a fixed grid of story time, from the length and the sample rate alone", () => {
    const grid = windows(100 * RATE, RATE);
    expect(grid.map((w) => w.startFrame / RATE)).toEqual([0, 20, 40, 60, 80]);
    expect(grid.map((w) => w.frames / RATE)).toEqual([20, 20, 20, 20, 20]);
    // At 44.1 kHz a window is a whole number of render quanta: 20.0004 s.
    const cd = windows(60 * 44100, 44100);
    expect(cd.map((w) => w.frames)).toEqual([882048, 882048, 881904]);
    expect(cd.every((w) => w.startFrame % 128 === 0)).toBe(true);
  });

  it("differ from one pass by less than -60 dB over three minutes", () => {
    expect(residual(0, SECONDS)).toBeLessThan(-60);
  });

  it("keep the level at every seam: the 50 ms around it and its two neighbours match one pass within 0.5 dB", () => {
    // Neighbouring 50 ms blocks of noise differ by a dB or two by nature, in one pass as much as
    // joined; what a seam must not do is move them. So each block is held against the same block
    // of the single pass, and so is the step from the seam's block to each neighbour.
    for (const seam of seams) {
      const at = seam - 0.025;
      for (const channel of [0, 1]) {
        const blocks = [at - 0.05, at, at + 0.05].map((t) => [blockDb(joined[channel], t), blockDb(single[channel], t)]);
        for (const [mine, reference] of blocks) expect(Math.abs(mine - reference), `seam at ${seam} s`).toBeLessThan(0.5);
        const steps = (k: number) => blocks[1][k] - blocks[0][k] + (blocks[1][k] - blocks[2][k]);
        expect(Math.abs(steps(0) - steps(1)), `seam at ${seam} s`).toBeLessThan(0.5);
      }
    }
  });

  it("click nowhere near a seam, where one pass does not", () => {
    for (const channel of [0, 1]) {
      const near = (times: number[]) => times.filter((t) => seams.some((seam) => Math.abs(t - seam) < 0.1));
      expect(near(clicks(joined[channel], RATE))).toEqual(near(clicks(single[channel], RATE)));
    }
  });

  it(`differ only where the pre-roll (${PREROLL} s) cut the reverb's tail, and beyond that by float rounding`, () => {
    // What remains different, and why:
    // - In the second after a seam the reverb (decay 3.2 s to -60 dB) still carries sound from
    //   before the window's pre-roll, which the window never heard: below -60 dB of the signal.
    // - Everywhere else the windows compute the same samples in a different order of additions
    //   (Node's engine sums a node's inputs in the order the graph was built, and each window
    //   builds its own), so they differ in the last bits of a float: below -80 dB.
    // The voices themselves are functions of story time (noise keyed on the sample, phases and
    // envelopes from absolute time), so nothing else can differ.
    for (const seam of seams) {
      expect(residual(seam, seam + 1), `second after the seam at ${seam} s`).toBeLessThan(-60);
      expect(residual(seam + 1, seam + WINDOW_SECONDS / 2), `rest of the window after ${seam} s`).toBeLessThan(-80);
    }
  });
});
