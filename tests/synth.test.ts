/**
 * The groundwork of the textures (src/synth/): noise addressed by frame,
 * filters that join across chunks, grains found again from any stretch, the
 * score's controls as ramps would play them, and the pan a texture applies
 * itself, as the native panner it replaces.
 */
import * as Tone from "tone";
import { describe, expect, it } from "vitest";
import { Random } from "../src/core/random.ts";
import { stereoPan } from "../src/engine/kit.ts";
import { createReverb } from "../src/engine/reverb.ts";
import { Reverb } from "../src/synth/reverb.ts";
import { CONTROL_STEP, controlsAt } from "../src/score/controls.ts";
import { Biquad, warmFrames } from "../src/synth/filters.ts";
import { forEachGrain, GRAIN_BLOCK } from "../src/synth/grains.ts";
import { fillNoise, noiseAt } from "../src/synth/noise.ts";
import { ControlCurves, textureScore } from "../src/synth/texture.ts";
import { loadPresetFile } from "./helpers/presets.ts";
import { plan, RATE } from "./helpers/render.ts";

describe("the textures' noise", () => {
  it("is addressed by frame: any stretch equals the same frames of a longer one", () => {
    const whole = new Float32Array(10000);
    fillNoise(whole, 1234, 5000);
    const part = new Float32Array(777);
    fillNoise(part, 1234, 8000);
    expect(part).toEqual(whole.subarray(3000, 3777));
    expect(noiseAt(1234, 5001)).toBeCloseTo(whole[1], 6);
  });

  it("is white, zero-mean, within [-1, 1), and differs between keys", () => {
    const a = new Float32Array(1 << 16);
    const b = new Float32Array(1 << 16);
    fillNoise(a, 1, 0);
    fillNoise(b, 2, 0);
    let mean = 0;
    let power = 0;
    let lag1 = 0;
    let cross = 0;
    for (let i = 0; i < a.length; i++) {
      mean += a[i] / a.length;
      power += (a[i] * a[i]) / a.length;
      if (i > 0) lag1 += (a[i] * a[i - 1]) / a.length;
      cross += (a[i] * b[i]) / a.length;
      expect(Math.abs(a[i])).toBeLessThanOrEqual(1);
    }
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(power).toBeCloseTo(1 / 3, 2);
    expect(Math.abs(lag1 / power)).toBeLessThan(0.02);
    expect(Math.abs(cross / power)).toBeLessThan(0.02);
  });
});

describe("the textures' filters", () => {
  it("join across chunks: a stretch filtered from rest after warmFrames equals one long pass within -120 dB", () => {
    const lowest = 40;
    const warm = warmFrames(lowest, RATE);
    const long = new Float32Array(3 * RATE);
    fillNoise(long, 99, 0);
    const chain = () => [new Biquad("lowpass", lowest, RATE, 1), new Biquad("highpass", 30, RATE)];
    const once = long.slice();
    for (const f of chain()) f.run(once);
    const start = 2 * RATE;
    const part = long.slice(start - warm, start + RATE);
    for (const f of chain()) f.run(part);
    let error = 0;
    let power = 0;
    for (let i = 0; i < RATE; i++) {
      error = Math.max(error, Math.abs(part[warm + i] - once[start + i]));
      power = Math.max(power, Math.abs(once[start + i]));
    }
    expect(20 * Math.log10(error / power)).toBeLessThan(-120);
  });

  it("match the native biquad's response: a lowpass passes below its corner and cuts above", () => {
    const tone = (hz: number) => {
      const f = new Biquad("lowpass", 1000, RATE);
      let peak = 0;
      for (let i = 0; i < RATE / 2; i++) {
        const y = f.tick(Math.sin((2 * Math.PI * hz * i) / RATE));
        if (i > RATE / 4) peak = Math.max(peak, Math.abs(y));
      }
      return 20 * Math.log10(peak);
    };
    expect(tone(100)).toBeCloseTo(0, 1);
    expect(tone(1000)).toBeCloseTo(-3.01, 1);
    expect(tone(4000)).toBeLessThan(-23);
  });
});

describe("the textures' grains", () => {
  const times = (from: number, to: number) => {
    const out: number[] = [];
    forEachGrain(42, 300, from, to, (g) => out.push(g.time + g.next()));
    return out;
  };

  it("are found again from any stretch: the same times and draws however time is split", () => {
    const whole = times(10, 14);
    const split = [...times(10, 10.3), ...times(10.3, 12.77), ...times(12.77, 14)];
    expect(split).toEqual(whole);
    expect(whole.length).toBeGreaterThan(900);
    expect(whole.length).toBeLessThan(1500);
  });

  it("come as a Poisson process: gaps exponential, with mean 1/rate, across block edges too", () => {
    const ts: number[] = [];
    forEachGrain(7, 200, 0, 50, (g) => ts.push(g.time));
    const gaps = ts.slice(1).map((t, i) => t - ts[i]);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(mean).toBeCloseTo(1 / 200, 3);
    // An exponential's standard deviation equals its mean.
    const sd = Math.sqrt(gaps.reduce((a, b) => a + (b - mean) ** 2, 0) / gaps.length);
    expect(sd / mean).toBeCloseTo(1, 1);
    expect(ts.every((t, i) => i === 0 || t > ts[i - 1])).toBe(true);
    expect(GRAIN_BLOCK).toBeGreaterThan(0);
  });
});

describe("the score as a texture reads it", () => {
  it("gives the controls on the score's grid, and ramps between them as the engine would", () => {
    const p = plan(loadPresetFile("dream"));
    const spec = p.preset.voices.find((v) => v.name === "leaves");
    if (!spec) throw new Error("the dream has leaves");
    const score = textureScore(p, spec);
    const start = Math.round(400.1 * RATE);
    const curves = new ControlCurves(score, RATE, start, RATE);
    const level = curves.frames("level");
    for (const i of [0, 1234, 12000, 47999]) {
      const t = (start + i) / RATE;
      const k = Math.floor(t / CONTROL_STEP);
      const a = controlsAt(p, spec, k * CONTROL_STEP).level;
      const b = controlsAt(p, spec, (k + 1) * CONTROL_STEP).level;
      expect(level[i]).toBeCloseTo(a + (b - a) * (t / CONTROL_STEP - k), 6);
      expect(curves.value("level", t)).toBeCloseTo(level[i], 6);
    }
    const gains = curves.mapped("level", (x) => x * x);
    for (const i of [0, 5000, 47999]) expect(gains[i]).toBeCloseTo(level[i] ** 2, 4);
  });
});

describe("a texture's own pan", () => {
  it("is the native StereoPannerNode's, within -70 dB (Node's engine rounds its gains)", async () => {
    for (const pan of [-0.7, -0.1, 0.25, 1]) {
      const frames = 4096;
      const context = new OfflineAudioContext(2, frames, RATE);
      const buffer = context.createBuffer(2, frames, RATE);
      const rng = Random.fromSeed(pan);
      const channel = (c: number) => {
        const data = new Float32Array(frames);
        for (let i = 0; i < frames; i++) data[i] = rng.at(c, i) * 2 - 1;
        return data;
      };
      const input = [channel(0), channel(1)] as const;
      buffer.copyToChannel(input[0], 0);
      buffer.copyToChannel(input[1], 1);
      const source = context.createBufferSource();
      source.buffer = buffer;
      const panner = context.createStereoPanner();
      panner.pan.value = pan;
      source.connect(panner).connect(context.destination);
      source.start();
      const rendered = await context.startRendering();
      const ours = [input[0].slice(), input[1].slice()] as const;
      stereoPan(ours, pan);
      for (let c = 0; c < 2; c++) {
        const native = rendered.getChannelData(c);
        let error = 0;
        for (let i = 0; i < frames; i++) error = Math.max(error, Math.abs(native[i] - ours[c][i]));
        expect(error).toBeLessThan(3e-4);
      }
    }
  });
});

describe("the reverb in plain TypeScript", () => {
  it("rings as the native reverb of the same design does: the same tail, sample for sample, within -60 dB", async () => {
    const frames = 2 * RATE;
    const raw = new OfflineAudioContext(2, frames, RATE);
    const context = new Tone.OfflineContext(raw);
    const native = createReverb(context);
    const impulse = raw.createBuffer(2, 1, RATE);
    impulse.copyToChannel(new Float32Array([1]), 0);
    impulse.copyToChannel(new Float32Array([0.5]), 1);
    const source = raw.createBufferSource();
    source.buffer = impulse;
    source.connect(native.input);
    native.output.connect(raw.destination);
    source.start(0);
    const rendered = await raw.startRendering();

    const ours = [new Float32Array(frames), new Float32Array(frames)];
    const input = [new Float32Array(frames), new Float32Array(frames)];
    input[0][0] = 1;
    input[1][0] = 0.5;
    new Reverb(RATE).process(input[0], input[1], ours[0], ours[1]);
    for (let c = 0; c < 2; c++) {
      const theirs = rendered.getChannelData(c);
      let error = 0;
      let power = 0;
      for (let i = 0; i < frames; i++) {
        error += (theirs[i] - ours[c][i]) ** 2;
        power += theirs[i] ** 2;
      }
      expect(power).toBeGreaterThan(0.01);
      expect(10 * Math.log10(error / power)).toBeLessThan(-60);
    }
    native.dispose();
    await context.dispose();
  });

  it("takes its right input into the odd lines: a right impulse rings as a left one does, mirrored", () => {
    const frames = RATE;
    const run = (side: number) => {
      const input = [new Float32Array(frames), new Float32Array(frames)];
      input[side][0] = 1;
      const out = [new Float32Array(frames), new Float32Array(frames)];
      new Reverb(RATE).process(input[0], input[1], out[0], out[1]);
      return out.map((x) => x.reduce((a, v) => a + v * v, 0));
    };
    const [fromLeft, fromRight] = [run(0), run(1)];
    // Each side's own output is the louder, and the two are of a size.
    expect(fromLeft[0]).toBeGreaterThan(2 * fromLeft[1]);
    expect(fromRight[1]).toBeGreaterThan(2 * fromRight[0]);
    expect(fromRight[1] / fromLeft[0]).toBeGreaterThan(0.5);
    expect(fromRight[1] / fromLeft[0]).toBeLessThan(2);
  });
});
