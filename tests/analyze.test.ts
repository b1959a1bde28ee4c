import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openWavWriter, type SampleFormat } from "../src/node/wav-file.ts";
import { reverie, tempDir } from "./helpers/cli.ts";
import { dbfs, sineSequence } from "./helpers/signals.ts";

const RATE = 48000;
const dir = tempDir();

async function writeWav(name: string, channels: Float32Array[], format: SampleFormat = "pcm24"): Promise<string> {
  const path = join(dir, name);
  const writer = await openWavWriter(path, { sampleRate: RATE, channels: channels.length, format });
  await writer.write(channels);
  await writer.finish();
  return path;
}

/** A failed run: exit code 2 and one line on stderr that names the problem. */
function expectUsageError(args: string[], message: RegExp): void {
  const run = reverie(...args);
  expect(run.code).toBe(2);
  const lines = run.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^reverie: /);
  expect(lines[0]).toMatch(message);
}

describe("reverie analyze", () => {
  let sine: string;
  let dirty: string;

  beforeAll(async () => {
    // EBU Tech 3341 case 1: a 1 kHz sine at -23 dBFS on both channels reads -23.0 LUFS.
    const tone = sineSequence(RATE, 1000, [{ seconds: 20, level: -23 }]);
    sine = await writeWav("sine.wav", [tone, tone.slice()]);
    // Quiet noise with a DC offset of +0.01 on the left and 100 samples clipped at full scale on the right.
    const left = new Float32Array(10 * RATE);
    const right = new Float32Array(10 * RATE);
    for (let i = 0; i < left.length; i++) {
      left[i] = 0.01 + 0.05 * Math.sin(i * 0.37) * Math.sin(i * 0.011);
      right[i] = 0.05 * Math.sin(i * 0.29);
    }
    for (let k = 0; k < 100; k++) right[RATE + 997 * k] = k % 2 === 0 ? 1.2 : -1.5;
    dirty = await writeWav("dirty.wav", [left, right], "pcm16");
  });

  it("prints the loudness of a -23 dBFS sine as -23.0 LUFS, its peaks, no DC, no clipping and its length", () => {
    const run = reverie("analyze", sine);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/stereo, 48000 Hz, pcm24/);
    expect(run.stdout).toMatch(/integrated loudness\s+-23\.0 LUFS/);
    expect(run.stdout).toMatch(/true peak\s+-23\.0 dBTP/);
    expect(run.stdout).toMatch(/sample peak\s+-23\.0 dBFS/);
    expect(run.stdout).toMatch(/loudness range\s+0\.0 LU/);
    expect(run.stdout).toMatch(/DC offset\s+L -?0\.000000\s+R -?0\.000000/);
    expect(run.stdout).toMatch(/clipped samples\s+0\n/);
    expect(run.stdout).toMatch(/duration\s+20s \(20\.000 s\)/);
  });

  it("prints one JSON object with --json, with the same figures", () => {
    const run = reverie("analyze", sine, "--json");
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ file: sine, sampleRate: RATE, channels: 2, format: "pcm24", duration: 20, clipped: 0 });
    expect(report.integrated).toBeCloseTo(-23, 1);
    expect(report.truePeak).toBeCloseTo(-23, 1);
    expect(report.samplePeak).toBeCloseTo(20 * Math.log10(dbfs(-23)), 1);
    expect(report.shortTermMax).toBeCloseTo(-23, 1);
    expect(Math.abs(report.dc[0])).toBeLessThan(1e-5);
  });

  it("finds a DC offset and counts the samples clipped at full scale", () => {
    const report = JSON.parse(reverie("analyze", dirty, "--json").stdout);
    expect(report.dc[0]).toBeCloseTo(0.01, 3);
    expect(Math.abs(report.dc[1])).toBeLessThan(1e-3);
    expect(report.clipped).toBe(100);
    expect(report.samplePeak).toBeCloseTo(0, 2);
    const text = reverie("analyze", dirty).stdout;
    expect(text).toMatch(/DC offset\s+L 0\.0100\d\d\s+R/);
    expect(text).toMatch(/clipped samples\s+100\n/);
  });

  it("reads silence as minus infinity, and null in JSON", async () => {
    const silent = await writeWav("silent.wav", [new Float32Array(RATE), new Float32Array(RATE)], "f32");
    expect(reverie("analyze", silent).stdout).toMatch(/integrated loudness\s+-inf LUFS/);
    expect(JSON.parse(reverie("analyze", silent, "--json").stdout).integrated).toBeNull();
  });

  it("refuses a file that is not a WAV, a missing file and a missing argument with one line and exit code 2", () => {
    const text = join(dir, "notes.wav");
    writeFileSync(text, "these are not samples\n");
    expectUsageError(["analyze", text], /notes\.wav/);
    expectUsageError(["analyze", join(dir, "missing.wav")], /missing\.wav: no such file/);
    expectUsageError(["analyze"], /analyze needs a WAV file/);
    expectUsageError(["analyze", sine, "--loud"], /unknown option --loud/);
  });
});

describe("reverie render --loudness", () => {
  it("takes a target from -40 to -10 LUFS and refuses anything else with one line and exit code 2", () => {
    const out = join(dir, "never.wav");
    for (const bad of ["loud", "-5", "-41", "-23dB", ""]) {
      expectUsageError(
        ["render", "--length", "2s", "--out", out, `--loudness=${bad}`],
        /--loudness must be a number of LUFS from -40 to -10/,
      );
    }
    expect(reverie("render", "--help").stdout).toMatch(/--loudness LUFS/);
  });
});
