/**
 * What makes the motif itself: each note at the score's pitch, soft (no
 * pluck), decaying, and echoed: the same note again 0.62 s later at 0.3 of
 * its level, then 0.09…; silence between. Drawn from a score of one note,
 * then through the product's engine for the phrases the score writes.
 */
import { describe, expect, it } from "vitest";
import { Random } from "../src/core/random.ts";
import { PARAM_DEFAULTS } from "../src/score/voices/vocabulary.ts";
import type { ScoreEvent } from "../src/score/events.ts";
import { createMotifTexture } from "../src/synth/motif.ts";
import type { TextureScore } from "../src/synth/texture.ts";
import { dominantFrequency } from "./helpers/character.ts";
import { rms } from "./helpers/measure.ts";
import { soloPreset } from "./helpers/presets.ts";
import { plan, RATE, render } from "./helpers/render.ts";

/** A score of one note (MIDI 69, 440 Hz) at 1 s for 0.3 s, at level 0.8. */
const oneNote: TextureScore = {
  controls: () => ({ ...PARAM_DEFAULTS, level: 0.8, brightness: 0.5 }),
  events: (from, to) => {
    const note: ScoreEvent = { kind: "note", voice: "solo", time: 1, duration: 0.3, midi: 69, velocity: 1 };
    return note.time >= from && note.time < to ? [note] : [];
  },
};

function drawn(seconds: number): Float32Array {
  const texture = createMotifTexture({ rate: RATE, rng: new Random(1), score: oneNote }, {});
  const out = [new Float32Array(seconds * RATE), new Float32Array(seconds * RATE)] as const;
  for (let s = 0; s < seconds; s++)
    texture.render([out[0].subarray(s * RATE, (s + 1) * RATE), out[1].subarray(s * RATE, (s + 1) * RATE)], s * RATE);
  return out[0];
}

describe("the motif", () => {
  const x = drawn(5);
  const at = (t: number, seconds: number) => rms(x, Math.round(t * RATE), Math.round((t + seconds) * RATE));

  it("sounds the note at its pitch, rising softly and decaying", () => {
    expect(at(0, 0.99)).toBe(0);
    expect(dominantFrequency(x.subarray(RATE, RATE + 9600), RATE, 300, 600, 1)).toBeCloseTo(440, -1);
    // A soft attack (90 ms), the peak, then falling.
    expect(at(1, 0.02)).toBeLessThan(0.5 * at(1.09, 0.02));
    expect(at(1.3, 0.05)).toBeLessThan(0.6 * at(1.09, 0.05));
  });

  it("echoes the note 0.62 s later at 0.3 of its level, then at 0.09, with silence between", () => {
    const dry = at(1, 0.39);
    expect(at(1.62, 0.39) / dry).toBeCloseTo(0.3, 1);
    expect(at(2.24, 0.39) / dry).toBeCloseTo(0.09, 1);
    expect(at(1.4, 0.2)).toBeLessThan(1e-3 * dry);
    expect(at(4.6, 0.4)).toBeLessThan(1e-3 * dry);
  });

  it("plays the score's phrases through the engine: notes, then quiet", async () => {
    const [left] = await render(plan(soloPreset("motif", { level: 0.8, density: 1, register: 0.5, brightness: 0.5 })), 20, 20);
    const tenths = Array.from({ length: 199 }, (_, i) =>
      rms(left, Math.round((0.05 + i * 0.1) * RATE), Math.round((0.15 + i * 0.1) * RATE)),
    );
    expect(Math.max(...tenths)).toBeGreaterThan(0.01);
    expect(tenths.filter((r) => r < Math.max(...tenths) * 0.05).length).toBeGreaterThan(10);
  });
});
