/**
 * What makes the drift noise itself, heard alone through the product's own
 * engine: its colour follows brightness and it breathes at the score's rate.
 */
import { describe, expect, it } from "vitest";
import { dominantFrequency, envelope, spectralSlope } from "./helpers/character.ts";
import { soloPreset } from "./helpers/presets.ts";
import { plan, RATE, render } from "./helpers/render.ts";

/** Coefficient of variation (standard deviation over mean) of an envelope: how much it moves. */
function variation(x: Float32Array): number {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length) / mean;
}

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
