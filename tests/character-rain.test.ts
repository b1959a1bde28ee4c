/**
 * What makes the rain rain, heard alone through the product's own engine:
 * single drops, coloured by what they hit, over the hush of the rain further
 * off; a light patter of countable drops at low density, merging into a
 * steady downpour at high density.
 */
import { describe, expect, it } from "vitest";
import { spectrumMatchedNoise, textureStatistics } from "../src/dsp/texture.ts";
import { band } from "./helpers/character.ts";
import { bandShare, rms } from "./helpers/measure.ts";
import { soloPreset } from "./helpers/presets.ts";
import { plan, RATE, render } from "./helpers/render.ts";

const SECONDS = 12;
const heard = new Map<number, Promise<Float32Array[]>>();
/** The rain alone at `density`, rendered once for every test that asks. */
function rain(density: number): Promise<Float32Array[]> {
  if (!heard.has(density)) heard.set(density, render(plan(soloPreset("rain", { level: 0.7, density, brightness: 0.5 })), 20, SECONDS));
  return heard.get(density) as Promise<Float32Array[]>;
}

/** Mean envelope kurtosis of the cochlear bands between lo and hi Hz: of the sound, and of noise with its spectrum. */
function sparsity(x: Float32Array, lo: number, hi: number): { sound: number; noise: number } {
  const sound = textureStatistics(x, RATE);
  const noise = textureStatistics(spectrumMatchedNoise(x, RATE, 1), RATE);
  const bands = Array.from(sound.centres.keys()).filter((b) => sound.centres[b] >= lo && sound.centres[b] < hi);
  const mean = (k: Float64Array) => bands.reduce((sum, b) => sum + k[b], 0) / bands.length;
  return { sound: mean(sound.kurtosis), noise: mean(noise.kurtosis) };
}

describe("the rain", () => {
  // Real rain (the five recordings of bench:texture, their first 12 s) holds 0.1–28 % of its power
  // at 60–250 Hz, most of them under 2 %: the low band's floor is a trace, not a rumble.
  it("is broadband: every band from 60 Hz to 16 kHz holds a share of it, none most of it", async () => {
    for (const density of [0.1, 0.5]) {
      const [left] = await rain(density);
      for (const [lo, hi] of [
        [60, 250],
        [250, 1000],
        [1000, 4000],
        [4000, 16000],
      ]) {
        const share = bandShare(left, RATE, lo, hi);
        expect(share, `${lo}–${hi} Hz at density ${density}`).toBeGreaterThan(lo < 250 ? 0.01 : 0.05);
        expect(share, `${lo}–${hi} Hz at density ${density}`).toBeLessThan(0.7);
      }
    }
  });

  // In real rain the drops stand out most in the highest bands (4–10 kHz: 1.04–1.45 times the
  // kurtosis of noise with its spectrum), a little on the roof's (300–900 Hz: 1.01–1.15); below
  // them they merge into the hush.
  it("falls in drops: on the leaves (4–10 kHz) and on the roof (300–900 Hz) its envelopes are sparser than noise with its spectrum", async () => {
    const [left] = await rain(0.5);
    for (const [lo, hi, ratio] of [
      [4000, 10000, 1.1],
      [300, 900, 1.04],
    ]) {
      const { sound, noise } = sparsity(left, lo, hi);
      expect(sound, `${lo}–${hi} Hz`).toBeGreaterThan(ratio * noise);
    }
  });

  it("patters at low density and merges into a steady hush at high: the drops' sparsity falls as density rises, never to tall lone spikes", async () => {
    const light = sparsity((await rain(0.1))[0], 1000, 8000).sound;
    const heavy = sparsity((await rain(0.9))[0], 4000, 10000);
    expect(heavy.sound).toBeLessThan(0.8 * light);
    // The fire's crackle reads 10–25 here: the rain's drops are many, none alone.
    expect(light).toBeLessThan(10);
    // A downpour is still drops, high up: sparser there than noise with its spectrum.
    expect(heavy.sound).toBeGreaterThan(1.03 * heavy.noise);
  });

  it("grows heavier with density: the drops and the hush twice as strong, the roof's low drumming less so", async () => {
    const [light] = await rain(0.1);
    const [heavy] = await rain(0.9);
    const drops = (x: Float32Array) => rms(band(x, RATE, 1000, 10000));
    const roof = (x: Float32Array) => rms(band(x, RATE, 0, 300));
    expect(drops(heavy) / drops(light)).toBeGreaterThan(1.8);
    expect(roof(heavy) / roof(light)).toBeGreaterThan(1);
    expect(roof(heavy) / roof(light)).toBeLessThan(0.75 * (drops(heavy) / drops(light)));
  });

  it("comes closer with brightness: the drops reach higher and stand out of the hush", async () => {
    const at = async (brightness: number) => (await render(plan(soloPreset("rain", { level: 0.7, density: 0.5, brightness })), 20, 8))[0];
    const [dark, bright] = [await at(0.1), await at(0.9)];
    expect(bandShare(bright, RATE, 4000, 16000)).toBeGreaterThan(1.5 * bandShare(dark, RATE, 4000, 16000));
    expect(sparsity(bright, 1000, 8000).sound).toBeGreaterThan(sparsity(dark, 1000, 8000).sound);
  });
});
