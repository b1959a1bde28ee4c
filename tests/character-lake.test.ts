/**
 * The lake, heard alone through the product's engine: low water lapping in
 * slow swells, larger bubbles (short tones whose pitch rises) and small
 * splashes with detail up to some 10 kHz, and the fish's leap: a splash that
 * swells in over tens of milliseconds, never a step, at a moderate peak.
 */
import { describe, expect, it } from "vitest";
import { spectrumMatchedNoise } from "../src/dsp/texture.ts";
import { eventsInWindow } from "../src/score/events.ts";
import { presetFromValue } from "../src/score/preset.ts";
import { band, envelope, kurtosis } from "./helpers/character.ts";
import { bandShare, rmsAt } from "./helpers/measure.ts";
import { soloPreset } from "./helpers/presets.ts";
import { plan, RATE, render } from "./helpers/render.ts";
import { lakeTexture } from "../src/synth/lake.ts";
import { seam } from "./helpers/seams.ts";
import { BUBBLE_BANDS, upwardFlow } from "./helpers/water.ts";

const lake = async (brightness: number, density = 0.6, seconds = 20) =>
  (await render(plan(soloPreset("lake", { level: 0.7, density, brightness }, 120)), 20, seconds))[0];

/** A still lake (few laps, dark) with one leap, 40 s into the story. */
const leaping = presetFromValue(
  {
    id: "leap",
    title: "a leap",
    storyLength: 80,
    voices: { lake: { type: "lake" } },
    beats: [
      {
        id: "clearing",
        caption: "a fish leaps",
        length: 1,
        transition: 0,
        targets: { lake: { level: 0.5, density: 0.2, brightness: 0.3 } },
        events: [{ type: "leap", voice: "lake", at: 0.5, intensity: 0.6 }],
      },
    ],
  },
  "character-lake",
);

describe("the lake", () => {
  it("laps: low water that swells and falls every second or two", async () => {
    const left = await lake(0.5, 0.6, 30);
    expect(bandShare(left, RATE, 0, 1500)).toBeGreaterThan(0.85);
    const tenths = Array.from({ length: 298 }, (_, i) => rmsAt(left, RATE, 0.1 + i * 0.1, 0.2));
    expect(Math.max(...tenths) / Math.min(...tenths)).toBeGreaterThan(2.5);
  });

  it("reaches above 3 kHz in droplets and splashes, more so when clear", async () => {
    const [dark, clear] = [await lake(0), await lake(1)];
    const high = (x: Float32Array) => bandShare(x, RATE, 3000, 12000);
    // About -27 dB of its power; the old lake had -47 dB.
    expect(high(clear)).toBeGreaterThan(0.001);
    expect(high(clear)).toBeGreaterThan(2 * high(dark));
    // Not a hiss: the detail up there comes and goes (kurtosis of a steady noise's envelope is 3).
    expect(kurtosis(envelope(band(clear, RATE, 3000, 10000), RATE, 0.01))).toBeGreaterThan(8);
  });

  it("is made of bubbles: in 1–4 kHz energy flows upward within a few ms, and comes in rare peaks", async () => {
    const left = await lake(0.5);
    const noise = spectrumMatchedNoise(left, RATE, 11);
    const flows = BUBBLE_BANDS.map(([lo, mid, hi]) => upwardFlow(left, RATE, lo, mid, hi) - upwardFlow(noise, RATE, lo, mid, hi));
    expect(flows.reduce((a, b) => a + b, 0) / flows.length).toBeGreaterThan(0.015);
    for (const flow of flows) expect(flow).toBeGreaterThan(0);
    const [lo, , hi] = BUBBLE_BANDS[2];
    expect(kurtosis(envelope(band(left, RATE, lo, hi), RATE, 0.005))).toBeGreaterThan(
      2 * kurtosis(envelope(band(noise, RATE, lo, hi), RATE, 0.005)),
    );
  });

  it("lets the fish leap in a splash that swells in over 20 ms or more, at a moderate peak", async () => {
    const p = plan(leaping);
    const [leap] = eventsInWindow(p, p.preset.voices[0], 0, 80).filter((e) => e.kind === "leap");
    const from = leap.time - 2;
    const [left] = await render(p, from, 4);
    // The splash's band, over the low water: its envelope in 5 ms frames, from the leap on.
    const splash = envelope(band(left, RATE, 2000, 12000), RATE, 0.005);
    // Its first 90 ms: the splash, before the drops fall back.
    const onset = splash.subarray(Math.round(2 / 0.005), Math.round(2.09 / 0.005));
    const peak = Math.max(...onset);
    expect(onset.findIndex((v) => v >= 0.9 * peak) * 5, "ms to 90% of the splash's peak").toBeGreaterThanOrEqual(20);
    let step = 0;
    for (let i = 1; i < onset.length; i++) step = Math.max(step, onset[i] - onset[i - 1]);
    // A raised cosine of 30 ms rises a quarter of the way in 5 ms; a step, all of it.
    expect(step / peak, "largest rise in 5 ms, of the peak").toBeLessThan(0.45);
    // It is heard over the lake, but it stands out moderately: its loudest 50 ms against the seconds before.
    const loudest = (x: Float32Array) => Math.max(...Array.from({ length: 12 }, (_, i) => rmsAt(x, RATE, 2 + i * 0.025, 0.05)));
    const high = band(left, RATE, 2000, 12000);
    expect(loudest(high) / rmsAt(high, RATE, 0, 1.8)).toBeGreaterThan(2);
    expect(loudest(left) / rmsAt(left, RATE, 0, 1.8)).toBeLessThan(4);
  });

  it("joins its chunks without a seam: a stretch rendered at once is the chunks rendered one by one", () => {
    expect(seam(lakeTexture, leaping, 40)).toBe(0);
  });
});
