/**
 * The page's live mix (engine/live-mix.ts), as its worklet runs it: render
 * quantum after quantum over blocks that start anywhere, the listener's gains
 * and their ramps, the reverb, and the blocks given back once played.
 */
import { describe, expect, it } from "vitest";
import { LiveMix, type MixBlock } from "../src/engine/live-mix.ts";
import { fillNoise } from "../src/synth/noise.ts";
import { Reverb } from "../src/synth/reverb.ts";

const RATE = 48000;
const QUANTUM = 128;
const SENDS = [0.3, 0.1];
const TRIMS = [0.5, 2];
const UNITY = [1, 1];

/** Two voices' channels over `frames`, each its own noise at its own level. */
function voices(frames: number): Float32Array[] {
  return [0, 1, 2, 3].map((c) => {
    const channel = new Float32Array(frames);
    fillNoise(channel, 100 + c, 0);
    for (let i = 0; i < frames; i++) channel[i] *= 0.2 + 0.1 * c;
    return channel;
  });
}

/** `channels` from frame `from` to `to`, as a block. */
function block(channels: Float32Array[], from: number, to: number): MixBlock {
  const frames = to - from;
  const data = new Float32Array(channels.length * frames);
  for (const [c, channel] of channels.entries()) data.set(channel.subarray(from, to), c * frames);
  return { frame: from, frames, data };
}

/** Renders `frames` a quantum at a time. */
function render(mix: LiveMix, frames: number): [Float32Array, Float32Array] {
  const out: [Float32Array, Float32Array] = [new Float32Array(frames), new Float32Array(frames)];
  const l = new Float32Array(QUANTUM);
  const r = new Float32Array(QUANTUM);
  for (let at = 0; at < frames; at += QUANTUM) {
    mix.render(at, l, r);
    out[0].set(l, at);
    out[1].set(r, at);
  }
  return out;
}

const peak = (a: Float32Array, from = 0, to = a.length) => {
  let m = 0;
  for (let i = from; i < to; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};

describe("the live mix", () => {
  it("at the listener's unity gains is the sum of the voices, trimmed, plus the reverb of their sends, whatever the blocks' bounds", () => {
    const frames = QUANTUM * 300;
    const channels = voices(frames);
    const played: number[] = [];
    const mix = new LiveMix(RATE, { sends: SENDS, trims: TRIMS }, (data) => played.push(data.length));
    // Blocks that start off the render quanta, of uneven lengths.
    const bounds = [0, 1000, 1001, 20000, frames];
    for (let b = 0; b + 1 < bounds.length; b++) mix.add(block(channels, bounds[b], bounds[b + 1]));
    const [left, right] = render(mix, frames);

    const wantL = new Float32Array(frames);
    const wantR = new Float32Array(frames);
    const sendL = new Float32Array(frames);
    const sendR = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      for (let v = 0; v < 2; v++) {
        wantL[i] += channels[2 * v][i] * TRIMS[v];
        wantR[i] += channels[2 * v + 1][i] * TRIMS[v];
        sendL[i] += channels[2 * v][i] * TRIMS[v] * SENDS[v];
        sendR[i] += channels[2 * v + 1][i] * TRIMS[v] * SENDS[v];
      }
    }
    new Reverb(RATE).process(sendL, sendR, wantL, wantR);
    const error = Math.max(...left.map((x, i) => Math.abs(x - wantL[i])), ...right.map((x, i) => Math.abs(x - wantR[i])));
    expect(error).toBeLessThan(1e-6);
    // The reverb is there: the result is not the dry sum.
    expect(peak(left.map((x, i) => x - (channels[0][i] * TRIMS[0] + channels[2][i] * TRIMS[1])))).toBeGreaterThan(0.01);
    // Every block but the last has played and been given back, whole.
    expect(played).toEqual([1000 * 4, 1 * 4, 18999 * 4]);
  });

  it("ramps a voice's gain in a straight line from where it is, and holds it there", () => {
    const frames = QUANTUM * 200;
    const channels = voices(frames).map((c) => c.fill(0.5));
    const mix = new LiveMix(RATE, { sends: [0, 0], trims: UNITY });
    mix.add(block(channels, 0, frames));
    const l = new Float32Array(QUANTUM);
    const r = new Float32Array(QUANTUM);
    mix.render(0, l, r);
    expect(l[5]).toBeCloseTo(1, 6);
    // Voice 0 to silence over 100 quanta (0.27 s).
    mix.change({ voice: 0, gain: 0, seconds: (100 * QUANTUM) / RATE });
    const levels: number[] = [];
    for (let q = 1; q < 150; q++) {
      mix.render(q * QUANTUM, l, r);
      levels.push(...l);
    }
    // From 1 (both voices) down to 0.5 (voice 1 alone) in a straight line, sample by
    // sample (no steps at the quanta), halfway there halfway through.
    expect(levels[0]).toBeCloseTo(1, 3);
    expect(levels[levels.length - 1]).toBeCloseTo(0.5, 6);
    const steps = levels.slice(1).map((x, i) => Math.abs(x - levels[i]));
    expect(Math.max(...steps)).toBeLessThan((1.01 * 0.5) / (100 * QUANTUM));
    expect(levels[50 * QUANTUM]).toBeCloseTo(0.75, 2);
  });

  it("plays silence before its first block and after its last, and ignores a change of a voice it does not have", () => {
    const frames = QUANTUM * 40;
    const channels = voices(frames);
    const mix = new LiveMix(RATE, { sends: SENDS, trims: UNITY });
    mix.change({ voice: 7, gain: 0, seconds: 0 });
    mix.add(block(channels, QUANTUM * 10, QUANTUM * 20));
    const [left] = render(mix, frames);
    expect(peak(left, 0, QUANTUM * 10)).toBe(0);
    expect(peak(left, QUANTUM * 10, QUANTUM * 20)).toBeGreaterThan(0.1);
    // After it, the reverb's tail alone: far below the voices.
    expect(peak(left, QUANTUM * 30, frames)).toBeLessThan(0.1 * peak(left, QUANTUM * 10, QUANTUM * 20));
  });
});
