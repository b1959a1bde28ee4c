/**
 * The leaves: a canopy that rustles on as long as the wind blows (Farnell),
 * swelling in the gusts and thinning in the lulls but never switched off, in
 * grains of broadband noise. Heard alone through the product's own engine.
 */
import { describe, expect, it } from "vitest";
import { presetFromValue } from "../src/score/preset.ts";
import { createLeavesTexture } from "../src/synth/leaves.ts";
import { band, envelope, kurtosis } from "./helpers/character.ts";
import { bandShare } from "./helpers/measure.ts";
import { soloPreset } from "./helpers/presets.ts";
import { plan, RATE, render } from "./helpers/render.ts";
import { seam } from "./helpers/seams.ts";

/** Leaves in the wind for 42 s, then out of the story (level 0) for 42 s, then back. */
const comingAndGoing = presetFromValue(
  {
    id: "leaves-out",
    title: "leaves out of the story",
    storyLength: 126,
    voices: { leaves: { type: "leaves" } },
    beats: [
      {
        id: "in",
        caption: "in",
        length: 1,
        transition: 0,
        targets: { leaves: { level: 0.8, density: 0.8, brightness: 0.6 } },
        // The wind at its height as the leaves fall silent: grains in the last moment.
        events: [{ type: "gust", voice: "leaves", at: 0.97, intensity: 1 }],
      },
      { id: "out", caption: "out", length: 1, transition: 0, targets: { leaves: { level: 0 } } },
      { id: "back", caption: "back", length: 1, transition: 0, targets: { leaves: { level: 0.8 } } },
    ],
  },
  "character-leaves",
);

function sorted(x: Float32Array): number[] {
  return [...x].sort((a, b) => a - b);
}

describe("the leaves", () => {
  it("join their chunks without a seam where they leave the story and come back: the grains before the silence ring on into it", () => {
    // The level falls from 42 s and reaches zero at 43 s: the chunk from 43 s still holds the tails of the grains before it.
    expect(seam(createLeavesTexture, comingAndGoing, 42)).toBe(0);
    expect(seam(createLeavesTexture, comingAndGoing, 83)).toBe(0);
  });

  // 40 s at a middling wind: a few gusts pass, and the lulls between them.
  const canopy = render(plan(soloPreset("leaves", { level: 0.8, density: 0.5, brightness: 0.6 }, 90)), 20, 40);

  it("rustle on while the wind blows: no half second falls below a third of the median, and gusts swell it", async () => {
    const [left] = await canopy;
    const halves = sorted(envelope(left, RATE, 0.5));
    const median = halves[halves.length >> 1];
    expect(halves[0]).toBeGreaterThan(median / 3);
    expect(halves[halves.length - 1]).toBeGreaterThan(1.8 * median);
  });

  it("are broadband: every octave from 500 Hz to 8 kHz holds a share, none most of it", async () => {
    const [left] = await canopy;
    for (const [lo, hi] of [
      [500, 1000],
      [1000, 2000],
      [2000, 4000],
      [4000, 8000],
    ]) {
      const share = bandShare(left, RATE, lo, hi);
      expect(share).toBeGreaterThan(0.04);
      expect(share).toBeLessThan(0.5);
    }
    expect(bandShare(left, RATE, 0, 250)).toBeLessThan(0.05);
  });

  it("rustle in grains: the 2–8 kHz envelope in 5 ms frames is far peakier than a bed of noise swelling with the wind", async () => {
    const [left] = await canopy;
    const frames = envelope(band(left, RATE, 2000, 8000), RATE, 0.005);
    // The bed alone, swelling and fluttering with the wind, measures about 5.2; with the grains, about 8.5.
    expect(kurtosis(frames)).toBeGreaterThan(7);
  });
});
