import * as Tone from "tone";
import { describe, expect, it } from "vitest";
import { Random } from "../src/core/random.ts";
import { beatAt } from "../src/score/timeline.ts";
import { autocorrelation } from "./helpers/audio.ts";
import { bandShare, hasNaN, highpass, mean, peak, rms } from "./helpers/measure.ts";
import { loadPresetFile } from "./helpers/presets.ts";
import { only, plan, RATE, render } from "./helpers/render.ts";

const dream = loadPresetFile("dream");
const story = plan(dream, 7, { story: 1800 });
const beat = (id: string) => {
  const found = story.beats.find((b) => b.beat.id === id);
  if (!found) throw new Error(`no beat ${id}`);
  return found;
};

describe("the dream, rendered", () => {
  it("opens in twilight with the distant waterfall carrying the most of the sound, its hum low under it", async () => {
    const [left, right] = await render(story, 40, 20);
    const [fall] = await render(plan(only(dream, "waterfall"), 7, { story: 1800 }), 40, 20);
    expect(beatAt(story, 40).beat.id).toBe("twilight");
    expect(rms(left)).toBeGreaterThan(0.01);
    // Over two fifths of the power is the waterfall's (the harmony and the night air share the
    // rest), and a third of it all lies under 500 Hz.
    expect(rms(fall) ** 2 / rms(left) ** 2).toBeGreaterThan(0.4);
    expect(bandShare(left, RATE, 0, 500)).toBeGreaterThan(0.33);
    expect(hasNaN(left) || hasNaN(right)).toBe(false);
  });

  it("keeps the lake silent before the clearing and brings it in there", async () => {
    const lakeOnly = plan(only(dream, "lake"), 7, { story: 1800 });
    const [before] = await render(lakeOnly, beat("clearing").start - 20, 10);
    const [during] = await render(lakeOnly, beat("clearing").start + 60, 10);
    expect(peak(before)).toBeLessThan(1e-6);
    expect(rms(during)).toBeGreaterThan(0.005);
  });

  it("brings the leaves into the forest and lets them thin out by the lake", async () => {
    const leavesOnly = plan(only(dream, "leaves"), 7, { story: 1800 });
    const [forest] = await render(leavesOnly, beat("forest").start + 90, 20);
    const [lake] = await render(leavesOnly, beat("clearing").start + 90, 20);
    expect(rms(forest)).toBeGreaterThan(3 * rms(lake));
  });

  it("stays within ±1 with no NaN and no DC through the forest and the mist", async () => {
    const [left, right] = await render(story, beat("forest").start + 100, 60);
    for (const channel of [left, right]) {
      expect(hasNaN(channel)).toBe(false);
      expect(peak(channel)).toBeLessThanOrEqual(1);
      expect(Math.abs(mean(channel))).toBeLessThan(1e-3);
    }
  });

  it("never loops: no lag from 0.5 s to 60 s correlates above 0.3", async () => {
    const [left] = await render(story, beat("clearing").start + 30, 75);
    const { value, lag } = autocorrelation(highpass(left, RATE), RATE, 0.5, 60);
    expect(value, `autocorrelation ${value.toFixed(3)} at ${lag.toFixed(3)} s`).toBeLessThan(0.3);
  });

  it("is bit-identical for the same seed and different for another", async () => {
    const [a] = await render(story, 300, 5);
    const [b] = await render(plan(dream, 7, { story: 1800 }), 300, 5);
    const [c] = await render(plan(dream, 8, { story: 1800 }), 300, 5);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });
});

describe("the loop check", () => {
  it("catches a looped noise buffer as Tone.Noise plays it (why Reverie makes its own noise)", async () => {
    // Tone.Noise loops a 4.6 s buffer of noise; here the same loop, built from a seeded buffer.
    const context = new Tone.OfflineContext(1, 20, RATE);
    const buffer = context.createBuffer(1, Math.round(4.594 * RATE), RATE);
    const next = Random.fromSeed("loop").stream(0);
    buffer.getChannelData(0).forEach((_, i, data) => {
      data[i] = next() * 2 - 1;
    });
    const source = new Tone.ToneBufferSource({ context, url: new Tone.ToneAudioBuffer(buffer), loop: true });
    source.connect(context.destination).start(0);
    const looped = (await context.render(false)).getChannelData(0);
    const { value, lag } = autocorrelation(highpass(looped, RATE), RATE, 0.5, 15);
    expect(value).toBeGreaterThan(0.9);
    // At the loop's period or a multiple of it.
    const periods = lag / 4.594;
    expect(Math.abs(periods - Math.round(periods))).toBeLessThan(0.002);
  });
});
