/**
 * What makes the waves and the drift noise themselves, heard alone through
 * the product's own engine (as tests/voices.test.ts does for others, and
 * tests/character-*.test.ts for the rain and the fire): a few seconds of
 * each, measured for the traits a listener would name.
 */
import { describe, expect, it } from "vitest";
import { eventsInWindow } from "../src/score/events.ts";
import { band, bestLag, dominantFrequency, envelope, impulses, spectralSlope } from "./helpers/character.ts";
import { bandShare } from "./helpers/measure.ts";
import { soloPreset } from "./helpers/presets.ts";
import { plan, RATE, render } from "./helpers/render.ts";

/** Coefficient of variation (standard deviation over mean) of an envelope: how much it moves. */
function variation(x: Float32Array): number {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length) / mean;
}

describe("the waves", () => {
  const FROM = 20;
  const SECONDS = 36;
  const FRAME = 0.25;
  const shore = (brightness: number) => soloPreset("waves", { level: 0.7, density: 1, brightness }, 120);
  const preset = shore(0.6);
  const p = plan(preset);
  // Rendered once, when the first test asks, for both tests.
  let heard: Promise<Float32Array[]> | undefined;
  const listen = () => (heard ??= render(p, FROM, SECONDS));

  it("swell slowly, about once per 6 s slot at density 1, each swell cresting some 3 s after the score's wave", async () => {
    const [left] = await listen();
    const low = envelope(band(left, RATE, 0, 300), RATE, FRAME);
    expect(Math.max(...low) / Math.min(...low)).toBeGreaterThan(1.5);
    const hz = dominantFrequency(low, 1 / FRAME, 0.03, 1);
    expect(hz).toBeGreaterThan(1 / 9);
    expect(hz).toBeLessThan(1 / 4.5);
    const onsets = eventsInWindow(p, preset.voices[0], FROM - 12, FROM + SECONDS).map((e) => e.time);
    const crest = bestLag(impulses(onsets, FROM, FRAME, low.length), low, Math.round(6 / FRAME));
    expect(crest.lag * FRAME).toBeGreaterThanOrEqual(2);
    expect(crest.lag * FRAME).toBeLessThanOrEqual(4);
  });

  it("draw back in foam: the hiss above 4 kHz follows each swell by a second or two, and brightness brings it out", async () => {
    const [left] = await listen();
    const low = envelope(band(left, RATE, 0, 300), RATE, FRAME);
    const foam = envelope(band(left, RATE, 4000, 8000), RATE, FRAME);
    const follows = bestLag(low, foam, Math.round(4 / FRAME));
    expect(follows.value).toBeGreaterThan(0.5);
    expect(follows.lag * FRAME).toBeGreaterThanOrEqual(1);
    expect(follows.lag * FRAME).toBeLessThanOrEqual(2);
    const [dark] = await render(plan(shore(0.1)), FROM, 12);
    const [bright] = await render(plan(shore(0.9)), FROM, 12);
    expect(bandShare(bright, RATE, 4000, 8000)).toBeGreaterThan(3 * bandShare(dark, RATE, 4000, 8000));
  });
});

describe("the drift noise", () => {
  const still = (brightness: number) => soloPreset("driftNoise", { level: 0.7, density: 0, brightness });

  it("tilts with brightness: brown (-6 dB per octave) at 0, pink (-3) at 0.5, airy (pink above 450 Hz) at 1", async () => {
    const slope = async (brightness: number, lo: number, hi: number) =>
      spectralSlope((await render(plan(still(brightness)), 20, 4))[0], RATE, lo, hi);
    expect(await slope(0, 100, 4000)).toBeCloseTo(-6, 0);
    expect(await slope(0.5, 100, 4000)).toBeCloseTo(-3, 0);
    // The airy colour is pink above its 450 Hz high-pass and rises towards it from below.
    expect(await slope(1, 1000, 8000)).toBeCloseTo(-3, 0);
    expect(await slope(1, 100, 400)).toBeGreaterThan(3);
  });

  it("breathes at the rate's breaths per minute: 3 at rate 0, 8 at rate 1, deeper with density", async () => {
    // Two breaths at the slowest rate take 40 s; the breath is in the controls, not the sample rate, so 16 kHz hears it as well.
    const breathing = async (rate: number, density: number) => {
      const preset = soloPreset("driftNoise", { level: 0.7, density, brightness: 0.5, rate }, 120);
      const [left] = await render(plan(preset), 20, 40, 16000);
      return envelope(left, 16000, 0.25);
    };
    const [slow, fast, shallow] = [await breathing(0, 1), await breathing(1, 1), await breathing(1, 0)];
    expect(dominantFrequency(slow, 4, 0.02, 0.5) * 60).toBeCloseTo(3, 0);
    expect(dominantFrequency(fast, 4, 0.02, 0.5) * 60).toBeCloseTo(8, 0);
    expect(variation(fast)).toBeGreaterThan(2 * variation(shallow));
  });
});
