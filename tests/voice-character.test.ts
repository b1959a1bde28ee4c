/**
 * What makes the rain, the waves, the fire and the drift noise themselves,
 * heard alone through the product's own engine (as tests/voices.test.ts does
 * for the other six): a few seconds of each, measured for the traits a
 * listener would name.
 */
import { describe, expect, it } from "vitest";
import { band, envelope, kurtosis } from "./helpers/character.ts";
import { bandShare, rms } from "./helpers/measure.ts";
import { soloPreset } from "./helpers/presets.ts";
import { plan, RATE, render } from "./helpers/render.ts";

/** Coefficient of variation (standard deviation over mean) of an envelope: how much it moves. */
function variation(x: Float32Array): number {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length) / mean;
}

/** Rises of an envelope through `factor` times its median: separate bursts, counted once each. */
function bursts(x: Float32Array, factor: number): number {
  const line = factor * [...x].sort((a, b) => a - b)[x.length >> 1];
  let count = 0;
  for (let i = 1; i < x.length; i++) if (x[i] > line && x[i - 1] <= line) count++;
  return count;
}

describe("the rain", () => {
  const rain = (density: number) => render(plan(soloPreset("rain", { level: 0.7, density, brightness: 0.5 })), 20, 6);

  it("is broadband: every band from 60 Hz to 16 kHz holds a share of it, none most of it", async () => {
    const [left] = await rain(0.5);
    for (const [lo, hi] of [
      [60, 250],
      [250, 1000],
      [1000, 4000],
      [4000, 16000],
    ]) {
      const share = bandShare(left, RATE, lo, hi);
      expect(share, `${lo}–${hi} Hz`).toBeGreaterThan(0.05);
      expect(share, `${lo}–${hi} Hz`).toBeLessThan(0.7);
    }
  });

  it("patters in dense drops: the patter band flickers from 5 ms to 5 ms, far more than the steady hush, but never in sparse spikes", async () => {
    const [left] = await rain(0.5);
    const patter = envelope(band(left, RATE, 900, 1800), RATE, 0.005);
    const hush = envelope(band(left, RATE, 4000, 9000), RATE, 0.005);
    expect(variation(patter)).toBeGreaterThan(0.4);
    expect(variation(patter)).toBeGreaterThan(2.5 * variation(hush));
    // So many drops that they overlap: no tall isolated peaks (the fire's crackle reads above 20).
    expect(kurtosis(patter)).toBeLessThan(5);
  });

  it("grows heavier with density: the patter and hush twice as strong, the roof's drumming the same", async () => {
    const [light] = await rain(0.1);
    const [heavy] = await rain(0.9);
    const drops = (x: Float32Array) => rms(band(x, RATE, 1000, 10000));
    const roof = (x: Float32Array) => rms(band(x, RATE, 0, 300));
    expect(drops(heavy) / drops(light)).toBeGreaterThan(1.8);
    expect(roof(heavy) / roof(light)).toBeGreaterThan(0.85);
    expect(roof(heavy) / roof(light)).toBeLessThan(1.15);
  });
});

describe("the fire", () => {
  const SECONDS = 10;
  const fire = (density: number) => render(plan(soloPreset("fire", { level: 0.7, density, brightness: 0.5 })), 20, SECONDS);

  it("is a low roar with crackles over it: most power under 300 Hz, the crackle band in rare tall bursts", async () => {
    const [left] = await fire(0.5);
    expect(bandShare(left, RATE, 0, 300)).toBeGreaterThan(0.6);
    const crackle = envelope(band(left, RATE, 700, 1700), RATE, 0.005);
    const roar = envelope(band(left, RATE, 0, 200), RATE, 0.005);
    expect(kurtosis(crackle)).toBeGreaterThan(20);
    expect(kurtosis(roar)).toBeLessThan(5);
  });

  it("crackles more often with density", async () => {
    const count = async (density: number) => bursts(envelope(band((await fire(density))[0], RATE, 700, 1700), RATE, 0.005), 4);
    const [sparse, busy] = [await count(0.1), await count(0.9)];
    expect(sparse).toBeGreaterThan(0);
    expect(busy).toBeGreaterThan(2 * sparse);
  });
});
