import * as Tone from "tone";
import { describe, expect, it } from "vitest";
import { createSoundscape, type SoundscapeOptions } from "../src/engine/soundscape.ts";
import { VOICE_PARAMS, VOICE_TYPES, type VoiceType } from "../src/score/voice-types.ts";
import { bandShare, hasNaN, mean, peak, powerSpectrum, rms, rmsAt } from "./helpers/measure.ts";
import { soloPreset } from "./helpers/presets.ts";
import { plan, RATE, render, trackNodes } from "./helpers/render.ts";

/** A voice held at a lively setting: every parameter it takes at 0.7, at `level`. */
function lively(type: VoiceType, level: number) {
  const params = Object.fromEntries(Object.keys(VOICE_PARAMS[type]).map((name) => [name, 0.7]));
  return soloPreset(type, { ...params, level }, 120);
}

describe.each(VOICE_TYPES)("the %s voice", (type) => {
  it("makes sound, within ±1, with no NaN and no DC", async () => {
    const [left, right] = await render(plan(lively(type, 0.8)), 30, 12);
    for (const channel of [left, right]) {
      expect(hasNaN(channel)).toBe(false);
      expect(rms(channel)).toBeGreaterThan(2e-3);
      expect(peak(channel)).toBeLessThanOrEqual(1);
      expect(Math.abs(mean(channel))).toBeLessThan(1e-3);
    }
  });

  it("is silent at level 0", async () => {
    const [left, right] = await render(plan(lively(type, 0)), 30, 6);
    expect(peak(left)).toBeLessThan(1e-6);
    expect(peak(right)).toBeLessThan(1e-6);
  });

  it("disposes every node it made", async () => {
    const context = new Tone.OfflineContext(2, 10, RATE);
    const nodes = trackNodes(context);
    const scape = createSoundscape(context, plan(lively(type, 0.8)), { origin: 20, start: 20 });
    scape.schedule(20, 30);
    expect(nodes.created()).toBeGreaterThan(10);
    scape.dispose();
    expect(nodes.notDisconnected()).toEqual([]);
    await context.dispose();
  });
});

describe("a voice type's options", () => {
  it("reach its graph through the soundscape", async () => {
    const p = plan(soloPreset("waterfall", { level: 0.8, brightness: 1 }));
    const sprayShare = async (voiceOptions: SoundscapeOptions["voiceOptions"]) => {
      const context = new Tone.OfflineContext(2, 4, RATE);
      const scape = createSoundscape(context, p, { origin: 20, start: 20, voiceOptions });
      scape.output.connect(context.destination);
      scape.schedule(20, 24);
      const buffer = await context.render();
      scape.dispose();
      return bandShare(buffer.toArray(0) as Float32Array, RATE, 1500, 4000);
    };
    expect(await sprayShare(undefined)).toBeGreaterThan(0.02);
    expect(await sprayShare({ waterfall: { spray: 0 } })).toBeLessThan(0.002);
  });
});

describe("each voice sounds like what it is named", () => {
  it("the pad is harmonic: its power sits in a few narrow peaks below 2 kHz", async () => {
    const [left] = await render(plan(soloPreset("pad", { level: 0.7, brightness: 0.4, mood: 0.2 })), 20, 16);
    expect(bandShare(left, RATE, 60, 2000)).toBeGreaterThan(0.95);
    // Chords of four notes, two detuned oscillators each, a few harmonics: power in a few dozen bins of 2.9 Hz.
    const spectrum = powerSpectrum(left, 16384);
    const total = spectrum.reduce((a, b) => a + b, 0);
    const strongest = [...spectrum].sort((a, b) => b - a).slice(0, 60);
    expect(strongest.reduce((a, b) => a + b, 0) / total).toBeGreaterThan(0.7);
  });

  it("the motif plays separate soft notes: sound begins with a phrase and falls quiet between", async () => {
    const [left] = await render(plan(soloPreset("motif", { level: 0.8, density: 1, register: 0.5, brightness: 0.5 })), 20, 40);
    const tenths = Array.from({ length: 399 }, (_, i) => rmsAt(left, RATE, 0.05 + i * 0.1, 0.1));
    expect(Math.max(...tenths)).toBeGreaterThan(0.01);
    expect(tenths.filter((r) => r < Math.max(...tenths) * 0.05).length).toBeGreaterThan(20);
    expect(bandShare(left, RATE, 200, 3000)).toBeGreaterThan(0.8);
  });
});
