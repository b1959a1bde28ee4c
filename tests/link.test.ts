/** The page's links: what a shared link carries, and what a bad part of one costs (only itself). */
import { describe, expect, it } from "vitest";
import type { Preset } from "../src/score/preset.ts";
import { defaultState, readLink, writeLink } from "../src/web/link.ts";
import { loadPresetFile } from "./helpers/presets.ts";

const DREAM = loadPresetFile("dream");
const SLEEP = loadPresetFile("sleep-drift");
const PRESETS = new Map<string, Preset>([
  [DREAM.id, DREAM],
  [SLEEP.id, SLEEP],
]);
const [FIRST, SECOND] = DREAM.voices.map((v) => v.name);

describe("readLink", () => {
  it("reads a good link whole, and writes it back the same", () => {
    const query = `?preset=dream&seed=4242&story=10&volume=55&mix.${FIRST}=30&mix.${SECOND}=0`;
    const { state, notice } = readLink(query, PRESETS, DREAM);
    expect(notice).toBeNull();
    expect(state).toEqual({ presetId: "dream", seed: "4242", story: 600, volume: 55, voiceVolumes: { [FIRST]: 30, [SECOND]: 0 } });
    expect(writeLink(state)).toBe(query);
  });

  it("keeps the good parameters of a link with a bad one, and names what it left out in plain words", () => {
    const { state, notice } = readLink(
      `?preset=sleep-drift&seed=%3Cimg%20src%3Dx%3E&volume=40&mix.${SLEEP.voices[0].name}=loud`,
      PRESETS,
      DREAM,
    );
    expect(state.presetId).toBe("sleep-drift");
    expect(state.volume).toBe(40);
    expect(state.seed).toBe(defaultState(SLEEP).seed);
    expect(state.voiceVolumes).toEqual({});
    expect(notice).toMatch(
      /^Part of this link could not be used, so it was left out: the variation and the volume of .+\. The rest is as the link says\.$/,
    );
    expect(notice).not.toMatch(/[\^$[\]{}]/);
    expect(notice).not.toContain("<img");
  });

  it("leaves out a soundscape it does not have, a repeated parameter and voices the soundscape lacks, and nothing else", () => {
    const { state, notice } = readLink(`?preset=nowhere&volume=20&volume=30&seed=9&mix.owl=3&mix.${FIRST}=50`, PRESETS, DREAM);
    expect(state).toMatchObject({ presetId: "dream", seed: "9", volume: 70, voiceVolumes: { [FIRST]: 50 } });
    expect(notice).toContain("the volume,");
    expect(notice).toContain("the soundscape (there is no such soundscape here)");
    expect(notice).toContain("a voice this soundscape does not have");
  });

  it("ignores parameters it does not know, and drift, which the page always does", () => {
    expect(readLink("?utm_source=chat&fbclid=x&drift=0&drift=1", PRESETS, DREAM)).toEqual({
      state: defaultState(DREAM),
      notice: null,
      given: false,
      missingPreset: null,
    });
  });

  it("keeps the notice short however much is wrong", () => {
    const { notice } = readLink("?preset=%21&seed=%21&story=7&volume=900&customLength=forever", PRESETS, DREAM);
    expect(notice).toContain("and 1 more setting.");
    expect(notice?.length).toBeLessThan(200);
  });

  it("answers a link of 50,000 mix keys at once: the parser is linear", () => {
    const query = `?${Array.from({ length: 50_000 }, (_, i) => `mix.v${i}=${i % 100}`).join("&")}&seed=3`;
    // Processor time, the least of a few tries: the machine running the tests may be busy with other work.
    let took = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 5; i++) {
      const started = process.cpuUsage();
      readLink(query, PRESETS, DREAM);
      const used = process.cpuUsage(started);
      took = Math.min(took, (used.user + used.system) / 1000);
    }
    const { state, notice } = readLink(query, PRESETS, DREAM);
    expect(state.seed).toBe("3");
    expect(notice).toContain("the volumes of 50000 voices this soundscape does not have");
    expect(took).toBeLessThan(100);
  });
});
