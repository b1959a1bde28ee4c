/**
 * What makes the fire a fire, heard alone through the product's own engine:
 * a quiet low roar that slowly laps, and over it sparse, sharp crackles at
 * bands of their own, coming more often as the wood catches (density) and
 * in a flurry when a log settles.
 */
import { describe, expect, it } from "vitest";
import { spectrumMatchedNoise, textureStatistics } from "../src/dsp/texture.ts";
import { presetFromValue } from "../src/score/preset.ts";
import { band, envelope, kurtosis } from "./helpers/character.ts";
import { bandShare, rms } from "./helpers/measure.ts";
import { soloPreset } from "./helpers/presets.ts";
import { plan, RATE, render } from "./helpers/render.ts";

const SECONDS = 16;
const heard = new Map<number, Promise<Float32Array[]>>();
/** The fire alone at `density`, rendered once for every test that asks. */
function fire(density: number): Promise<Float32Array[]> {
  if (!heard.has(density)) heard.set(density, render(plan(soloPreset("fire", { level: 0.7, density, brightness: 0.5 })), 20, SECONDS));
  return heard.get(density) as Promise<Float32Array[]>;
}

/** Rises of the 2–8 kHz envelope (5 ms frames) through 4 times its median: crackles, each counted once. */
function crackles(x: Float32Array): number {
  const env = envelope(band(x, RATE, 2000, 8000), RATE, 0.005);
  const line = 4 * [...env].sort((a, b) => a - b)[env.length >> 1];
  let count = 0;
  for (let i = 1; i < env.length; i++) if (env[i] > line && env[i - 1] <= line) count++;
  return count;
}

describe("the fire", () => {
  it("crackles: in every band from 2 to 8 kHz its envelope is far sparser (kurtosis) than noise with the fire's own spectrum", async () => {
    const [left] = await fire(0.5);
    const sound = textureStatistics(left, RATE);
    const noise = textureStatistics(spectrumMatchedNoise(left, RATE, 1), RATE);
    const bands = Array.from(sound.centres.keys()).filter((b) => sound.centres[b] >= 2000 && sound.centres[b] < 8000);
    expect(bands.length).toBeGreaterThan(5);
    for (const b of bands) {
      expect(noise.kurtosis[b], `${Math.round(sound.centres[b])} Hz`).toBeLessThan(4);
      expect(sound.kurtosis[b], `${Math.round(sound.centres[b])} Hz`).toBeGreaterThan(2.5 * noise.kurtosis[b]);
    }
  });

  it("roars low and quietly laps: most power under 300 Hz, its envelope smooth (not sparse) yet slowly moving", async () => {
    const [left] = await fire(0.5);
    expect(bandShare(left, RATE, 0, 300)).toBeGreaterThan(0.6);
    const roar = band(left, RATE, 0, 200);
    expect(kurtosis(envelope(roar, RATE, 0.005))).toBeLessThan(5);
    const slow = envelope(roar, RATE, 0.25);
    const mean = slow.reduce((a, b) => a + b, 0) / slow.length;
    const sd = Math.sqrt(slow.reduce((a, b) => a + (b - mean) ** 2, 0) / slow.length);
    expect(sd / mean).toBeGreaterThan(0.08);
  });

  it("crackles more often with density", async () => {
    const sparse = crackles((await fire(0.1))[0]);
    const busy = crackles((await fire(0.9))[0]);
    expect(sparse).toBeGreaterThan(3);
    expect(busy).toBeGreaterThan(2 * sparse);
  });

  it("settles: a log sinking brings a soft low thump and a flurry of crackles", async () => {
    const hearth = (events: unknown[]) =>
      presetFromValue(
        {
          id: "settle",
          title: "a log settles",
          storyLength: 60,
          voices: { fire: { type: "fire" } },
          beats: [
            {
              id: "only",
              caption: "one",
              length: 1,
              transition: 0,
              targets: { fire: { level: 0.7, density: 0.1, brightness: 0.5 } },
              events,
            },
          ],
        },
        "settle",
      );
    // At 0.5 of a 60 s story: 30 s. The flurry peaks just after, over some 3 s.
    const [still] = await render(plan(hearth([])), 29, 4);
    const [settled] = await render(plan(hearth([{ type: "settle", voice: "fire", at: 0.5, intensity: 1 }])), 29, 4);
    const thump = (x: Float32Array) => rms(band(x, RATE, 40, 90), RATE, 2 * RATE);
    expect(crackles(settled)).toBeGreaterThan(1.5 * crackles(still) + 2);
    expect(thump(settled)).toBeGreaterThan(1.3 * thump(still));
  });
});
