/**
 * What makes the rain, the waves, the fire and the drift noise themselves,
 * heard alone through the product's own engine (as tests/voices.test.ts does
 * for the other six): a few seconds of each, measured for the traits a
 * listener would name.
 */
import { describe, expect, it } from "vitest";
import { eventsInWindow } from "../src/score/events.ts";
import { band, bestLag, dominantFrequency, envelope, impulses, kurtosis, spectralSlope } from "./helpers/character.ts";
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
