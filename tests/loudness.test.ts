import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KWeightingFilter, kWeightingCoefficients } from "../src/dsp/k-weighting.ts";
import { LoudnessMeter } from "../src/dsp/meter.ts";
import type { LoudnessResult } from "../src/dsp/meter.ts";
import { INTERPOLATOR, TP_TAPS } from "../src/dsp/true-peak.ts";
import { Random } from "../src/core/random.ts";
import { gainFor } from "../src/score/loudness-model.ts";
import { measure, pinkNoise, pushInBlocks, repeat, sine, sineSequence, stepGain, stereo } from "./helpers/signals.ts";

const FS = 48000;
const HALF_TAPS = TP_TAPS / 2;

/** Asserts |actual - expected| <= tolerance, naming both values on failure. */
function expectWithin(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected), `${actual} should be within ${tolerance} of ${expected}`).toBeLessThanOrEqual(tolerance);
}

/** Stereo 1 kHz sine sequence, the Tech 3341/3342 test signal. */
function tone(segments: { seconds: number; level: number }[], sampleRate = FS): Float32Array[] {
  return stereo(sineSequence(sampleRate, 1000, segments, 0));
}

describe("K-weighting", () => {
  it("filters two channels at once to the same sums, bit for bit, as one by one", () => {
    const left = pinkNoise(FS, 1, "stereo-left");
    const right = pinkNoise(FS, 1, "stereo-right");
    const coefficients = kWeightingCoefficients(FS);
    const single = new KWeightingFilter(coefficients, 2);
    const pair = new KWeightingFilter(coefficients, 2);
    const sums = new Float64Array(2);
    let sumLeft = 0;
    let sumRight = 0;
    for (let at = 0; at < FS; at += 4800) {
      sumLeft = single.sumOfSquares(0, left, at, 4800, sumLeft);
      sumRight = single.sumOfSquares(1, right, at, 4800, sumRight);
      pair.sumOfSquaresStereo(left, right, at, 4800, sums);
      expect([sums[0], sums[1]]).toEqual([sumLeft, sumRight]);
    }
  });

  it("reproduces the BS.1770-4 coefficient table at 48 kHz from the analog prototypes", () => {
    const { shelf, highpass } = kWeightingCoefficients(48000);
    const table = [
      [shelf.b0, 1.53512485958697],
      [shelf.b1, -2.69169618940638],
      [shelf.b2, 1.19839281085285],
      [shelf.a1, -1.69065929318241],
      [shelf.a2, 0.73248077421585],
      [highpass.b0, 1],
      [highpass.b1, -2],
      [highpass.b2, 1],
      [highpass.a1, -1.99004745483398],
      [highpass.a2, 0.99007225036621],
    ];
    for (const [ours, reference] of table) expect(ours).toBeCloseTo(reference, 10);
  });

  for (const frequency of [20, 100, 10000]) {
    it(`weights a ${frequency} Hz sine by the response of the BS.1770-4 table filters`, () => {
      // Independent of the meter: the table's biquads evaluated on the unit circle.
      const w = (2 * Math.PI * frequency) / FS;
      const gain = (b: number[], a: number[]): number => {
        const re = (c: number[]) => c[0] + c[1] * Math.cos(w) + c[2] * Math.cos(2 * w);
        const im = (c: number[]) => -c[1] * Math.sin(w) - c[2] * Math.sin(2 * w);
        return Math.hypot(re(b), im(b)) / Math.hypot(re(a), im(a));
      };
      const response =
        gain([1.53512485958697, -2.69169618940638, 1.19839281085285], [1, -1.69065929318241, 0.73248077421585]) *
        gain([1, -2, 1], [1, -1.99004745483398, 0.99007225036621]);
      // A stereo sine of peak A has channel-summed mean square A², so L = -0.691 + 20 log10(A · |H|).
      const expected = -0.691 - 23 + 20 * Math.log10(response);
      const signal = stereo(sine(FS, frequency, -23, 20));
      expectWithin(measure(signal, FS).integrated, expected, 0.05);
    });
  }
});

describe("integrated loudness (EBU Tech 3341)", () => {
  it("reads a stereo 1 kHz sine at -23 dBFS as -23.0 LUFS (case 1)", () => {
    expectWithin(measure(tone([{ seconds: 20, level: -23 }]), FS).integrated, -23, 0.1);
  });

  it("reads a stereo 1 kHz sine at -33 dBFS as -33.0 LUFS (case 2)", () => {
    expectWithin(measure(tone([{ seconds: 20, level: -33 }]), FS).integrated, -33, 0.1);
  });

  it("gates out the -36 dBFS parts of a -36/-23/-36 sequence (case 3)", () => {
    const signal = tone([
      { seconds: 10, level: -36 },
      { seconds: 60, level: -23 },
      { seconds: 10, level: -36 },
    ]);
    expectWithin(measure(signal, FS).integrated, -23, 0.1);
  });

  it("gates out -72 and -36 dBFS around a -23 dBFS middle (case 4)", () => {
    const signal = tone([
      { seconds: 10, level: -72 },
      { seconds: 10, level: -36 },
      { seconds: 60, level: -23 },
      { seconds: 10, level: -36 },
      { seconds: 10, level: -72 },
    ]);
    expectWithin(measure(signal, FS).integrated, -23, 0.1);
  });

  it("averages the power of -26/-20/-26 dBFS, which all pass the gate, to -23.0 LUFS (case 5)", () => {
    const signal = tone([
      { seconds: 20, level: -26 },
      { seconds: 20.1, level: -20 },
      { seconds: 20, level: -26 },
    ]);
    expectWithin(measure(signal, FS).integrated, -23, 0.1);
  });

  it("reads the -23 dBFS sine as -23.0 LUFS at 44.1 kHz too", () => {
    expectWithin(measure(tone([{ seconds: 20, level: -23 }], 44100), 44100).integrated, -23, 0.1);
  });

  it("meters mono as one channel, 3 LU below the same sine on both stereo channels", () => {
    const mono = measure([sine(FS, 1000, -23, 20)], FS);
    expectWithin(mono.integrated, -26.01, 0.1);
  });

  it("gives -Infinity, not NaN, for silence", () => {
    const silence = measure([new Float32Array(FS * 10), new Float32Array(FS * 10)], FS);
    expect(silence.integrated).toBe(-Infinity);
    expect(silence.momentaryMax).toBe(-Infinity);
    expect(silence.shortTermMax).toBe(-Infinity);
    expect(silence.truePeak).toBe(-Infinity);
    expect(silence.samplePeak).toBe(-Infinity);
    expect(silence.loudnessRange).toBe(0);
    expect(silence.duration).toBe(10);
    for (const value of Object.values(silence)) {
      if (typeof value === "number") expect(Number.isNaN(value)).toBe(false);
    }
    expect(silence.shortTerm.some(Number.isNaN)).toBe(false);
  });

  it("keeps blocks below -70 LUFS out of the relative gate, so a long -75 dBFS tail does not let -35 dBFS in", () => {
    const signal = tone([
      { seconds: 10, level: -20 },
      { seconds: 10, level: -35 },
      { seconds: 200, level: -75 },
    ]);
    expectWithin(measure(signal, FS).integrated, -20, 0.1);
  });

  it("gives -Infinity for a signal that never rises above the -70 LUFS absolute gate", () => {
    expect(measure(tone([{ seconds: 5, level: -75 }]), FS).integrated).toBe(-Infinity);
  });
});

describe("momentary and short-term loudness", () => {
  it("reads the maxima of a constant -23 dBFS sine as -23.0 LUFS", () => {
    const result = measure(tone([{ seconds: 20, level: -23 }]), FS);
    expectWithin(result.momentaryMax, -23, 0.1);
    expectWithin(result.shortTermMax, -23, 0.1);
  });

  it("averages over exactly 400 ms: 0.18 s at -20 and 0.22 s at -30 dBFS, repeated, stays at -23 (case 12)", () => {
    const signal = tone(
      repeat(
        [
          { seconds: 0.18, level: -20 },
          { seconds: 0.22, level: -30 },
        ],
        25,
      ),
    );
    expectWithin(measure(signal, FS).momentaryMax, -23, 0.1);
  });

  it("averages over exactly 3 s: 1.34 s at -20 and 1.66 s at -30 dBFS, repeated, stays at -23 everywhere (case 9)", () => {
    const signal = tone(
      repeat(
        [
          { seconds: 1.34, level: -20 },
          { seconds: 1.66, level: -30 },
        ],
        5,
      ),
    );
    const { shortTerm, shortTermMax } = measure(signal, FS);
    expectWithin(shortTermMax, -23, 0.1);
    for (const value of shortTerm) expectWithin(value, -23, 0.1);
  });

  it("gives one short-term value per 100 ms once the first 3 s window is full", () => {
    const { shortTerm } = measure(tone([{ seconds: 20, level: -23 }]), FS);
    expect(shortTerm.length).toBe(200 - 29);
  });
});

describe("loudness range (EBU Tech 3342)", () => {
  const cases: [string, { seconds: number; level: number }[], number][] = [
    [
      "case 1: -20 then -30 dBFS",
      [
        { seconds: 20, level: -20 },
        { seconds: 20, level: -30 },
      ],
      10,
    ],
    [
      "case 2: -20 then -15 dBFS",
      [
        { seconds: 20, level: -20 },
        { seconds: 20, level: -15 },
      ],
      5,
    ],
    [
      "case 3: -40 then -20 dBFS",
      [
        { seconds: 20, level: -40 },
        { seconds: 20, level: -20 },
      ],
      20,
    ],
    [
      "case 4: -50/-35/-20/-35/-50 dBFS",
      [
        { seconds: 20, level: -50 },
        { seconds: 20, level: -35 },
        { seconds: 20, level: -20 },
        { seconds: 20, level: -35 },
        { seconds: 20, level: -50 },
      ],
      15,
    ],
  ];
  for (const [name, segments, expected] of cases) {
    it(`is ${expected} ± 1 LU for ${name}`, () => {
      expectWithin(measure(tone(segments), FS).loudnessRange, expected, 1);
    });
  }
});

describe("true peak and sample peak", () => {
  for (const sampleRate of [48000, 44100]) {
    it(`finds the 0 dBTP peak between samples of a full-scale fs/4 sine at 45° phase (${sampleRate} Hz), 3 dB above the sample peak`, () => {
      // Every sample lands at ±sin(45°): the crests fall exactly between samples.
      // Silence around the burst keeps the end-of-stream handling out of it.
      const burst = sine(sampleRate, sampleRate / 4, 0, 1, Math.PI / 4);
      const padded = new Float32Array(3 * sampleRate);
      padded.set(burst, sampleRate);
      const signal = stereo(padded);
      const { truePeak, samplePeak } = measure(signal, sampleRate);
      expect(samplePeak).toBeCloseTo(-3.01, 2);
      expectWithin(truePeak, 0, 0.4);
    });
  }

  it("agrees with the sample peak for a slow sine, whose crests are sampled", () => {
    const { truePeak, samplePeak } = measure(stereo(sine(FS, 1000, -6, 2)), FS);
    expect(samplePeak).toBeCloseTo(-6, 2);
    expect(truePeak).toBeGreaterThanOrEqual(samplePeak);
    expect(truePeak - samplePeak).toBeLessThan(0.01);
  });

  it("finds the true peak that interpolating every point gives, though it skips most of them", () => {
    // Quiet noise with pairs of loud samples (inter-sample crests) growing louder at random places:
    // the meter interpolates only near samples loud enough to matter, and must miss none that does.
    const next = Random.fromSeed("sparse peaks").stream(0);
    const x = new Float32Array(2 * FS);
    for (let i = 0; i < x.length; i++) x[i] = 0.02 * (next() * 2 - 1);
    for (let k = 0; k < 80; k++) {
      const at = Math.floor(next() * (x.length - 1));
      const level = (0.1 + (0.8 * k) / 80) * (0.5 + next() / 2);
      x[at] = level;
      x[at + 1] = next() < 0.5 ? level : -level;
    }
    // Every interpolated point, the stream padded with silence on both sides as the meter sees it.
    const padded = new Float64Array(x.length + 2 * (TP_TAPS - 1));
    padded.set(x, TP_TAPS - 1);
    let expected = 0;
    for (let p = TP_TAPS - 1; p < padded.length; p++) {
      expected = Math.max(expected, Math.abs(padded[p - HALF_TAPS]));
      for (const h of INTERPOLATOR.phases) {
        let acc = 0;
        for (let j = 0; j < TP_TAPS; j++) acc += h[j] * padded[p - j];
        expected = Math.max(expected, Math.abs(acc));
      }
    }
    for (const block of [1, 7, 4799, FS]) {
      const meter = new LoudnessMeter(FS, 1);
      pushInBlocks(meter, [x], block);
      expectWithin(meter.result().truePeak, 20 * Math.log10(expected), 1e-9);
    }
  });

  it("catches an inter-sample peak in the very last samples of the stream", () => {
    const signal = new Float32Array(FS);
    signal.set([0.7071, 0.7071], FS - 2);
    const meter = new LoudnessMeter(FS, 1);
    meter.push([signal]);
    const { truePeak, samplePeak } = meter.result();
    expect(samplePeak).toBeCloseTo(-3.01, 2);
    expect(truePeak).toBeGreaterThan(samplePeak + 0.5);
  });
});

describe("streaming", () => {
  it("gives the same results whether pushed in blocks of 1, 1000, 4799 or 48000 samples", () => {
    const left = stepGain(pinkNoise(FS, 12, "blocks-left"), FS, 2, [0, -12, -4, -30, -8]);
    const right = stepGain(pinkNoise(FS, 12, "blocks-right"), FS, 3, [-3, -9]);
    const runs = [1, 1000, 4799, 48000].map((blockSize) => {
      const meter = new LoudnessMeter(FS, 2);
      pushInBlocks(meter, [left, right], blockSize);
      return { result: meter.result(), shortTerm: meter.shortTermSeries() };
    });
    const [reference, ...others] = runs;
    expect(Number.isFinite(reference.result.integrated)).toBe(true);
    expect(reference.result.loudnessRange).toBeGreaterThan(1);
    for (const run of others) {
      for (const key of Object.keys(reference.result) as (keyof LoudnessResult)[]) {
        expect(run.result[key]).toBeCloseTo(reference.result[key], 6);
      }
      expect(run.shortTerm.length).toBe(reference.shortTerm.length);
      run.shortTerm.forEach((value, i) => {
        expect(value).toBeCloseTo(reference.shortTerm[i], 6);
      });
    }
  });

  it("can report mid-stream without disturbing the measurement", () => {
    const signal = tone([
      { seconds: 10, level: -30 },
      { seconds: 10, level: -20 },
    ]);
    const watched = new LoudnessMeter(FS, 2);
    const unwatched = new LoudnessMeter(FS, 2);
    for (let start = 0; start < signal[0].length; start += 12345) {
      const block = signal.map((channel) => channel.subarray(start, start + 12345));
      watched.push(block);
      watched.result();
      unwatched.push(block);
    }
    expect(watched.result()).toEqual(unwatched.result());
  });

  it("counts a partial 100 ms step in the duration and peaks but not in loudness", () => {
    const meter = new LoudnessMeter(FS, 1);
    meter.push([sine(FS, 1000, -20, 0.35)]);
    const result = meter.result();
    expect(result.duration).toBeCloseTo(0.35, 9);
    expect(result.samplePeak).toBeCloseTo(-20, 2);
    expect(result.momentaryMax).toBe(-Infinity);
  });

  it("rejects blocks whose channel count or lengths do not match", () => {
    const meter = new LoudnessMeter(FS, 2);
    expect(() => meter.push([new Float32Array(10)])).toThrow(RangeError);
    expect(() => meter.push([new Float32Array(10), new Float32Array(9)])).toThrow(RangeError);
    expect(() => new LoudnessMeter(FS, 6)).toThrow(RangeError);
  });
});

describe("gainFor", () => {
  it("turns a loudness difference in LU into a linear gain", () => {
    expect(gainFor(-30, -23)).toBeCloseTo(10 ** (7 / 20), 12);
    expect(gainFor(-17, -23)).toBeCloseTo(10 ** (-6 / 20), 12);
    expect(gainFor(-23, -23)).toBe(1);
  });

  it("leaves silence alone instead of returning an infinite gain", () => {
    expect(gainFor(-Infinity, -23)).toBe(1);
  });
});

/** A 32-bit float WAV (format 3, 44-byte header), interleaved. Local on purpose: independent of the project's writer. */
function floatWav(channels: readonly Float32Array[], sampleRate: number): Buffer {
  const frames = channels[0].length;
  const dataBytes = frames * channels.length * 4;
  const out = Buffer.alloc(44 + dataBytes);
  out.write("RIFF", 0, "ascii");
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write("WAVE", 8, "ascii");
  out.write("fmt ", 12, "ascii");
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(3, 20);
  out.writeUInt16LE(channels.length, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * channels.length * 4, 28);
  out.writeUInt16LE(channels.length * 4, 32);
  out.writeUInt16LE(32, 34);
  out.write("data", 36, "ascii");
  out.writeUInt32LE(dataBytes, 40);
  let offset = 44;
  for (let i = 0; i < frames; i++) {
    for (const channel of channels) {
      out.writeFloatLE(channel[i], offset);
      offset += 4;
    }
  }
  return out;
}

/** Runs ffmpeg's ebur128 filter and parses its summary. */
function ffmpegEbur128(path: string): { integrated: number; loudnessRange: number; truePeak: number } {
  const run = spawnSync("ffmpeg", ["-nostats", "-hide_banner", "-i", path, "-filter_complex", "ebur128=peak=true", "-f", "null", "-"], {
    encoding: "utf8",
  });
  if (run.error) {
    throw new Error(`ffmpeg could not be run (${run.error.message}); this cross-check needs it: apt-get install ffmpeg`);
  }
  const summary = run.stderr.slice(run.stderr.lastIndexOf("Summary:"));
  const number = (pattern: RegExp): number => {
    const match = pattern.exec(summary);
    if (!match) throw new Error(`unexpected ffmpeg ebur128 output (exit ${run.status}):\n${run.stderr.slice(-2000)}`);
    return match[1] === "-inf" ? -Infinity : Number(match[1]);
  };
  return {
    integrated: number(/I:\s+(-?[\d.]+|-inf) LUFS/),
    loudnessRange: number(/LRA:\s+(-?[\d.]+) LU/),
    truePeak: number(/Peak:\s+(-?[\d.]+|-inf) dBFS/),
  };
}

describe("cross-check against ffmpeg's ebur128 filter", { tags: ["ffmpeg"] }, () => {
  it("agrees on integrated loudness (0.2 LU), loudness range (1 LU) and true peak (0.3 dB) for 20 s of stepped pink noise", () => {
    const left = stepGain(pinkNoise(FS, 20, "ffmpeg-left", 0.5), FS, 2.5, [0, -6, -2, -15, -4, -9]);
    const right = stepGain(pinkNoise(FS, 20, "ffmpeg-right", 0.5), FS, 2.5, [-1, -7, -3, -12, -5, -10]);
    const ours = measure([left, right], FS);

    const dir = mkdtempSync(join(tmpdir(), "reverie-loudness-"));
    try {
      const path = join(dir, "pink.wav");
      writeFileSync(path, floatWav([left, right], FS));
      const reference = ffmpegEbur128(path);
      expectWithin(ours.integrated, reference.integrated, 0.2);
      expectWithin(ours.loudnessRange, reference.loudnessRange, 1);
      expectWithin(ours.truePeak, reference.truePeak, 0.3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
