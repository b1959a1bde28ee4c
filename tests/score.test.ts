import { describe, expect, it } from "vitest";
import { controlsAt } from "../src/score/controls.ts";
import { formatDuration, parseDuration } from "../src/core/duration.ts";
import { eventsInWindow } from "../src/score/events.ts";
import { presetFromValue } from "../src/score/preset.ts";
import { Random, seedKey } from "../src/core/random.ts";
import { beatAt, masterGainAt, paramsAt, planStory } from "../src/score/timeline.ts";
import { loadPresetFile } from "./helpers/presets.ts";

const twoBeats = presetFromValue(
  {
    id: "two",
    title: "Two beats",
    storyLength: 600,
    voices: { hum: { type: "waterfall" }, pad: { type: "pad", root: 48 } },
    beats: [
      { id: "a", caption: "first", length: 1, transition: 20, targets: { hum: { level: 0.8 } } },
      { id: "b", caption: "second", length: 3, transition: 60, targets: { hum: { level: 0.2 }, pad: { level: 0.5 } } },
    ],
  },
  "two",
);
const hum = twoBeats.voices[0];
const seed = Random.fromSeed(7);

describe("the story's timeline", () => {
  it("scales the beats to the chosen story length, in proportion to their lengths", () => {
    const plan = planStory(twoBeats, seed, { story: 1200 });
    expect(plan.beats.map((b) => [b.start, b.end])).toEqual([
      [0, 300],
      [300, 1200],
    ]);
    expect(plan.beats[1].transition).toBe(120);
  });

  it("caps the story at the total length and lets the last scene drift on after it", () => {
    const plan = planStory(twoBeats, seed, { story: 900, total: 600 });
    expect(plan.story).toBe(600);
    const drifting = planStory(twoBeats, seed, { story: 600, total: 3600 });
    expect(beatAt(drifting, 3000).beat.id).toBe("b");
    const levels = [1000, 1500, 2000, 2500, 3000].map((t) => paramsAt(drifting, hum, t).level);
    expect(new Set(levels.map((l) => l.toFixed(4))).size).toBe(5);
    for (const level of levels) expect(Math.abs(level - 0.2)).toBeLessThan(0.1);
  });

  it("moves a target smoothly over the beat's transition and holds it after", () => {
    const plan = planStory(twoBeats, seed, { story: 600 });
    expect(paramsAt(plan, hum, 10).level).toBe(0.8);
    expect(paramsAt(plan, hum, 150).level).toBe(0.8);
    const during = [160, 180, 200].map((t) => paramsAt(plan, hum, t).level);
    expect(during[0]).toBeLessThan(0.8);
    expect(during[1]).toBeLessThan(during[0]);
    expect(during[2]).toBeLessThan(during[1]);
    expect(paramsAt(plan, hum, 220).level).toBeCloseTo(0.2, 10);
  });

  it("keeps a voice silent until a beat names it", () => {
    const plan = planStory(twoBeats, seed, { story: 600 });
    const pad = twoBeats.voices[1];
    expect(paramsAt(plan, pad, 100).level).toBe(0);
    expect(paramsAt(plan, pad, 400).level).toBeCloseTo(0.5, 10);
  });

  it("fades in at the start and out at the end, and never exceeds 1", () => {
    const plan = planStory(twoBeats, seed, { story: 600 });
    expect(masterGainAt(plan, 0)).toBe(0);
    expect(masterGainAt(plan, 5)).toBeGreaterThan(0.2);
    expect(masterGainAt(plan, 5)).toBeLessThan(0.8);
    expect(masterGainAt(plan, 300)).toBe(1);
    expect(masterGainAt(plan, 600)).toBe(0);
    for (let t = 0; t <= 600; t += 0.5) expect(masterGainAt(plan, t)).toBeLessThanOrEqual(1);
    const endless = planStory(twoBeats, seed, { story: 600, total: Number.POSITIVE_INFINITY });
    expect(masterGainAt(endless, 1e6)).toBe(1);
  });
});

describe("seeded randomness", () => {
  it("is a pure function of the seed and the slot", () => {
    const a = Random.fromSeed("moss");
    expect(a.at(3, 4)).toBe(Random.fromSeed("moss").at(3, 4));
    expect(a.fork("leaves").at(1)).toBe(Random.fromSeed("moss").fork("leaves").at(1));
    expect(a.at(3, 4)).not.toBe(Random.fromSeed("mist").at(3, 4));
  });

  it("gives each voice its own stream, so adding a voice reshuffles nothing", () => {
    const rng = Random.fromSeed(1);
    const before = rng.fork("lake").at(10);
    rng.fork("newcomer").at(10);
    expect(rng.fork("lake").at(10)).toBe(before);
    expect(rng.fork("lake").at(10)).not.toBe(rng.fork("leaves").at(10));
  });

  it("treats a number seed and the same digits as one seed", () => {
    expect(seedKey(7)).toBe(seedKey("7"));
  });

  it("spreads values evenly over [0, 1)", () => {
    const rng = Random.fromSeed(3);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(rng.at(i) * 10)]++;
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});

describe("events in a window of time", () => {
  const dream = loadPresetFile("dream");
  const plan = planStory(dream, Random.fromSeed(7), { story: 1800 });

  it("are the same whether asked for at once or piece by piece", () => {
    for (const voice of dream.voices) {
      const whole = eventsInWindow(plan, voice, 0, 600);
      const pieces = [0, 97, 250, 433].flatMap((from, i, all) => eventsInWindow(plan, voice, from, all[i + 1] ?? 600));
      expect(pieces).toEqual(whole);
    }
  });

  it("include the fish leaping in the clearing and the swell as the figure appears", () => {
    const clearing = plan.beats.find((b) => b.beat.id === "clearing");
    const mist = plan.beats.find((b) => b.beat.id === "mist");
    const lake = dream.voices.find((v) => v.type === "lake");
    const pad = dream.voices.find((v) => v.type === "pad");
    if (!clearing || !mist || !lake || !pad) throw new Error("the dream lost a beat or a voice");
    const leaps = eventsInWindow(plan, lake, clearing.start, clearing.end).filter((e) => e.kind === "leap");
    expect(leaps).toHaveLength(1);
    const swells = eventsInWindow(plan, pad, mist.start, mist.end).filter((e) => e.kind === "swell");
    expect(swells).toHaveLength(1);
  });

  it("give no lapping water before the lake appears", () => {
    const lake = dream.voices.find((v) => v.type === "lake");
    const clearing = plan.beats.find((b) => b.beat.id === "clearing");
    if (!lake || !clearing) throw new Error("the dream lost its lake");
    expect(eventsInWindow(plan, lake, 0, clearing.start)).toEqual([]);
    expect(eventsInWindow(plan, lake, clearing.start + 60, clearing.end).length).toBeGreaterThan(10);
  });

  it("match the snapshot of the dream's first ten minutes (seed 7)", () => {
    const events = dream.voices.flatMap((voice) =>
      eventsInWindow(plan, voice, 0, 600).map((e) => ({ ...e, time: Number(e.time.toFixed(4)) })),
    );
    expect(events).toMatchSnapshot();
  });

  it("match the snapshot of each voice's controls at the start of every beat (seed 7)", () => {
    const table = plan.beats.map((b) => ({
      beat: b.beat.id,
      start: Number(b.start.toFixed(2)),
      controls: Object.fromEntries(
        dream.voices.map((v) => {
          const c = controlsAt(plan, v, b.start + b.transition);
          return [v.name, Object.fromEntries(Object.entries(c).map(([k, x]) => [k, Number(x.toFixed(4))]))];
        }),
      ),
    }));
    expect(table).toMatchSnapshot();
  });
});

describe.each(["cabin-rain", "ocean-shore", "sleep-drift"])("the %s preset's score", (name) => {
  const preset = loadPresetFile(name);
  const plan = planStory(preset, Random.fromSeed(7), { story: 1800 });

  it("matches the snapshot of its first ten minutes' events (seed 7)", () => {
    const events = preset.voices.flatMap((voice) =>
      eventsInWindow(plan, voice, 0, 600).map((e) => ({ ...e, time: Number(e.time.toFixed(4)) })),
    );
    // Drift noise plays no events: the sleep drift's score is its slow controls alone (the tests below).
    if (name === "sleep-drift") expect(events).toEqual([]);
    else expect(events).toMatchSnapshot();
  });

  it("matches the snapshot of each voice's controls at the start of every beat (seed 7)", () => {
    const table = plan.beats.map((b) => ({
      beat: b.beat.id,
      start: Number(b.start.toFixed(2)),
      controls: Object.fromEntries(
        preset.voices.map((v) => {
          const c = controlsAt(plan, v, b.start + b.transition);
          return [v.name, Object.fromEntries(Object.entries(c).map(([k, x]) => [k, Number(x.toFixed(4))]))];
        }),
      ),
    }));
    expect(table).toMatchSnapshot();
  });
});

describe("the sleep drift's slow controls", () => {
  const preset = loadPresetFile("sleep-drift");
  const plan = planStory(preset, Random.fromSeed(7), { story: 1800 });

  it("match the snapshot of each voice's controls every minute (seed 7)", () => {
    const table = Array.from({ length: 30 }, (_, minute) => ({
      minute,
      controls: Object.fromEntries(
        preset.voices.map((v) => {
          const c = controlsAt(plan, v, minute * 60);
          return [v.name, Object.fromEntries(Object.entries(c).map(([k, x]) => [k, Number(x.toFixed(4))]))];
        }),
      ),
    }));
    expect(table).toMatchSnapshot();
  });
});

describe("lengths on the command line", () => {
  it("read seconds, minutes, hours and clock times", () => {
    expect(parseDuration("90s")).toBe(90);
    expect(parseDuration("10m")).toBe(600);
    expect(parseDuration("1h30m")).toBe(5400);
    expect(parseDuration("2h")).toBe(7200);
    expect(parseDuration("45")).toBe(45);
    expect(parseDuration("1:30:00")).toBe(5400);
  });

  it("refuse what is not a length", () => {
    for (const bad of ["", "loud", "-5m", "0", "1x", "m", "10 minutes"]) expect(() => parseDuration(bad)).toThrow(/is not a length/);
  });

  it("print back in a short form", () => {
    expect(formatDuration(5400)).toBe("1h30m");
    expect(formatDuration(750)).toBe("12m30s");
    expect(formatDuration(45)).toBe("45s");
  });
});
