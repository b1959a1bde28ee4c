import { describe, expect, it } from "vitest";
import { LoudnessMeter } from "../src/dsp/meter.ts";
import { createMaster, type MasterOptions } from "../src/dsp/limiter.ts";
import { Random } from "../src/core/random.ts";
import { dbfs } from "./helpers/signals.ts";

const RATE = 48000;

/** Stereo test sound: seeded noise at `level` dBFS, with a loud burst (a tone near 11 kHz, peaking between samples) every 4 s. */
function sound(seconds: number, level: number, burst: number): Float32Array[] {
  const next = Random.fromSeed("master").stream(0);
  const n = seconds * RATE;
  const quiet = dbfs(level);
  const loud = dbfs(burst);
  return [0, 1].map((channel) => {
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const inBurst = (i / RATE) % 4 >= 1 && (i / RATE) % 4 < 1.3;
      x[i] = quiet * (next() * 2 - 1) + (inBurst ? loud * Math.sin((2 * Math.PI * 11025.5 * i) / RATE + channel) : 0);
    }
    return x;
  });
}

/** Runs `input` through a master in blocks of the given sizes (cycled) and returns the whole output. */
function master(input: Float32Array[], blocks: number[], options: Partial<MasterOptions> = {}) {
  const m = createMaster({ sampleRate: RATE, channels: 2, gain: 1, ...options });
  const parts: Float32Array[][] = [];
  // Copied at once: with `reuse` the next call writes over what a call returned.
  const keep = (part: Float32Array[]) => parts.push(part.map((channel) => channel.slice()));
  for (let at = 0, b = 0; at < input[0].length; b++) {
    const size = Math.min(blocks[b % blocks.length], input[0].length - at);
    keep(m.process(input.map((x) => x.subarray(at, at + size))));
    at += size;
  }
  keep(m.finish());
  const output = input.map((_, c) => {
    const joined = new Float32Array(parts.reduce((n, p) => n + p[c].length, 0));
    let at = 0;
    for (const p of parts) {
      joined.set(p[c], at);
      at += p[c].length;
    }
    return joined;
  });
  return { output, stats: m.stats() };
}

function truePeak(x: Float32Array[]): number {
  const meter = new LoudnessMeter(RATE, 2);
  meter.push(x);
  return meter.result().truePeak;
}

describe("the master", () => {
  const loud = sound(12, -30, 2);

  it("holds a signal that peaks at +3 dBTP between its samples to the -1 dBTP ceiling", () => {
    expect(truePeak(loud)).toBeGreaterThan(2.5);
    const { output, stats } = master(loud, [48000]);
    expect(truePeak(output)).toBeLessThanOrEqual(-1);
    expect(truePeak(output)).toBeGreaterThan(-1.5);
    expect(stats.maxReduction).toBeGreaterThan(3);
  });

  it("holds another ceiling when asked, after its gain", () => {
    const { output } = master(loud, [48000], { gain: 0.5, ceiling: -6 });
    expect(truePeak(output)).toBeLessThanOrEqual(-6);
    expect(truePeak(output)).toBeGreaterThan(-6.5);
  });

  it("gives the same samples however the input is cut into blocks", () => {
    const whole = master(loud, [loud[0].length]).output;
    const cut = master(loud, [1, 7, 4096, 333, 128, 60000, 2]).output;
    for (const c of [0, 1]) expect(Buffer.from(cut[c].buffer).equals(Buffer.from(whole[c].buffer))).toBe(true);
  });

  it("gives the same samples on its quiet stretches as frame by frame (a third channel, a copy of the first, keeps it off them)", () => {
    const quiet = sound(12, -24, -6);
    const two = master(quiet, [1, 7, 4096, 333, 128, 60000, 2], { gain: 2 });
    const three = master([...quiet, quiet[0]], [1, 7, 4096, 333, 128, 60000, 2], { channels: 3, gain: 2 });
    expect(two.stats.maxReduction).toBeGreaterThan(0);
    expect(three.stats).toEqual(two.stats);
    for (const c of [0, 1]) expect(Buffer.from(three.output[c].buffer).equals(Buffer.from(two.output[c].buffer))).toBe(true);
  });

  it("lends its output when asked to reuse it, with the same samples as when each block is its own", () => {
    const whole = master(loud, [loud[0].length]).output;
    const lent = master(loud, [48000, 1, 7, 4096, 333, 60000], { reuse: true }).output;
    for (const c of [0, 1]) expect(Buffer.from(lent[c].buffer).equals(Buffer.from(whole[c].buffer))).toBe(true);
  });

  it("gives back as many frames as it was given, lined up with them: under the ceiling only the gain changes the sound", () => {
    const quiet = sound(3, -20, -12);
    const { output, stats } = master(quiet, [10000], { gain: 0.5 });
    expect(output[0].length).toBe(quiet[0].length);
    expect(stats).toEqual({ maxReduction: 0, reducedSeconds: 0 });
    for (const c of [0, 1]) {
      for (let i = 0; i < quiet[c].length; i++) {
        if (output[c][i] !== Math.fround(quiet[c][i] * 0.5)) throw new Error(`frame ${i} of channel ${c} differs`);
      }
    }
  });

  it("moves its gain smoothly, never in a step, and lets go slowly over about a second", () => {
    // A steady tone, loud for 0.3 s: the gain the master applies is output ÷ input.
    const n = 4 * RATE;
    const tone = new Float32Array(n).map((_, i) => (i >= RATE && i < 1.3 * RATE ? 1.6 : 0.2) * Math.sin((2 * Math.PI * 440 * i) / RATE));
    const { output } = master([tone, tone.slice()], [4800]);
    let previous = { at: 0, gain: 1 };
    let largestStep = 0;
    const gainAt = (seconds: number) => {
      const i = Math.round(seconds * RATE);
      let sum = 0;
      let ref = 0;
      for (let k = i - 200; k < i + 200; k++) {
        sum += Math.abs(output[0][k]);
        ref += Math.abs(tone[k]);
      }
      return sum / ref;
    };
    // Per sample, away from the zero crossings where the ratio means little.
    for (let i = 0; i < n; i++) {
      if (Math.abs(tone[i]) < 0.05) continue;
      const gain = output[0][i] / tone[i];
      largestStep = Math.max(largestStep, Math.abs(gain - previous.gain) / (i - previous.at));
      previous = { at: i, gain };
    }
    // The deepest dip here is about 0.6, taken over the 10 ms look-ahead: 0.0025 a sample at the steepest.
    expect(largestStep).toBeLessThan(0.004);
    expect(gainAt(1.15)).toBeLessThan(0.6);
    // Released: still well down 0.3 s after the burst, nearly back after 2.5 s.
    expect(gainAt(1.6)).toBeLessThan(0.85);
    expect(gainAt(3.8)).toBeGreaterThan(0.97);
  });
});
