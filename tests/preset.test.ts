import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePreset, PresetError, presetFromValue } from "../src/score/preset.ts";
import { PRESET_SCHEMA } from "../src/score/schema.ts";
import { rawPreset } from "./helpers/presets.ts";

/** The message a user sees for a preset value. */
function messageFor(value: unknown): string {
  try {
    presetFromValue(value, "presets/x.json");
  } catch (error) {
    if (error instanceof PresetError) return error.message;
    throw error;
  }
  return "valid";
}

function withBeat(change: (beat: Record<string, unknown>) => void): Record<string, unknown> {
  const preset = rawPreset("dream");
  change((preset.beats as Record<string, unknown>[])[3]);
  return preset;
}

describe("a preset", () => {
  it("is published as presets/schema.json, the same schema the validator reads", () => {
    const published = JSON.parse(readFileSync(new URL("../presets/schema.json", import.meta.url), "utf8"));
    expect(published).toEqual(JSON.parse(JSON.stringify(PRESET_SCHEMA)));
  });

  it("names the JSON path and what was expected when a value is wrong", () => {
    const bad = withBeat((beat) => {
      (beat.targets as Record<string, Record<string, unknown>>).leaves.level = "loud";
    });
    expect(messageFor(bad)).toBe('presets/x.json: beats[3].targets.leaves.level: expected a number from 0 to 1, got "loud"');
  });

  it("says which field is missing, unknown or out of range", () => {
    expect(messageFor(withBeat((beat) => delete beat.caption))).toBe("presets/x.json: beats[3].caption: is required but missing");
    expect(messageFor(withBeat((beat) => (beat.colour = "red")))).toMatch(
      /^presets\/x.json: beats\[3\].colour: is not a known field \(expected one of: id, caption/,
    );
    expect(messageFor(withBeat((beat) => (beat.length = 0)))).toBe(
      "presets/x.json: beats[3].length: expected a number above 0 and at most 1000, got 0",
    );
    expect(messageFor({ ...rawPreset("dream"), voices: { wind: { type: "tuba" } } })).toMatch(
      /voices.wind.type: expected one of "waterfall", "leaves"/,
    );
  });

  it("rejects targets and events that name a voice it does not have, or a parameter the voice lacks", () => {
    expect(messageFor(withBeat((beat) => ((beat.targets as Record<string, unknown>).owl = { level: 0.5 })))).toMatch(
      /beats\[3\].targets.owl: names no voice of this preset/,
    );
    expect(messageFor(withBeat((beat) => ((beat.targets as Record<string, Record<string, unknown>>).leaves.mood = 0.5)))).toMatch(
      /beats\[3\].targets.leaves.mood: is not a parameter of a leaves voice/,
    );
    expect(messageFor(withBeat((beat) => (beat.events = [{ type: "leap", voice: "pad", at: 0.5 }])))).toMatch(
      /beats\[3\].events\[0\].voice: a leap event is played by a lake voice, and pad is a pad/,
    );
  });

  it("gives a clear message for text that is not JSON, or too large", () => {
    expect(() => parsePreset("{ nope", "mine.json")).toThrow(/^mine.json: is not valid JSON/);
    expect(() => parsePreset(" ".repeat(1_000_001), "big.json")).toThrow(
      /^big.json: is 1,000,001 bytes; a preset is at most 1,000,000 bytes/,
    );
  });

  it("reads the dream, which tells the whole story beat by beat", () => {
    const dream = presetFromValue(rawPreset("dream"), "presets/dream.json");
    expect(dream.beats.map((b) => b.id)).toEqual([
      "twilight",
      "forest",
      "mist",
      "moss",
      "inner-world",
      "clearing",
      "gems",
      "trust",
      "beacon",
      "waking",
      "never-alone",
    ]);
    expect(dream.voices.map((v) => v.type).sort()).toEqual(["lake", "leaves", "motif", "nightAir", "pad", "waterfall"]);
    expect(dream.beats[0].caption).toMatch(/twilight.*waterfall/);
  });

  it("changes nothing when it has __proto__ or constructor keys", () => {
    const text = JSON.stringify(rawPreset("dream")).replace('"voices":{', '"voices":{"constructor":{"type":"pad"},');
    const preset = parsePreset(text, "x.json");
    expect(preset.voices.map((v) => v.name)).toContain("constructor");
    expect(() => parsePreset(text.replace('"voices":{', '"__proto__":{"polluted":1},"voices":{'), "p.json")).toThrow(
      "p.json: __proto__: is not a known field",
    );
    expect(() => parsePreset(text.replace('"pad":{', '"pad":{"__proto__":{"type":"lake"},'), "p.json")).toThrow(
      "p.json: voices.pad.__proto__: is not a known field",
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("holds against any JSON value, huge or deeply nested: a preset or a clear error, within a second", () => {
    const deep = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
    for (const text of [
      deep(100_000),
      `{"beats":${deep(50_000)}}`,
      JSON.stringify({ voices: Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`v${i}`, {}])) }),
    ]) {
      const started = performance.now();
      expect(() => parsePreset(text, "hostile.json")).toThrow(PresetError);
      expect(performance.now() - started).toBeLessThan(1000);
    }
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const started = performance.now();
        try {
          presetFromValue(value, "fuzz.json");
        } catch (error) {
          expect(error).toBeInstanceOf(PresetError);
          expect((error as Error).message).toMatch(/^fuzz.json: /);
          expect((error as Error).message.length).toBeLessThan(400);
        }
        expect(performance.now() - started).toBeLessThan(1000);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it("holds against near-valid presets with one value replaced by anything", () => {
    const base = rawPreset("dream");
    const paths = [
      ["title"],
      ["storyLength"],
      ["voices"],
      ["voices", "pad"],
      ["voices", "pad", "root"],
      ["beats"],
      ["beats", 2],
      ["beats", 2, "targets"],
      ["beats", 2, "events"],
      ["beats", 2, "events", 0, "at"],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 4 }), (path, value) => {
        const copy = structuredClone(base) as Record<string | number, unknown>;
        let node = copy as Record<string | number, unknown>;
        for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
        node[path[path.length - 1]] = value;
        try {
          const preset = presetFromValue(copy, "near.json");
          expect(preset.beats.length).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(PresetError);
          expect((error as Error).message).toMatch(/^near.json: /);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
