/** What the page remembers across visits (src/web/memory.ts), over a stand-in for the browser's localStorage. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forgetMix, recall, remember, saveMix, savedMixes } from "../src/web/memory.ts";

let store: Map<string, string>;

beforeEach(() => {
  store = new Map();
  (globalThis as { localStorage?: unknown }).localStorage = {
    getItem: (key: string) => store.get(key) ?? null,
    setItem: (key: string, value: string) => void store.set(key, value),
  };
});

afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

describe("memory", () => {
  it("gives back the settings it was given, and nothing on a first visit", () => {
    expect(recall()).toBeNull();
    const settings = { presetId: "dream", volume: 40, mixes: { dream: { pad: 20 } }, timer: 2700 };
    remember(settings);
    expect(recall()).toEqual(settings);
    remember({ ...settings, timer: null });
    expect(recall()?.timer).toBeNull();
  });

  it("ignores what it cannot trust: damaged text, values out of range, strange names", () => {
    for (const text of ["{", '{"presetId":"dream","volume":400,"mixes":{}}', '{"presetId":"<b>","volume":4,"mixes":{}}']) {
      store.set("reverie.settings", text);
      expect(recall()).toBeNull();
    }
    store.set("reverie.mixes", '[{"name":"x","presetId":"dream","voiceVolumes":{"__proto__":1}}]');
    expect(savedMixes()).toEqual([]);
  });

  it("keeps mixes by name and soundscape: saving a name again replaces it, forgetting removes it", () => {
    saveMix({ name: "Low", presetId: "dream", voiceVolumes: { pad: 10 } });
    saveMix({ name: "Low", presetId: "cabin-rain", voiceVolumes: { rain: 30 } });
    saveMix({ name: "Low", presetId: "dream", voiceVolumes: { pad: 20 } });
    expect(savedMixes()).toEqual([
      { name: "Low", presetId: "cabin-rain", voiceVolumes: { rain: 30 } },
      { name: "Low", presetId: "dream", voiceVolumes: { pad: 20 } },
    ]);
    expect(forgetMix("Low", "cabin-rain")).toEqual([{ name: "Low", presetId: "dream", voiceVolumes: { pad: 20 } }]);
  });

  it("carries on without storage when the browser refuses it", () => {
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("full");
      },
    };
    expect(() => remember({ presetId: "dream", volume: 1, mixes: {}, timer: null })).not.toThrow();
    expect(recall()).toBeNull();
    expect(savedMixes()).toEqual([]);
  });
});
