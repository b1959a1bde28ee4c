/**
 * The distant waterfall, heard alone through the product's engine: nearly
 * broadband to a few kHz over a low roar, made of a crowd of bubbles (short
 * tones whose pitch rises as they die, so many and so far that they all but
 * merge into noise), breathing slowly.
 */
import { describe, expect, it } from "vitest";
import { spectrumMatchedNoise } from "../src/dsp/texture.ts";
import { band, envelope, kurtosis } from "./helpers/character.ts";
import { bandShare, rmsAt } from "./helpers/measure.ts";
import { soloPreset } from "./helpers/presets.ts";
import { plan, RATE, render } from "./helpers/render.ts";
import { waterfallTexture } from "../src/synth/waterfall.ts";
import { seam } from "./helpers/seams.ts";
import { BUBBLE_BANDS } from "./helpers/water.ts";

const fall = async (brightness: number, rate = 0.5, seconds = 16) =>
  (await render(plan(soloPreset("waterfall", { level: 0.8, brightness, rate }, 120)), 20, seconds))[0];

describe("the waterfall", () => {
  it("is broadband to 2–4 kHz with a low roar under it, and little above", async () => {
    const left = await fall(0.5);
    expect(bandShare(left, RATE, 1000, 4000)).toBeGreaterThan(0.25);
    expect(bandShare(left, RATE, 300, 1000)).toBeGreaterThan(0.08);
    expect(bandShare(left, RATE, 0, 300)).toBeGreaterThan(0.2);
    expect(bandShare(left, RATE, 0, 300)).toBeLessThan(0.6);
    expect(bandShare(left, RATE, 6000, 24000)).toBeLessThan(0.05);
  });

  it("lets more high spray through with brightness", async () => {
    const [dark, bright] = [await fall(0), await fall(1)];
    expect(bandShare(bright, RATE, 2500, 6000)).toBeGreaterThan(1.5 * bandShare(dark, RATE, 2500, 6000));
  });

  // Far off, the bubbles all but merge into noise: in the two recordings of a fall in /work/recordings
  // their rising pitch no longer shows (no upward flow of energy above their noise's), but their 5 ms
  // envelopes in 1–4 kHz stay 1.12–1.26 times as peaky as noise of their spectrum; so are the fall's.
  it("is a crowd of bubbles, faint with distance: in 1–4 kHz its envelopes are a little sparser than noise of its spectrum", async () => {
    const left = await fall(0.5);
    const noise = spectrumMatchedNoise(left, RATE, 11);
    const peakiness = (x: Float32Array) =>
      BUBBLE_BANDS.reduce((sum, [lo, , hi]) => sum + kurtosis(envelope(band(x, RATE, lo, hi), RATE, 0.005)), 0) / BUBBLE_BANDS.length;
    expect(peakiness(left)).toBeGreaterThan(1.08 * peakiness(noise));
    expect(peakiness(left)).toBeLessThan(1.3 * peakiness(noise));
  });

  it("breathes slowly: its loudness swings, never by half", async () => {
    const left = await fall(0.5, 0.8, 30);
    const seconds = Array.from({ length: 28 }, (_, i) => rmsAt(left, RATE, 1 + i, 1));
    const swing = Math.max(...seconds) / Math.min(...seconds);
    expect(swing).toBeGreaterThan(1.15);
    expect(swing).toBeLessThan(2.5);
  });

  it("joins its chunks without a seam: a stretch rendered at once is the chunks rendered one by one", () => {
    expect(seam(waterfallTexture, soloPreset("waterfall", { level: 0.8, brightness: 0.5, rate: 0.8 }, 120), 30)).toBe(0);
  });
});
