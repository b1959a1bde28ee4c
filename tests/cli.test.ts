import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readWavFile } from "../src/node/wav-file.ts";
import { parseWavHeader } from "../src/pipeline/wav.ts";
import { rms } from "./helpers/measure.ts";
import { entries, reverie, tempDir } from "./helpers/cli.ts";
import { rawPreset } from "./helpers/presets.ts";

/** A failed run: exit code 2, exactly one line on stderr, no stack trace. */
function expectUsageError(run: ReturnType<typeof reverie>, message: RegExp): void {
  expect(run.code).toBe(2);
  const lines = run.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^reverie: /);
  expect(lines[0]).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe("reverie render", () => {
  it("writes a stereo 48 kHz 16-bit WAV of the chosen length, the same bytes every time", () => {
    const dir = tempDir();
    const first = reverie("render", "--preset", "dream", "--length", "20s", "--seed", "7", "--out", join(dir, "a.wav"));
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/wrote .*a.wav: 20s of "The Dream"/);
    const second = reverie("render", "--length", "20s", "--seed", "7", "--out", join(dir, "b.wav"));
    expect(second.code).toBe(0);
    const bytes = readFileSync(join(dir, "a.wav"));
    expect(bytes.equals(readFileSync(join(dir, "b.wav")))).toBe(true);
    const header = parseWavHeader(bytes, "a.wav");
    expect(header).toMatchObject({ sampleRate: 48000, channels: 2, format: "pcm16", frames: 20 * 48000 });
    expect(entries(dir)).toEqual(["a.wav", "b.wav"]);
  });

  it("renders what the options ask: another seed, 44.1 kHz, 32-bit float", async () => {
    const dir = tempDir();
    const out = join(dir, "dream.wav");
    expect(reverie("render", "--length", "12s", "--seed", "moss", "--rate", "44100", "--format", "f32", "--out", out).code).toBe(0);
    const wav = await readWavFile(out);
    expect(wav).toMatchObject({ sampleRate: 44100, channels: 2, format: "f32", frames: 12 * 44100 });
    // Past the fade-in, the dream's opening is sounding.
    expect(rms(wav.data[0].subarray(6 * 44100))).toBeGreaterThan(0.005);
  });

  const cases: [string, string[], RegExp][] = [
    ["an unknown preset", ["--preset", "nowhere"], /unknown preset "nowhere" \(presets: .*dream/],
    ["a preset file that is missing", ["--preset", "missing/x.json"], /cannot read preset missing\/x.json: no such file/],
    ["a bad length", ["--length", "10x"], /--length: "10x" is not a length/],
    ["a length over a day", ["--length", "25h"], /--length must be at most 24h/],
    ["a bad story length", ["--story", "soon"], /--story: "soon" is not a length/],
    ["a bad seed", ["--seed", "two words"], /--seed must be a number or a word/],
    ["a bad format", ["--format", "mp4"], /--format must be one of/],
    ["a bad rate", ["--rate", "22050"], /--rate must be one of 44100, 48000, got "22050"/],
    ["an unknown option", ["--volume", "11"], /unknown option --volume/],
    ["an option without its value", ["--seed"], /--seed needs a value/],
    ["an option given twice", ["--seed", "1", "--seed", "2"], /--seed is given twice/],
  ];
  it.each(cases)("refuses %s with one clear line and exit code 2, writing nothing", (_, args, message) => {
    const dir = tempDir();
    const length = args.includes("--length") ? [] : ["--length", "5s"];
    const run = reverie("render", ...length, "--out", join(dir, "x.wav"), ...args);
    expectUsageError(run, message);
    expect(entries(dir)).toEqual([]);
  });

  it("refuses a preset that is not JSON, or breaks the schema, naming the problem", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "broken.json"), "{ this is not json");
    const bad = rawPreset("dream");
    ((bad.beats as Record<string, unknown>[])[3].targets as Record<string, Record<string, unknown>>).leaves.level = "loud";
    writeFileSync(join(dir, "loud.json"), JSON.stringify(bad));
    expectUsageError(
      reverie("render", "--preset", join(dir, "broken.json"), "--out", join(dir, "x.wav")),
      /broken.json: is not valid JSON/,
    );
    expectUsageError(
      reverie("render", "--preset", join(dir, "loud.json"), "--out", join(dir, "x.wav")),
      /loud.json: beats\[3\].targets.leaves.level: expected a number from 0 to 1, got "loud"/,
    );
    expect(entries(dir)).toEqual(["broken.json", "loud.json"]);
  });

  it("refuses an output in a missing directory, a directory, or a place it cannot write", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "already"));
    expectUsageError(reverie("render", "--length", "5s", "--out", join(dir, "nope", "x.wav")), /does not exist/);
    expectUsageError(reverie("render", "--length", "5s", "--out", join(dir, "already")), /it is an existing directory/);
    expectUsageError(reverie("render", "--length", "5s", "--out", "/proc/x.wav"), /cannot write/);
    expect(entries(dir)).toEqual(["already"]);
  });

  it("leaves an existing file untouched when the render is refused", () => {
    const dir = tempDir();
    const out = join(dir, "keep.wav");
    writeFileSync(out, "precious");
    chmodSync(out, 0o644);
    expectUsageError(reverie("render", "--length", "bad", "--out", out), /--length/);
    expect(readFileSync(out, "utf8")).toBe("precious");
    expect(existsSync(out)).toBe(true);
  });

  it("explains every option in its help", () => {
    const help = reverie("render", "--help");
    expect(help.code).toBe(0);
    for (const option of ["--preset", "--length", "--story", "--seed", "--out", "--format", "--rate"])
      expect(help.stdout).toContain(option);
  });
});

describe("reverie presets, validate and help", () => {
  it("lists the presets with their titles", () => {
    const run = reverie("presets");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^dream\s+The Dream \(30m, 11 beats\)$/m);
  });

  it("validates a good preset and names every problem of a bad one", () => {
    const dir = tempDir();
    const bad = rawPreset("dream");
    (bad.beats as Record<string, unknown>[])[0].length = -1;
    delete (bad.beats as Record<string, unknown>[])[2].caption;
    writeFileSync(join(dir, "bad.json"), JSON.stringify(bad));
    const good = reverie("validate", "presets/dream.json");
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/presets\/dream.json: ok, "The Dream", 11 beats, 6 voices/);
    const run = reverie("validate", join(dir, "bad.json"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad.json: beats\[0\].length: expected a number above 0/);
    expect(run.stderr).toMatch(/bad.json: beats\[2\].caption: is required but missing/);
  });

  it("prints help, and refuses an unknown command with exit code 2", () => {
    const help = reverie("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/reverie render/);
    expectUsageError(reverie("dance"), /unknown command "dance"/);
  });
});
