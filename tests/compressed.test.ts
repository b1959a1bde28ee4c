/**
 * Compressed output: Ogg Vorbis and MP3, chosen by --format or by the
 * extension, streamed to disk, read back by ffprobe and ffmpeg (independent
 * decoders) as what they claim to be, and sounding like the WAV of the same render.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createOggEncoder } from "wasm-media-encoders";
import { beforeAll, describe, expect, it } from "vitest";
import { OggSerialRewriter } from "../src/pipeline/ogg-pages.ts";
import { readWavFile } from "../src/node/wav-file.ts";
import { entries, reverie, tempDir } from "./helpers/cli.ts";
import { rms, toDb } from "./helpers/measure.ts";

const LENGTH = 40;

/** What ffprobe says of a file's first audio stream and format. */
function probe(path: string): { codec: string; sampleRate: number; channels: number; duration: number; bitRate: number } {
  const run = spawnSync(
    "ffprobe",
    ["-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels:format=duration,bit_rate", "-of", "json", path],
    { encoding: "utf8" },
  );
  expect(run.status, run.stderr).toBe(0);
  const info = JSON.parse(run.stdout) as {
    streams: { codec_name: string; sample_rate: string; channels: number }[];
    format: { duration: string; bit_rate: string };
  };
  const [stream] = info.streams;
  return {
    codec: stream.codec_name,
    sampleRate: Number(stream.sample_rate),
    channels: stream.channels,
    duration: Number(info.format.duration),
    bitRate: Number(info.format.bit_rate),
  };
}

/** The file decoded by ffmpeg to 32-bit float, one channel (the left). */
function decodeLeft(path: string): Float32Array {
  const run = spawnSync("ffmpeg", ["-v", "error", "-i", path, "-af", "pan=mono|c0=c0", "-f", "f32le", "-"], { maxBuffer: 1 << 28 });
  expect(run.status, String(run.stderr)).toBe(0);
  const bytes = run.stdout as Buffer;
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

let dir: string;
let wavLevel: number;

beforeAll(async () => {
  dir = tempDir();
  for (const name of ["dream.wav", "dream.ogg", "dream.mp3"]) {
    const run = reverie("render", "--length", `${LENGTH}s`, "--seed", "5", "--out", join(dir, name));
    expect(run.code, run.stderr).toBe(0);
  }
  wavLevel = toDb(rms((await readWavFile(join(dir, "dream.wav"))).data[0]));
});

describe.each([
  { ext: "ogg", codec: "vorbis", kbps: [90, 170] },
  { ext: "mp3", codec: "mp3", kbps: [127, 129] },
])("a render to .$ext", { tags: ["ffmpeg"] }, ({ ext, codec, kbps }) => {
  it(`is ${codec} at 48 kHz stereo, ${LENGTH} s long, near 128 kb/s`, () => {
    const info = probe(join(dir, `dream.${ext}`));
    expect(info).toMatchObject({ codec, sampleRate: 48000, channels: 2 });
    // MP3 adds its encoder delay (about 50 ms); Vorbis knows its exact length.
    expect(info.duration).toBeGreaterThanOrEqual(LENGTH - 0.01);
    expect(info.duration).toBeLessThan(LENGTH + 0.1);
    expect(info.bitRate / 1000).toBeGreaterThan(kbps[0]);
    expect(info.bitRate / 1000).toBeLessThan(kbps[1]);
  });

  it("decodes to the sound of the WAV: not silent, the same loudness within 0.5 dB", () => {
    const left = decodeLeft(join(dir, `dream.${ext}`));
    expect(left.length / 48000).toBeGreaterThan(LENGTH - 0.01);
    expect(rms(left)).toBeGreaterThan(0.01);
    expect(Math.abs(toDb(rms(left)) - wavLevel)).toBeLessThan(0.5);
  });
});

describe("choosing the format", () => {
  it("follows --format when the name says nothing, and leaves only the finished files", { tags: ["ffmpeg"] }, () => {
    const out = join(dir, "night");
    expect(reverie("render", "--length", "5s", "--format", "ogg", "--out", out).code).toBe(0);
    expect(probe(out).codec).toBe("vorbis");
    expect(entries(dir)).toEqual(["dream.mp3", "dream.ogg", "dream.wav", "night"]);
  });

  it("refuses a --format that contradicts the extension, in one line, writing nothing", () => {
    const other = tempDir();
    for (const [format, name] of [
      ["ogg", "a.wav"],
      ["mp3", "a.ogg"],
      ["pcm24", "a.mp3"],
    ]) {
      const run = reverie("render", "--length", "5s", "--format", format, "--out", join(other, name));
      expect(run.code).toBe(2);
      expect(run.stderr.trim()).toMatch(new RegExp(`^reverie: --format ${format} does not match the extension of .*${name}`));
    }
    expect(entries(other)).toEqual([]);
  });
});

describe("an Ogg file's bytes", () => {
  it("are the same for the same seed on every run, and differ for another seed", () => {
    const sums = ["a", "b", "c"].map((run, k) => {
      const out = join(dir, `again-${run}.ogg`);
      const result = reverie("render", "--length", "8s", "--seed", k < 2 ? "5" : "6", "--out", out);
      expect(result.code, result.stderr).toBe(0);
      return createHash("md5").update(readFileSync(out)).digest("hex");
    });
    expect(sums[0]).toBe(sums[1]);
    expect(sums[2]).not.toBe(sums[0]);
  });

  it("carry page checksums computed as the encoder computes them, however the stream is cut", async () => {
    const encoder = await createOggEncoder();
    encoder.configure({ sampleRate: 48000, channels: 2, vbrQuality: 5 });
    const tone = Float32Array.from({ length: 48000 }, (_, i) => 0.3 * Math.sin(i / 20));
    const raw = Uint8Array.from([...encoder.encode([tone, tone]), ...encoder.finalize()]);
    // Given the encoder's own serial, the rewriter must give back the encoder's bytes, checksums and all.
    const serial = new DataView(raw.buffer).getUint32(14, true);
    const rewriter = new OggSerialRewriter(serial);
    const cuts = [0, 5, 30, 31, 4000, raw.length];
    const out = cuts.slice(1).flatMap((end, k) => [...rewriter.push(raw.slice(cuts[k], end))]);
    rewriter.finish();
    expect(Uint8Array.from(out)).toEqual(raw);
  });
});
