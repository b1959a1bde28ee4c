import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SampleFormat } from "../src/pipeline/wav.ts";
import { WavFormatError, bytesPerSample, wavHeaderBytes } from "../src/pipeline/wav.ts";
import type { WavData, WavWriterOptions } from "../src/node/wav-file.ts";
import { OutputPathError, WavWriteError, checkOutputPath, openWavWriter, readWavBlocks, readWavFile } from "../src/node/wav-file.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const FORMATS: SampleFormat[] = ["pcm16", "pcm24", "f32"];
/** Block sizes that straddle the 4096-frame dither runs at odd places. */
const UNEVEN_BLOCKS = [1, 777, 4096, 3, 5000, 2, 4095, 1234];
const isRoot = process.getuid?.() === 0;

let dir: string;
let fileCount = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "reverie-wav-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh path in the test directory. */
function freshPath(name = "out.wav"): string {
  const sub = join(dir, `case-${++fileCount}`);
  mkdirSync(sub);
  return join(sub, name);
}

/** A deterministic test signal: different tones per channel, plus exact edge values. */
function testSignal(channels: number, frames: number, sampleRate: number): Float32Array[] {
  return Array.from({ length: channels }, (_, c) => {
    const data = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      const t = i / sampleRate;
      data[i] = 0.6 * Math.sin(2 * Math.PI * (220 + 110 * c) * t) + 0.3 * Math.sin(2 * Math.PI * 3001 * t + c);
    }
    data.set([0, 1, -1, 0.5, -0.5, 1e-6].slice(0, frames));
    return data;
  });
}

/** Splits planar audio into consecutive blocks of the given sizes (cycled). */
function* blocksOf(audio: Float32Array[], sizes: number[]): Generator<Float32Array[]> {
  const frames = audio[0]!.length;
  for (let start = 0, k = 0; start < frames; k++) {
    const end = Math.min(frames, start + sizes[k % sizes.length]!);
    yield audio.map((channel) => channel.subarray(start, end));
    start = end;
  }
}

async function writeWav(
  path: string,
  opts: WavWriterOptions,
  audio: Float32Array[],
  sizes = UNEVEN_BLOCKS,
): Promise<{ bytes: number; frames: number }> {
  const writer = await openWavWriter(path, opts);
  for (const block of blocksOf(audio, sizes)) await writer.write(block);
  return writer.finish();
}

function tagAt(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}
function u16(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint16(at, true);
}
function u32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, true);
}
function u64(bytes: Uint8Array, at: number): number {
  return u32(bytes, at) + u32(bytes, at + 4) * 2 ** 32;
}

/** The largest distance between two planar signals. */
function maxError(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  for (let c = 0; c < a.length; c++) {
    for (let i = 0; i < a[c]!.length; i++) worst = Math.max(worst, Math.abs(a[c]![i]! - b[c]![i]!));
  }
  return worst;
}

/** Largest error a round trip may show: dither (±1 LSB) plus rounding for pcm16. */
const TOLERANCE: Record<SampleFormat, number> = { pcm16: 1.5 / 32768, pcm24: 1 / 8388608, f32: 0 };

async function readBlocks(path: string, blockFrames: number): Promise<WavData> {
  const parts: Float32Array[][] = [];
  let info: Omit<WavData, "data"> | undefined;
  for await (const block of readWavBlocks(path, blockFrames)) {
    expect(block.startFrame).toBe(parts.reduce((n, p) => n + p[0]!.length, 0));
    info = block.info;
    parts.push(block.data);
  }
  const data = info!.channels > 0 ? Array.from({ length: info!.channels }, () => new Float32Array(info!.frames)) : [];
  let at = 0;
  for (const part of parts) {
    for (const [c, channel] of part.entries()) data[c]!.set(channel, at);
    at += part[0]!.length;
  }
  return { ...info!, data };
}

// ---------------------------------------------------------------------------
// External tools: they must be present — a silently skipped check is no check.

function requireTool(name: "ffmpeg" | "ffprobe" | "sox"): void {
  const probe = spawnSync(name, [name === "sox" ? "--version" : "-version"], { encoding: "utf8" });
  if (probe.error) {
    throw new Error(
      `${name} is not installed, and these tests need it to check our files with an independent reader: ` +
        "install it with `apt-get install ffmpeg sox` (or `brew install ffmpeg sox`)",
    );
  }
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout.trim();
}

function ffprobe(path: string): { codec: string; sampleRate: number; channels: number; frames: number } {
  requireTool("ffprobe");
  const out = JSON.parse(
    run("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels,duration_ts", "-of", "json", path]),
  ) as { streams: { codec_name: string; sample_rate: string; channels: number; duration_ts: number }[] };
  const s = out.streams[0]!;
  return { codec: s.codec_name, sampleRate: Number(s.sample_rate), channels: s.channels, frames: s.duration_ts };
}

/** ffmpeg's own decode of the file, as planar floats. */
function ffmpegDecode(path: string, channels: number): Float32Array[] {
  requireTool("ffmpeg");
  const result = spawnSync("ffmpeg", ["-v", "error", "-i", path, "-f", "f32le", "-"], { maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`ffmpeg could not decode ${path}: ${String(result.stderr)}`);
  const bytes = new Uint8Array(result.stdout);
  const interleaved = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const frames = interleaved.length / channels;
  return Array.from({ length: channels }, (_, c) => Float32Array.from({ length: frames }, (_, i) => interleaved[i * channels + c]!));
}

function soxInfo(path: string): { frames: number; sampleRate: number; channels: number } {
  requireTool("sox");
  return {
    frames: Number(run("sox", ["--i", "-s", path])),
    sampleRate: Number(run("sox", ["--i", "-r", path])),
    channels: Number(run("sox", ["--i", "-c", path])),
  };
}

// ---------------------------------------------------------------------------

describe("a streamed WAV file", () => {
  const cases = FORMATS.flatMap((format) =>
    [1, 2].flatMap((channels) => [44100, 48000].map((sampleRate) => ({ format, channels, sampleRate }))),
  );

  it.each(cases)(
    "in $format with $channels channel(s) at $sampleRate Hz has a correct header and reads back within one quantisation step",
    async ({ format, channels, sampleRate }) => {
      const frames = 10_007; // odd, so pcm24 mono needs a pad byte
      const path = freshPath();
      const audio = testSignal(channels, frames, sampleRate);
      const result = await writeWav(path, { format, channels, sampleRate, ditherKey: 42 }, audio);

      const width = bytesPerSample(format);
      const blockAlign = channels * width;
      const dataBytes = frames * blockAlign;
      const float = format === "f32";
      const headerBytes = float ? 94 : 80;
      const fileBytes = headerBytes + dataBytes + (dataBytes % 2);
      const bytes = readFileSync(path);

      expect(wavHeaderBytes(format)).toBe(headerBytes);
      expect(result).toEqual({ bytes: fileBytes, frames });
      expect(bytes.length).toBe(fileBytes);
      expect(tagAt(bytes, 0)).toBe("RIFF");
      expect(u32(bytes, 4)).toBe(fileBytes - 8);
      expect(tagAt(bytes, 8)).toBe("WAVE");
      expect(tagAt(bytes, 12)).toBe("JUNK");
      expect(u32(bytes, 16)).toBe(28);
      expect([...bytes.subarray(20, 48)].every((b) => b === 0)).toBe(true);
      expect(tagAt(bytes, 48)).toBe("fmt ");
      expect(u32(bytes, 52)).toBe(float ? 18 : 16);
      expect(u16(bytes, 56)).toBe(float ? 3 : 1); // format tag: IEEE float or PCM
      expect(u16(bytes, 58)).toBe(channels);
      expect(u32(bytes, 60)).toBe(sampleRate);
      expect(u32(bytes, 64)).toBe(sampleRate * blockAlign); // byte rate
      expect(u16(bytes, 68)).toBe(blockAlign);
      expect(u16(bytes, 70)).toBe(width * 8); // bits per sample
      if (float) {
        expect(u16(bytes, 72)).toBe(0); // cbSize
        expect(tagAt(bytes, 74)).toBe("fact");
        expect(u32(bytes, 78)).toBe(4);
        expect(u32(bytes, 82)).toBe(frames);
      }
      expect(tagAt(bytes, headerBytes - 8)).toBe("data");
      expect(u32(bytes, headerBytes - 4)).toBe(dataBytes);
      if (dataBytes % 2) expect(bytes[fileBytes - 1]).toBe(0);

      const back = await readWavFile(path);
      expect({ ...back, data: undefined }).toEqual({ sampleRate, channels, format, frames, data: undefined });
      expect(maxError(back.data, audio)).toBeLessThanOrEqual(TOLERANCE[format]);

      const streamed = await readBlocks(path, 999);
      expect(streamed).toEqual(back);
    },
  );

  it("holds no audio when nothing was written, and still reads back", async () => {
    const path = freshPath();
    const writer = await openWavWriter(path, { format: "f32", channels: 2, sampleRate: 48000 });
    expect(await writer.finish()).toEqual({ bytes: 94, frames: 0 });
    expect((await readWavFile(path)).frames).toBe(0);
  });

  it("does not appear at the target until finished, and leaves no temporary file", async () => {
    const path = freshPath("dream.wav");
    const writer = await openWavWriter(path, { format: "pcm16", channels: 2, sampleRate: 48000 });
    await writer.write(testSignal(2, 5000, 48000));
    expect(existsSync(path)).toBe(false);
    expect(dirname(writer.tempPath)).toBe(dirname(path));
    expect(readdirSync(dirname(path))).toEqual([writer.tempPath.slice(dirname(path).length + 1)]);
    expect(writer.tempPath).toMatch(/\/\.dream\.wav\.reverie-\d+-\d+-[0-9a-z]+\.part$/);
    await writer.finish();
    expect(readdirSync(dirname(path))).toEqual(["dream.wav"]);
  });
});

describe("other programs reading our files", { tags: ["ffmpeg", "sox"] }, () => {
  it("ffprobe, ffmpeg and sox read pcm16 stereo at 44100 Hz with the same samples", async () => {
    const path = freshPath();
    const audio = testSignal(2, 22_050, 44100);
    await writeWav(path, { format: "pcm16", channels: 2, sampleRate: 44100, ditherKey: 1 }, audio);
    expect(ffprobe(path)).toEqual({ codec: "pcm_s16le", sampleRate: 44100, channels: 2, frames: 22_050 });
    expect(soxInfo(path)).toEqual({ frames: 22_050, sampleRate: 44100, channels: 2 });
    expect(ffmpegDecode(path, 2)).toEqual((await readWavFile(path)).data);
  });

  it("ffprobe, ffmpeg and sox read f32 mono at 48000 Hz (with its fact chunk) with the same samples", async () => {
    const path = freshPath();
    await writeWav(path, { format: "f32", channels: 1, sampleRate: 48000 }, testSignal(1, 24_001, 48000));
    expect(ffprobe(path)).toEqual({ codec: "pcm_f32le", sampleRate: 48000, channels: 1, frames: 24_001 });
    expect(soxInfo(path)).toEqual({ frames: 24_001, sampleRate: 48000, channels: 1 });
    expect(ffmpegDecode(path, 1)).toEqual((await readWavFile(path)).data);
  });
});

describe("the RF64 layout (forced on a small file by lowering the threshold)", () => {
  it.each(["pcm24", "f32"] as const)(
    "in %s turns JUNK into ds64 with 64-bit sizes, and every reader gets the right length",
    { tags: ["ffmpeg", "sox"] },
    async (format) => {
      const path = freshPath();
      const channels = 2;
      const frames = 12_345;
      const audio = testSignal(channels, frames, 48000);
      await writeWav(path, { format, channels, sampleRate: 48000, rf64Threshold: 0 }, audio);

      const bytes = readFileSync(path);
      const dataBytes = frames * channels * bytesPerSample(format);
      const headerBytes = wavHeaderBytes(format);
      expect(bytes.length).toBe(headerBytes + dataBytes);
      expect(tagAt(bytes, 0)).toBe("RF64");
      expect(u32(bytes, 4)).toBe(0xffffffff);
      expect(tagAt(bytes, 8)).toBe("WAVE");
      expect(tagAt(bytes, 12)).toBe("ds64");
      expect(u32(bytes, 16)).toBe(28);
      expect(u64(bytes, 20)).toBe(bytes.length - 8); // RIFF size
      expect(u64(bytes, 28)).toBe(dataBytes);
      expect(u64(bytes, 36)).toBe(frames); // sample count
      expect(u32(bytes, 44)).toBe(0); // table length
      expect(tagAt(bytes, 48)).toBe("fmt ");
      if (format === "f32") expect(u32(bytes, 82)).toBe(0xffffffff); // fact defers to ds64
      expect(tagAt(bytes, headerBytes - 8)).toBe("data");
      expect(u32(bytes, headerBytes - 4)).toBe(0xffffffff);

      const back = await readWavFile(path);
      expect(back.frames).toBe(frames);
      expect(maxError(back.data, audio)).toBeLessThanOrEqual(TOLERANCE[format]);
      expect((await readBlocks(path, 4096)).data).toEqual(back.data);
      expect(ffprobe(path)).toMatchObject({ sampleRate: 48000, channels, frames });
      expect(soxInfo(path)).toEqual({ frames, sampleRate: 48000, channels });
      expect(ffmpegDecode(path, channels)).toEqual(back.data);
    },
  );

  it("is not used below the threshold", async () => {
    const path = freshPath();
    const frames = 1000;
    const dataBytes = frames * 4;
    await writeWav(
      path,
      { format: "pcm16", channels: 2, sampleRate: 48000, rf64Threshold: 80 - 8 + dataBytes },
      testSignal(2, frames, 48000),
    );
    expect(tagAt(readFileSync(path), 0)).toBe("RIFF");
  });
});

describe("reading files written by ffmpeg", { tags: ["ffmpeg"] }, () => {
  it.each([
    ["pcm_s24le stereo (WAVE_FORMAT_EXTENSIBLE, with a LIST chunk)", ["-ac", "2", "-c:a", "pcm_s24le"], "pcm24"],
    ["pcm_f32le mono (WAVE_FORMAT_EXTENSIBLE, fact and LIST chunks)", ["-ac", "1", "-c:a", "pcm_f32le"], "f32"],
    ["pcm_s16le stereo as RF64", ["-ac", "2", "-c:a", "pcm_s16le", "-rf64", "always"], "pcm16"],
  ] as const)("reads %s like ffmpeg does", async (_label, args, format) => {
    requireTool("ffmpeg");
    const path = freshPath();
    run("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=0.25:sample_rate=48000", ...args, path]);
    const back = await readWavFile(path);
    expect(back).toMatchObject({ format, sampleRate: 48000, frames: 12_000 });
    expect(back.data).toEqual(ffmpegDecode(path, back.channels));
    expect((await readBlocks(path, 5000)).data).toEqual(back.data);
  });
});

describe("dither", () => {
  const audio = testSignal(2, 20_000, 48000);
  const opts = { format: "pcm16", channels: 2, sampleRate: 48000, ditherKey: 7 } as const;

  it("gives bit-identical bytes whatever the block sizes", async () => {
    const files = [];
    for (const sizes of [[20_000], [4096], UNEVEN_BLOCKS, [1, 2, 3, 5, 8, 13, 4099]]) {
      const path = freshPath();
      await writeWav(path, opts, audio, sizes);
      files.push(readFileSync(path));
    }
    for (const file of files.slice(1)) expect(file.equals(files[0]!)).toBe(true);
  });

  it("gives bit-identical bytes when time windows are rendered separately and written in order", async () => {
    const whole = freshPath();
    await writeWav(whole, opts, audio, [20_000]);
    const windowed = freshPath();
    const writer = await openWavWriter(windowed, opts);
    for (const [start, end] of [
      [0, 7000],
      [7000, 15_001],
      [15_001, 20_000],
    ] as const) {
      // Each window is computed on its own, as a render worker would.
      await writer.write(testSignal(2, 20_000, 48000).map((channel) => channel.slice(start, end)));
    }
    await writer.finish();
    expect(readFileSync(windowed).equals(readFileSync(whole))).toBe(true);
  });

  it("changes with the dither key", async () => {
    const a = freshPath();
    const b = freshPath();
    await writeWav(a, opts, audio);
    await writeWav(b, { ...opts, ditherKey: 8 }, audio);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(false);
  });

  it.each([0.3, 0.5])(
    "is TPDF: a constant %s LSB decodes to that mean over at most 3 adjacent codes, with 1/4 LSB² error power",
    async (lsb) => {
      const path = freshPath();
      const frames = 200_000;
      await writeWav(path, { ...opts, channels: 1 }, [new Float32Array(frames).fill(lsb / 32768)]);
      const codes = (await readWavFile(path)).data[0]!.map((x) => x * 32768);
      const counts = new Map<number, number>();
      let sum = 0;
      let power = 0;
      for (const code of codes) {
        counts.set(code, (counts.get(code) ?? 0) + 1);
        sum += code;
        power += (code - lsb) ** 2;
      }
      const used = [...counts.keys()].sort((a, b) => a - b);
      expect(used.length).toBeGreaterThanOrEqual(2); // it really is dithered…
      expect(used.at(-1)! - used[0]!).toBeLessThanOrEqual(2); // …by no more than ±1 LSB
      expect(used.every((code) => Math.abs(code - lsb) < 1.5)).toBe(true);
      expect(sum / frames).toBeCloseTo(lsb, 2);
      // TPDF (variance 1/6) plus rounding (1/12), whatever the input level.
      expect(power / frames).toBeGreaterThan(0.23);
      expect(power / frames).toBeLessThan(0.27);
    },
  );

  it("is independent between channels", async () => {
    const path = freshPath();
    await writeWav(path, opts, [new Float32Array(50_000), new Float32Array(50_000)]);
    const [left, right] = (await readWavFile(path)).data;
    let same = 0;
    for (let i = 0; i < left!.length; i++) if (left![i] === right![i]) same++;
    // P(equal) for two independent TPDF-dithered zeros: 0.75² + 2·0.125² = 0.59375.
    expect(same / left!.length).toBeCloseTo(0.59, 1);
  });

  it("is not applied to pcm24 or f32, which round to nearest or store as is", async () => {
    const step = 1 / 8388608;
    const input = Float32Array.from({ length: 1000 }, (_, i) => (i % 2 ? 0.3 : 0.6) * step);
    const path24 = freshPath();
    await writeWav(path24, { format: "pcm24", channels: 1, sampleRate: 48000, ditherKey: 3 }, [input]);
    expect((await readWavFile(path24)).data[0]).toEqual(input.map((x) => Math.round(x / step) * step));
    const path32 = freshPath();
    await writeWav(path32, { format: "f32", channels: 1, sampleRate: 48000, ditherKey: 3 }, [input]);
    expect((await readWavFile(path32)).data[0]).toEqual(input);
  });
});

describe("clamping", () => {
  it.each(FORMATS)("keeps %s samples beyond ±1 at full scale and turns NaN into silence", async (format) => {
    const path = freshPath();
    const input = Float32Array.from([1.5, -2, 1, -1, 100, -Infinity, Infinity, NaN]);
    await writeWav(path, { format, channels: 1, sampleRate: 44100, ditherKey: 5 }, [input]);
    const back = (await readWavFile(path)).data[0]!;
    const top = format === "pcm16" ? 32767 / 32768 : format === "pcm24" ? 8388607 / 8388608 : 1;
    const lsb = format === "pcm16" ? 1 / 32768 : 0; // dither may take one step off full scale
    for (const i of [0, 2, 4, 6]) {
      expect(back[i]).toBeGreaterThanOrEqual(top - lsb);
      expect(back[i]).toBeLessThanOrEqual(top);
    }
    for (const i of [1, 3, 5]) {
      expect(back[i]).toBeGreaterThanOrEqual(-1);
      expect(back[i]).toBeLessThanOrEqual(-1 + lsb);
    }
    expect(Math.abs(back[7]!)).toBeLessThanOrEqual(lsb);
  });
});

describe("aborting and failing", () => {
  it("abort leaves no file behind and nothing at the target, and can be called twice", async () => {
    const path = freshPath();
    const writer = await openWavWriter(path, { format: "pcm24", channels: 2, sampleRate: 48000 });
    await writer.write(testSignal(2, 3000, 48000));
    await writer.abort();
    await writer.abort();
    expect(readdirSync(dirname(path))).toEqual([]);
    await expect(writer.write(testSignal(2, 10, 48000))).rejects.toThrow(/aborted/);
    await expect(writer.finish()).rejects.toThrow(/aborted/);
  });

  it("abort leaves an existing file at the target untouched", async () => {
    const path = freshPath();
    writeFileSync(path, "the previous night's render");
    const writer = await openWavWriter(path, { format: "pcm16", channels: 1, sampleRate: 48000 });
    await writer.write(testSignal(1, 3000, 48000));
    await writer.abort();
    expect(readFileSync(path, "utf8")).toBe("the previous night's render");
    expect(readdirSync(dirname(path))).toEqual(["out.wav"]);
  });

  it("abort after finish does nothing", async () => {
    const path = freshPath();
    const writer = await openWavWriter(path, { format: "pcm16", channels: 1, sampleRate: 48000 });
    await writer.write(testSignal(1, 300, 48000));
    await writer.finish();
    await writer.abort();
    expect((await readWavFile(path)).frames).toBe(300);
  });

  it("a malformed block rejects clearly, aborts the writer and removes its temporary file", async () => {
    const path = freshPath();
    const writer = await openWavWriter(path, { format: "pcm16", channels: 2, sampleRate: 48000 });
    await writer.write(testSignal(2, 100, 48000));
    await expect(writer.write(testSignal(1, 100, 48000))).rejects.toThrow(
      new WavWriteError(`cannot write ${path}: expected 2 channel(s) per block, got 1`),
    );
    expect(readdirSync(dirname(path))).toEqual([]);
    await expect(writer.write(testSignal(2, 100, 48000))).rejects.toThrow(/expected 2 channel/);
    await writer.abort();
    await writer.abort();
  });

  it("a write error from the file system (EFBIG under `ulimit -f`) rejects clearly and leaves no file", () => {
    const path = freshPath();
    const script = join(dirname(path), "write-big.mts");
    writeFileSync(
      script,
      `import { openWavWriter } from ${JSON.stringify(join(ROOT, "src/node/wav-file.ts"))};
const writer = await openWavWriter(${JSON.stringify(path)}, { format: "f32", channels: 2, sampleRate: 48000 });
try {
  for (let i = 0; i < 10; i++) await writer.write([new Float32Array(48000), new Float32Array(48000)]);
  await writer.finish();
  console.log("no error");
} catch (err) {
  console.log(err.name + ": " + err.message);
}`,
    );
    // 2000 blocks of 512 bytes: about 1 MB, while the writes total 3.8 MB.
    const result = spawnSync("sh", ["-c", `ulimit -f 2000 && exec "${process.execPath}" --import tsx "${script}"`], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe(`WavWriteError: cannot write ${path}: the file has grown beyond the size this system allows (EFBIG)`);
    expect(readdirSync(dirname(path))).toEqual(["write-big.mts"]);
  });

  it("finish rejects clearly when the target directory vanished during the render", async () => {
    const path = freshPath();
    const writer = await openWavWriter(path, { format: "pcm16", channels: 2, sampleRate: 48000 });
    await writer.write(testSignal(2, 1000, 48000));
    rmSync(dirname(path), { recursive: true });
    await expect(writer.finish()).rejects.toThrow(`cannot write ${path}: the directory no longer exists (ENOENT)`);
    expect(existsSync(dirname(path))).toBe(false);
  });
});

describe("checkOutputPath", () => {
  it("accepts a writable directory and leaves nothing in it", async () => {
    const path = freshPath("dream.wav");
    await checkOutputPath(path);
    expect(readdirSync(dirname(path))).toEqual([]);
  });

  it("rejects a missing directory, naming the path and the directory", async () => {
    const missing = join(dir, "nope");
    const path = join(missing, "dream.wav");
    await expect(checkOutputPath(path)).rejects.toThrow(
      new OutputPathError(`cannot write ${path}: the directory ${missing} does not exist`),
    );
    await expect(openWavWriter(path, { format: "pcm16", channels: 2, sampleRate: 48000 })).rejects.toBeInstanceOf(OutputPathError);
    expect(existsSync(missing)).toBe(false);
  });

  it("rejects a directory that is really a file", async () => {
    const file = freshPath("notes.txt");
    writeFileSync(file, "");
    await expect(checkOutputPath(join(file, "dream.wav"))).rejects.toThrow(`${file} is not a directory`);
  });

  it("rejects a target that is an existing directory", async () => {
    const path = freshPath("dream.wav");
    mkdirSync(path);
    await expect(checkOutputPath(path)).rejects.toThrow(new OutputPathError(`cannot write ${path}: it is an existing directory`));
  });

  it("rejects a directory nobody may create files in (/proc, even for root)", async () => {
    await expect(checkOutputPath("/proc/dream.wav")).rejects.toThrow(
      new OutputPathError("cannot write /proc/dream.wav: the directory /proc is not writable"),
    );
  });

  // Root ignores permission bits, so a chmod'ed directory is writable for root;
  // the /proc case above covers root.
  it.skipIf(isRoot)("rejects a read-only directory (as a normal user)", async () => {
    const path = freshPath("dream.wav");
    chmodSync(dirname(path), 0o555);
    try {
      await expect(checkOutputPath(path)).rejects.toThrow(`the directory ${dirname(path)} is not writable`);
    } finally {
      chmodSync(dirname(path), 0o755);
    }
  });
});

describe("reading a malformed file", () => {
  async function expectReadError(bytes: Uint8Array | string, message: string): Promise<void> {
    const path = freshPath("bad.wav");
    writeFileSync(path, bytes);
    const error = new WavFormatError(`cannot read ${path}: ${message}`);
    await expect(readWavFile(path)).rejects.toThrow(error);
    await expect(readBlocks(path, 100)).rejects.toThrow(error);
  }

  async function goodFile(format: SampleFormat = "pcm16"): Promise<Buffer> {
    const path = freshPath();
    await writeWav(path, { format, channels: 2, sampleRate: 48000 }, testSignal(2, 100, 48000));
    return readFileSync(path);
  }

  it("names a file that is not a WAV at all", async () => {
    await expectReadError("ID3\u0003 this is an mp3", 'it is not a WAV file (it starts with "ID3\\x03", not "RIFF" or "RF64")');
  });

  it("names a file too short to be a WAV", async () => {
    await expectReadError("RIFF", "it is too short to be a WAV file (4 bytes)");
  });

  it("names a file cut off inside its header", async () => {
    await expectReadError((await goodFile()).subarray(0, 60), "it is truncated (it ends inside its header)");
  });

  it("names a file cut off inside its audio", async () => {
    await expectReadError((await goodFile()).subarray(0, 200), "it is truncated (its data chunk declares 400 bytes but only 120 follow)");
  });

  it("names a file with no data chunk", async () => {
    await expectReadError((await goodFile()).subarray(0, 72), "it has no data chunk");
  });

  it("names a sample format it does not support", async () => {
    const bytes = await goodFile();
    bytes.writeUInt16LE(8, 70); // 8-bit PCM
    bytes.writeUInt16LE(2, 68);
    await expectReadError(bytes, "its samples are 8-bit integer PCM, and only 16/24-bit PCM and 32-bit float are supported");
  });

  it("names a block align that contradicts the channels and bits", async () => {
    const bytes = await goodFile("pcm24");
    bytes.writeUInt16LE(4, 68);
    await expectReadError(bytes, "its fmt chunk's block align (4) does not match 2 channel(s) of 24-bit samples");
  });

  it("names a file that does not exist", async () => {
    const path = join(dir, "missing.wav");
    await expect(readWavFile(path)).rejects.toThrow(`cannot read ${path}: no such file (ENOENT)`);
    await expect(readBlocks(path, 100)).rejects.toThrow(`cannot read ${path}: no such file (ENOENT)`);
  });

  it("skips unknown chunks before the audio", async () => {
    const good = await goodFile();
    const list = Buffer.concat([Buffer.from("LIST"), Buffer.from([5, 0, 0, 0]), Buffer.from("INFOx\0")]); // odd size, padded
    const bytes = Buffer.concat([good.subarray(0, 72), list, good.subarray(72)]);
    bytes.writeUInt32LE(bytes.length - 8, 4);
    const path = freshPath();
    writeFileSync(path, bytes);
    expect((await readWavFile(path)).data).toEqual((await readWavFile(freshPathWith(good))).data);
  });
});

function freshPathWith(bytes: Uint8Array): string {
  const path = freshPath();
  writeFileSync(path, bytes);
  return path;
}
