/**
 * What makes the waves themselves, heard alone through the product's own
 * engine: each wave of the score swells, crashes, washes up and draws back in
 * foam, over a far surf that never falls silent.
 */
import { describe, expect, it } from "vitest";
import { eventsInWindow } from "../src/score/events.ts";
import { band, bestLag, dominantFrequency, envelope, impulses } from "./helpers/character.ts";
import { bandShare } from "./helpers/measure.ts";
import { soloPreset } from "./helpers/presets.ts";
import { plan, RATE, render } from "./helpers/render.ts";

describe("the waves", () => {
  const FROM = 20;
  const SECONDS = 36;
  const FRAME = 0.25;
  const shore = (brightness: number) => soloPreset("waves", { level: 0.7, density: 1, brightness }, 120);
  const preset = shore(0.6);
  const p = plan(preset);
  // Rendered once, when the first test asks, for every test.
  let heard: Promise<Float32Array[]> | undefined;
  const listen = () => (heard ??= render(p, FROM, SECONDS));
  const onsets = () => eventsInWindow(p, preset.voices[0], FROM - 12, FROM + SECONDS).map((e) => e.time);
  /** Seconds after the score's waves at which a band's envelope best lines up with them. */
  const lagOf = (env: Float32Array) => bestLag(impulses(onsets(), FROM, FRAME, env.length), env, Math.round(7 / FRAME));

  it("come in about once per 6 s slot at density 1", async () => {
    const [left] = await listen();
    const low = envelope(band(left, RATE, 0, 300), RATE, FRAME);
    const hz = dominantFrequency(low, 1 / FRAME, 0.03, 1);
    expect(hz).toBeGreaterThan(1 / 9);
    expect(hz).toBeLessThan(1 / 4.5);
  });

  it("crash, wash and draw back: the body of each wave breaks 2–3.5 s after the score's wave, its foam peaks 1–3 s after the crash", async () => {
    const [left] = await listen();
    const body = lagOf(envelope(band(left, RATE, 300, 2000), RATE, FRAME));
    const foam = lagOf(envelope(band(left, RATE, 4000, 8000), RATE, FRAME));
    // Each wave's delays are its own (a crash 2.2–3 s after the wave, foam 1.2–2.6 s after that): the lines up are loose.
    expect(body.value).toBeGreaterThan(0.3);
    expect(foam.value).toBeGreaterThan(0.25);
    expect(body.lag * FRAME).toBeGreaterThanOrEqual(2);
    expect(body.lag * FRAME).toBeLessThanOrEqual(3.5);
    expect((foam.lag - body.lag) * FRAME).toBeGreaterThanOrEqual(1);
    expect((foam.lag - body.lag) * FRAME).toBeLessThanOrEqual(3);
  });

  it("break softly: no quarter of a second of the body is more than 4 times the one before (a crash rises over 0.1–0.3 s)", async () => {
    const [left] = await listen();
    const body = envelope(band(left, RATE, 300, 4000), RATE, 0.05);
    let steepest = 0;
    for (let i = 5; i < body.length; i++) steepest = Math.max(steepest, body[i] / body[i - 5]);
    expect(steepest).toBeGreaterThan(1.5);
    expect(steepest).toBeLessThan(4);
  });

  it("lie on a bed that never falls silent: the low band never below a fifth of its median, even with waves far apart", async () => {
    const sparse = soloPreset("waves", { level: 0.7, density: 0, brightness: 0.3 }, 120);
    const [left] = await render(plan(sparse), FROM, 30, 16000);
    const low = envelope(band(left, 16000, 0, 300), 16000, FRAME);
    const median = [...low].sort((a, b) => a - b)[low.length >> 1];
    expect(Math.min(...low)).toBeGreaterThan(0.2 * median);
  });

  it("foam more with brightness", async () => {
    const [dark] = await render(plan(shore(0.1)), FROM, 12);
    const [bright] = await render(plan(shore(0.9)), FROM, 12);
    expect(bandShare(bright, RATE, 4000, 8000)).toBeGreaterThan(3 * bandShare(dark, RATE, 4000, 8000));
  });
});
