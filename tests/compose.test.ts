/**
 * `reverie compose`: stories become presets that follow them. The dream
 * against what its hand-written preset does; stories of our own for the
 * voices they call for and the ones they do not; any text at all for a valid
 * preset or a clear refusal; the command line's files, messages and codes.
 */
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeWav } from "../src/cli/analyze.ts";
import { type Composition, compose, MAX_STORY_BYTES, StoryError } from "../src/compose/compose.ts";
import { splitSentences } from "../src/compose/text.ts";
import { presetFromValue } from "../src/score/preset.ts";
import { entries, reverie, tempDir } from "./helpers/cli.ts";
import { plan, render } from "./helpers/render.ts";

const STORIES = new URL("./fixtures/stories/", import.meta.url).pathname;
const story = (name: string) => readFileSync(join(STORIES, `${name}.txt`), "utf8");
const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface BeatJson {
  id: string;
  caption: string;
  targets: Record<string, { level: number; mood?: number }>;
  events?: { type: string; voice: string; at: number }[];
}
const beatsOf = (c: Composition) => c.preset.beats as BeatJson[];
const voicesOf = (c: Composition) => Object.values(c.preset.voices as Record<string, { type: string }>).map((v) => v.type);
const plain = (text: string) => text.replace(/\s+/g, " ");

/**
 * Each caption is whole sentences of the story (lines apart by " / ", a cut
 * sentence ending "…"), and the captions come in the story's order.
 */
function expectCaptionsFromText(c: Composition, text: string) {
  const flat = plain(text);
  let from = 0;
  for (const beat of beatsOf(c)) {
    expect(beat.caption.length).toBeLessThanOrEqual(201);
    const parts = splitSentences(beat.caption.replace(/…$/, "")).flatMap((s) => s.text.split(" / "));
    for (const part of parts) expect(flat.includes(part), `"${part}" is in the story`).toBe(true);
    const at = flat.indexOf(parts[0], from);
    expect(at, `"${parts[0]}" comes after the previous caption`).toBeGreaterThanOrEqual(0);
    from = at;
  }
}

describe("the dream", () => {
  const text = story("dream");
  const c = compose(text, { title: "The Dream" });
  const beats = beatsOf(c);
  const index = (words: string) => beats.findIndex((b) => b.caption.includes(words));

  it("has eleven beats that follow the dream's movements in order", () => {
    expect(beats).toHaveLength(11);
    expectCaptionsFromText(c, text);
    const movements = [
      "waterfall",
      "forest",
      "figure",
      "walk together",
      "companion",
      "clearing",
      "watchful",
      "trust in their voice",
      "beacon",
      "fade",
      "vulnerabilities shared",
    ];
    const found = movements.map((m) => beats.findIndex((b) => b.caption.toLowerCase().includes(m)));
    expect(found).toEqual(movements.map((_, i) => i));
  });

  it("has the waterfall, the leaves, the night air, the harmony, the melody and the lake", () => {
    expect(voicesOf(c)).toEqual(expect.arrayContaining(["waterfall", "leaves", "nightAir", "pad", "motif", "lake"]));
    expect(voicesOf(c).some((v) => ["rain", "waves", "fire"].includes(v))).toBe(false);
  });

  it("lets the waterfall lead the first beat", () => {
    const levels = Object.entries(beats[0].targets).map(([name, t]) => [name, t.level] as const);
    const loudest = levels.reduce((a, b) => (b[1] > a[1] ? b : a));
    expect(loudest[0]).toBe("waterfall");
  });

  it("has the lake only from the clearing on, with a leap in the clearing", () => {
    const clearing = index("clearing");
    expect(clearing).toBe(5);
    beats.forEach((b, i) => {
      if (i < clearing) expect(b.targets.lake.level, b.id).toBe(0);
      else expect(b.targets.lake.level, b.id).toBeGreaterThan(0);
    });
    expect(beats[clearing].events?.some((e) => e.type === "leap" && e.voice === "lake")).toBe(true);
  });

  it("warms through the trust and beacon passages", () => {
    const trust = index("trust in their voice");
    const beacon = index("beacon");
    const mood = (i: number) => beats[i].targets.pad.mood as number;
    const before = Math.max(...beats.slice(0, trust).map((_, i) => mood(i)));
    expect(mood(trust)).toBeGreaterThan(before);
    expect(mood(beacon)).toBeGreaterThan(before);
  });

  it("explains each beat: the words that chose the voices, the mood and the events", () => {
    expect(c.explain).toHaveLength(11);
    expect(c.explain[0].voices.find((v) => v.voice === "waterfall")?.words).toContain("waterfall");
    expect(c.explain[5].events.find((e) => e.type === "leap")?.word).toBe("leap");
    expect(c.explain[7].feeling.warm).toContain("trust");
  });

  it("is the same preset, byte for byte, every time", () => {
    expect(compose(text, { title: "The Dream" }).json).toBe(c.json);
  });
});

const CASES: { name: string; has: string[]; not: string[] }[] = [
  { name: "rainy-cabin", has: ["rain", "fire", "pad"], not: ["waves", "waterfall", "lake", "leaves"] },
  { name: "night-sea", has: ["waves", "nightAir", "pad"], not: ["fire", "rain", "leaves", "waterfall", "lake"] },
  { name: "campfire", has: ["fire", "nightAir", "motif", "pad"], not: ["waves", "rain", "waterfall", "lake"] },
  { name: "storm", has: ["rain", "leaves", "nightAir", "pad"], not: ["waves", "fire", "waterfall", "lake"] },
  { name: "no-nature", has: ["driftNoise", "pad"], not: ["waterfall", "lake", "waves", "rain", "fire", "leaves", "nightAir", "motif"] },
  { name: "one-paragraph", has: ["waterfall", "lake", "leaves", "pad"], not: ["waves", "rain", "fire"] },
  { name: "short-lines", has: ["lake", "waves", "rain", "nightAir", "pad"], not: ["fire", "waterfall"] },
];

describe.each(CASES)("the $name story", ({ name, has, not }) => {
  const text = story(name);
  const c = compose(text);

  it("calls for the voices its scene has and none it does not", () => {
    expect(voicesOf(c)).toEqual(expect.arrayContaining(has));
    for (const voice of not) expect(voicesOf(c), voice).not.toContain(voice);
  });

  it("has 4 to 16 beats, captioned with its own sentences, and a valid preset", () => {
    expect(beatsOf(c).length).toBeGreaterThanOrEqual(4);
    expect(beatsOf(c).length).toBeLessThanOrEqual(16);
    expectCaptionsFromText(c, text);
    expect(() => presetFromValue(c.preset, name)).not.toThrow();
  });
});

describe("what the composer notices", () => {
  it("says so when a story names no scene", () => {
    expect(compose(story("no-nature")).notes.join(" ")).toMatch(/no scene/);
    expect(compose(story("campfire")).notes).toEqual([]);
  });

  it("places events at the words: the storm's downpour is a shower, the campfire's log a settle, the sea's great wave a surge", () => {
    const types = (name: string) => beatsOf(compose(story(name))).flatMap((b) => (b.events ?? []).map((e) => e.type));
    expect(types("storm")).toEqual(expect.arrayContaining(["shower", "gust"]));
    expect(types("campfire")).toEqual(expect.arrayContaining(["settle", "chime"]));
    expect(types("night-sea")).toContain("surge");
  });

  it("lets a bed recede once the story has left it: the storm's rain is softer at the end than at its height", () => {
    const beats = beatsOf(compose(story("storm")));
    const rain = beats.map((b) => b.targets.rain.level);
    expect(rain.at(-1) as number).toBeLessThan(Math.max(...rain));
  });

  it("takes a title line as the title, and refuses what is not a story", () => {
    expect(compose(story("rainy-cabin")).preset.title).toBe("The Cabin in the Rain");
    expect(() => compose("")).toThrow(StoryError);
    expect(() => compose("  \n\n ")).toThrow(/is empty/);
    expect(() => compose("... --- 123 !!!")).toThrow(/has no sentences/);
    expect(() => compose("x".repeat(MAX_STORY_BYTES + 1))).toThrow(/at most 100 kB/);
    expect(() => compose("a\u0000b")).toThrow(/not plain text/);
  });
});

describe("any text", () => {
  const words = [
    "the",
    "rain",
    "falls",
    "softly",
    "on",
    "a",
    "lake",
    "fire",
    "waves",
    "I",
    "dream",
    ".",
    ",",
    "!",
    "\n",
    "\n\n",
    "Leaves",
    "wind",
    "é",
    "…",
  ];
  const texts = fc.oneof(
    fc.string({ maxLength: 2000 }),
    fc.string({ unit: "grapheme", maxLength: 500 }),
    fc.array(fc.constantFrom(...words), { maxLength: 20000 }).map((w) => w.join(" ")),
  );

  it("composes a valid preset or gives a clear error, within a second", () => {
    fc.assert(
      fc.property(texts, (text) => {
        const started = performance.now();
        try {
          const c = compose(text);
          presetFromValue(JSON.parse(c.json), "composed");
          const beats = beatsOf(c).length;
          expect(beats).toBeGreaterThanOrEqual(1);
          expect(beats).toBeLessThanOrEqual(16);
        } catch (error) {
          expect(error).toBeInstanceOf(StoryError);
        }
        expect(performance.now() - started).toBeLessThan(1000);
      }),
      { numRuns: 60 },
    );
  });

  it("reads a story of the full 100 kB within a second", () => {
    let text = "";
    while (text.length + story("dream").length + 2 < MAX_STORY_BYTES) text += `${story("dream")}\n\n`;
    const started = performance.now();
    const c = compose(text);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(beatsOf(c)).toHaveLength(16);
  });
});

describe("composed presets render sleep-safe", () => {
  it("a calm preset plays: finite, not silent", async () => {
    const c = compose(story("no-nature"));
    const [left] = await render(plan(presetFromValue(c.preset, "no-nature"), 7, { story: 20, total: 20 }), 5, 5);
    expect(left.every(Number.isFinite)).toBe(true);
    expect(left.reduce((peak, x) => Math.max(peak, Math.abs(x)), 0)).toBeGreaterThan(0.001);
  }, 60_000);

  it.each(["dream", ...CASES.map((c) => c.name)])(
    "the %s story, 40 s through reverie render: -23 LUFS within 0.5 LU, true peak at -1 dBTP or under, calm dynamics",
    async (name) => {
      const preset = join(dir, `${name}.json`);
      writeFileSync(preset, compose(story(name)).json);
      const out = join(dir, `${name}.wav`);
      const run = reverie("render", "--preset", preset, "--length", "40s", "--rate", "44100", "--seed", "1", "--out", out, "--quiet");
      expect(run.code, run.stderr).toBe(0);
      const report = await analyzeWav(out);
      expect(Math.abs(report.integrated + 23)).toBeLessThanOrEqual(0.5);
      expect(report.truePeak).toBeLessThanOrEqual(-1);
      expect(report.clipped).toBe(0);
      expect(report.shortTermMax - report.integrated).toBeLessThanOrEqual(6);
    },
    120_000,
  );
});

describe("reverie compose", () => {
  it("writes STORY.json beside the story by default, and the same bytes twice", () => {
    const file = join(dir, "dream.txt");
    copyFileSync(join(STORIES, "dream.txt"), file);
    const first = reverie("compose", file);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/wrote .*dream\.json: "Dream", 11 beats/);
    const bytes = readFileSync(join(dir, "dream.json"));
    expect(reverie("compose", file).code).toBe(0);
    expect(readFileSync(join(dir, "dream.json")).equals(bytes)).toBe(true);
    expect(entries(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(reverie("validate", join(dir, "dream.json")).code).toBe(0);
  });

  it("writes --out, takes --title, and --explain prints each beat's words, mood and events", () => {
    const out = join(dir, "mine.json");
    const run = reverie("compose", join(STORIES, "dream.txt"), "--out", out, "--title", "My Dream", "--explain");
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8")).title).toBe("My Dream");
    expect(run.stdout).toMatch(/^1\. waterfall: "/);
    expect(run.stdout).toMatch(/waterfall\s+level 0\.\d\d\s+from waterfall/);
    expect(run.stdout).toMatch(/event leap on lake at 0\.\d\d, from "leap"/);
    expect(run.stdout).toMatch(/mood 0\.\d\d \(/);
  });

  it("says when a story has no scene", () => {
    const run = reverie("compose", join(STORIES, "no-nature.txt"), "--out", join(dir, "calm.json"));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/note: the story names no scene/);
  });

  it.each([
    ["not UTF-8", Buffer.from([0x54, 0x68, 0x65, 0x20, 0xff, 0xfe, 0x2e]), /is not UTF-8 text/],
    ["empty", Buffer.from(""), /is empty/],
    ["too long", Buffer.from("Rain. ".repeat(20000)), /at most 100 kB/],
    ["without sentences", Buffer.from("--- 42 ---\n\n***\n"), /has no sentences/],
  ])("refuses a story that is %s: one line, exit 2, nothing written", (_, bytes, message) => {
    const file = join(dir, "bad.txt");
    writeFileSync(file, bytes);
    const run = reverie("compose", file, "--out", join(dir, "bad.json"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(entries(dir)).not.toContain("bad.json");
  });

  it("refuses bad usage with exit 2", () => {
    expect(reverie("compose").code).toBe(2);
    expect(reverie("compose", join(dir, "missing.txt")).stderr).toMatch(/no such file/);
    expect(reverie("compose", join(STORIES, "dream.txt"), "--out", join(dir, "x.wav")).code).toBe(2);
    expect(reverie("compose", join(STORIES, "dream.txt"), "--out", join(dir, "no", "such", "x.json")).stderr).toMatch(/cannot write/);
  });

  it("is listed by reverie --help", () => {
    expect(reverie("--help").stdout).toMatch(/reverie compose STORY\.txt/);
  });
});
