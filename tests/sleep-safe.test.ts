/**
 * Every preset, rendered by the command line as a user would (3 minutes with
 * the whole story told in them, 44.1 kHz, 16-bit), then read back from the
 * file: it must be as loud as asked, never much louder anywhere, and clean.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WavAnalysis, analyzeWav } from "../src/cli/analyze.ts";
import { presetNames, loadPreset } from "../src/cli/presets.ts";
import { modelLoudness } from "../src/score/loudness-model.ts";
import { readWavFile, type WavData } from "../src/node/wav-file.ts";
import { Random } from "../src/core/random.ts";
import { planStory } from "../src/score/timeline.ts";
import { autocorrelation, clicks, dc, ebur128, loopBand, repetition, rms, whiten } from "./helpers/audio.ts";
import { tempDir } from "./helpers/cli.ts";

const RATE = 44100;
const SECONDS = 180;
const BIN = new URL("../bin/reverie.js", import.meta.url).pathname;
const dir = tempDir();
const names = presetNames();

interface Rendered {
  file: string;
  /** What the command line said about the loudness (its second line). */
  note: string;
}

/** Runs `reverie render` and resolves with the file once it is written. */
function render(name: string, out: string, ...extra: string[]): Promise<Rendered> {
  const args = [
    BIN,
    "render",
    "--preset",
    name,
    "--length",
    `${SECONDS}s`,
    "--rate",
    String(RATE),
    "--seed",
    "1",
    "--out",
    out,
    "--quiet",
    ...extra,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args);
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve({ file: out, note: stderr.split("\n").find((line) => line.startsWith("loudness:")) ?? "" });
      else reject(new Error(`reverie render --preset ${name} exited with ${code}: ${stderr}`));
    });
  });
}

/** The whole second in [from, to) s where the sound is least rough (its second difference's RMS). */
function softestSecond(x: Float32Array, from: number, to: number): number {
  let best = from;
  let least = Number.POSITIVE_INFINITY;
  for (let t = from; t < to; t++) {
    let sum = 0;
    for (let i = t * RATE + 2; i < (t + 1) * RATE; i++) sum += (x[i] - 2 * x[i - 1] + x[i - 2]) ** 2;
    if (sum < least) [least, best] = [sum, t];
  }
  return best;
}

/** Runs the renders two at a time (two cores), each as soon as a slot is free. */
function twoAtATime(): <T>(job: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (job) => {
    if (running >= 2) await new Promise<void>((go) => waiting.push(go));
    running++;
    try {
      return await job();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

const slot = twoAtATime();
const renders = new Map<string, Promise<Rendered>>();
/** The preset's render at -23 LUFS (started once, shared by its tests). */
function rendered(name: string, ...extra: string[]): Promise<Rendered> {
  const key = [name, ...extra].join(" ");
  if (!renders.has(key))
    renders.set(
      key,
      slot(() => render(name, join(dir, `${key.replace(/\W+/g, "_")}.wav`), ...extra)),
    );
  return renders.get(key) as Promise<Rendered>;
}

beforeAll(() => {
  // Start every render now, so they run while earlier presets are being checked.
  for (const name of names) void rendered(name).catch(() => {});
  void rendered("sleep-drift", "--loudness", "-20").catch(() => {});
});

afterAll(async () => {
  await Promise.allSettled(renders.values());
  rmSync(dir, { recursive: true, force: true });
});

/**
 * How much of a channel comes back, its tones whitened away (a chord played
 * again is music, noise played again is a loop): the whole channel against
 * itself at lags from 0.5 s to half its length, and each 10 s of it against
 * what follows from 2 s on. A loop of any period shows in both (at its
 * multiples beyond 2 s); a single stretch played again shows in the second;
 * the motif's echo (0.62 s) only in the first, where it is a small part.
 */
function repeats(channel: Float32Array) {
  const { signal, rate } = loopBand(channel, RATE);
  const white = whiten(signal, rate);
  const maxLag = Math.min(300, SECONDS / 2);
  const whole = autocorrelation(white, rate, 0.5, maxLag);
  const stretch = repetition(white, rate, 2, maxLag);
  return whole.value > stretch.value ? { ...whole, at: 0 } : stretch;
}

describe.each(names)("the %s preset, 3 minutes at 44.1 kHz", (name) => {
  let file: string;
  let note: string;
  let report: WavAnalysis;
  let wav: WavData;

  beforeAll(async () => {
    ({ file, note } = await rendered(name));
    report = await analyzeWav(file);
    wav = await readWavFile(file);
  }, 900_000);

  it("reads -23 LUFS integrated, within 0.5 LU", () => {
    expect(report.integrated).toBeGreaterThanOrEqual(-23.5);
    expect(report.integrated).toBeLessThanOrEqual(-22.5);
  });

  it("reads the same on an independent meter: ffmpeg's ebur128 within 0.5 LU of ours and of the target", { tags: ["ffmpeg"] }, async () => {
    const theirs = await ebur128(file);
    expect(Math.abs(theirs - report.integrated)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(theirs + 23)).toBeLessThanOrEqual(0.5);
  });

  it("keeps its true peak at -1 dBTP or under, and clips nothing", () => {
    expect(report.truePeak).toBeLessThanOrEqual(-1);
    expect(report.clipped).toBe(0);
  });

  it("never rises more than 6 LU above its integrated loudness over any 3 seconds", () => {
    expect(report.shortTermMax - report.integrated).toBeLessThanOrEqual(6);
  });

  it("has no DC offset", () => {
    for (const channel of wav.data) expect(Math.abs(dc(channel))).toBeLessThan(0.001);
  });

  it("has no clicks", () => {
    for (const channel of wav.data) expect(clicks(channel, RATE)).toEqual([]);
  });

  it("never repeats: neither the whole nor any 10 s of it comes back at a lag up to half its length (correlation under 0.3)", () => {
    for (const channel of wav.data) {
      const { value, at, lag } = repeats(channel);
      expect(value, `${value.toFixed(3)}: ${at} s again ${lag.toFixed(2)} s later`).toBeLessThan(0.3);
    }
  });

  it("hears no noise twice at short lags: nothing from 0.2 s to 2 s correlates above 0.15 (each voice has noise of its own)", () => {
    for (const channel of wav.data) {
      const { signal, rate } = loopBand(channel, RATE);
      const { value, lag } = autocorrelation(whiten(signal, rate), rate, 0.2, 2);
      expect(value, `${value.toFixed(3)} at ${lag.toFixed(3)} s`).toBeLessThan(0.15);
    }
  });

  it("fades in from silence and out to silence", () => {
    const [left] = wav.data;
    const body = rms(left, 60 * RATE, 90 * RATE);
    expect(rms(left, 0, RATE / 2)).toBeLessThan(0.03 * body);
    expect(rms(left, left.length - RATE / 2)).toBeLessThan(0.03 * body);
    expect(rms(left, 5 * RATE, 6 * RATE)).toBeGreaterThan(rms(left, 1 * RATE, 2 * RATE));
  });

  it("is as loud as the score model says (what the page plays it at), within 1 LU", () => {
    const measured = Number(/\((-?[\d.]+) LUFS before/.exec(note)?.[1]);
    const plan = planStory(loadPreset(name), Random.fromSeed("1"), { story: SECONDS, total: SECONDS });
    expect(Math.abs(modelLoudness(plan, { sampleRate: RATE }) - measured)).toBeLessThanOrEqual(1);
  });
});

describe("a render at --loudness -20", { tags: ["ffmpeg"] }, () => {
  it("reads -20 LUFS within 0.5 LU, on our meter and ffmpeg's, with the true peak still at -1 dBTP or under", async () => {
    const { file } = await rendered("sleep-drift", "--loudness", "-20");
    const report = await analyzeWav(file);
    expect(Math.abs(report.integrated + 20)).toBeLessThanOrEqual(0.5);
    expect(Math.abs((await ebur128(file)) + 20)).toBeLessThanOrEqual(0.5);
    expect(report.truePeak).toBeLessThanOrEqual(-1);
  }, 900_000);
});

describe("the checks themselves", () => {
  let wav: WavData;
  beforeAll(async () => {
    wav = await readWavFile((await rendered("dream")).file);
  }, 900_000);

  it("hear a click: a step of 1/100 of full scale as the sound fades in, a stray sample of 1/20 in its midst", () => {
    const stepped = wav.data[0].slice();
    for (let i = 1 * RATE; i < stepped.length; i++) stepped[i] += 0.01;
    expect(clicks(stepped, RATE)).toEqual([1]);
    // In the softest second of the story's middle; in a bright hiss (the forest's leaves, the
    // waterfall's spray) a single sample of 1/20 hides: the detector asks for 12 times the local
    // roughness (its second difference's RMS), which reaches 0.03–0.045 there.
    const spiked = wav.data[1].slice();
    const softest = softestSecond(spiked, 20, 170);
    spiked[Math.round((softest + 0.25) * RATE)] += 0.05;
    expect(clicks(spiked, RATE).map((t) => Math.round(t))).toEqual([softest]);
  });

  it("hear a repeat: 10 s of the render played again 85 s later", () => {
    const looped = wav.data[0].slice();
    looped.copyWithin(125 * RATE, 40 * RATE, 50 * RATE);
    const { value, at, lag } = repeats(looped);
    expect(value).toBeGreaterThan(0.8);
    expect(at).toBeCloseTo(40, 1);
    expect(lag).toBeCloseTo(85, 1);
  });

  it("hear a loop: a stretch of 4.6 s looped over and over, as Tone.Noise loops its buffer", () => {
    const period = Math.round(4.6 * RATE);
    const looped = wav.data[0].slice();
    for (let i = 60 * RATE + period; i < looped.length; i++) looped[i] = looped[i - period];
    const { value, lag } = repeats(looped);
    expect(value).toBeGreaterThan(0.9);
    expect(lag / 4.6).toBeCloseTo(Math.round(lag / 4.6), 1);
  });
});
