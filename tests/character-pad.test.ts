/**
 * What makes the pad itself: the harmony is the score's (its spectral peaks
 * sit on the harmonics of the chord's notes, and its fundamentals are all
 * there), brightness opens it and darkness closes it, and a texture's chunk
 * is a pure function of its frames (any split draws the same samples).
 */
import { describe, expect, it } from "vitest";
import { Random } from "../src/core/random.ts";
import { eventsInWindow } from "../src/score/events.ts";
import { createPadTexture } from "../src/synth/pad.ts";
import { textureScore } from "../src/synth/texture.ts";
import { bandShare, powerSpectrum } from "./helpers/measure.ts";
import { soloPreset } from "./helpers/presets.ts";
import { plan, RATE, render } from "./helpers/render.ts";

const SIZE = 1 << 18;
const hzOf = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

/** The strongest spectral peaks of `x` (local maxima at least `apart` Hz from a stronger one), strongest first. */
function peaks(x: Float32Array, count: number, apart = 6): { hz: number; power: number }[] {
  const power = powerSpectrum(x, SIZE);
  const found: { hz: number; power: number }[] = [];
  const order = Array.from(power.keys())
    .filter((k) => k > 0 && power[k] >= power[k - 1] && power[k] >= power[k + 1])
    .sort((a, b) => power[b] - power[a]);
  for (const k of order) {
    const hz = (k * RATE) / SIZE;
    if (found.every((p) => Math.abs(p.hz - hz) > apart)) found.push({ hz, power: power[k] });
    if (found.length === count) break;
  }
  return found;
}

/** Cents from `hz` to the nearest harmonic (1–7) of any of `notes`. */
function centsFromHarmonics(hz: number, notes: number[]): number {
  const harmonics = notes.flatMap((midi) => [1, 2, 3, 4, 5, 6, 7].map((n) => n * hzOf(midi)));
  return Math.min(...harmonics.map((h) => Math.abs(1200 * Math.log2(hz / h))));
}

describe("the pad", () => {
  const p = plan(soloPreset("pad", { level: 0.7, brightness: 0.4, mood: 0.2 }));

  it("plays the score's chord: its strongest peaks are harmonics of the chord's notes, and every note sounds", async () => {
    // Chord 2 (from 32 s) sounds alone from 40 s, when chord 1 has faded, to 48 s, when chord 3 begins.
    const chord = eventsInWindow(p, p.preset.voices[0], 32, 33).find((e) => e.kind === "chord");
    if (chord?.kind !== "chord") throw new Error("no chord at 32 s");
    const [left] = await render(p, 41.5, 6);
    const strongest = peaks(left, 10);
    for (const peak of strongest) expect(centsFromHarmonics(peak.hz, chord.notes)).toBeLessThan(12);
    const spectrum = powerSpectrum(left, SIZE);
    const loudest = strongest[0].power;
    for (const midi of chord.notes) {
      const k = Math.round((hzOf(midi) * SIZE) / RATE);
      const near = Math.max(...spectrum.slice(k - 8, k + 9));
      expect(near / loudest).toBeGreaterThan(1e-3);
    }
  });

  it("darkens as the brightness falls: far less of its power above 1 kHz at brightness 0 than at 1", async () => {
    const share = async (brightness: number) => {
      const [left] = await render(plan(soloPreset("pad", { level: 0.7, brightness, mood: 0.2 })), 20, 8);
      return bandShare(left, RATE, 1000, 24000, 16384);
    };
    const [dark, bright] = [await share(0), await share(1)];
    expect(dark).toBeLessThan(0.01);
    expect(bright).toBeGreaterThan(10 * dark);
  });

  it("draws the same samples whatever stretch of frames is asked for", () => {
    const voice = p.preset.voices[0];
    const texture = () => createPadTexture({ rate: RATE, rng: new Random(3), score: textureScore(p, voice) }, {});
    const start = 30 * RATE + 17;
    const whole = [new Float32Array(RATE), new Float32Array(RATE)] as const;
    texture().render(whole, start);
    const split = texture();
    for (const [from, to] of [
      [0, 12345],
      [12345, 30001],
      [30001, RATE],
    ]) {
      const part = [new Float32Array(to - from), new Float32Array(to - from)] as const;
      split.render(part, start + from);
      expect(part[0]).toEqual(whole[0].subarray(from, to));
      expect(part[1]).toEqual(whole[1].subarray(from, to));
    }
  });
});
