/**
 * Test signals for the loudness meter, generated in code: EBU Tech 3341/3342
 * style sine sequences and seeded pink noise.
 */
import { LoudnessMeter } from "../../src/dsp/meter.ts";
import type { LoudnessResult } from "../../src/dsp/meter.ts";
import { Random } from "../../src/core/random.ts";
import { dbToGain } from "../../src/core/units.ts";

/** Amplitude (peak, full scale = 1) of a level in dBFS. */
export function dbfs(level: number): number {
  return dbToGain(level);
}

/** A stretch of a sine sequence: `seconds` long at `level` dBFS peak. */
export interface Segment {
  seconds: number;
  level: number;
}

/**
 * A sine whose level steps through `segments`. The phase runs on across
 * segment boundaries, as in the EBU test files, so steps add no clicks.
 */
export function sineSequence(sampleRate: number, frequency: number, segments: readonly Segment[], phase = 0): Float32Array {
  const total = segments.reduce((n, s) => n + Math.round(s.seconds * sampleRate), 0);
  const out = new Float32Array(total);
  let i = 0;
  for (const segment of segments) {
    const amplitude = dbfs(segment.level);
    const end = i + Math.round(segment.seconds * sampleRate);
    for (; i < end; i++) out[i] = amplitude * Math.sin(phase + (2 * Math.PI * frequency * i) / sampleRate);
  }
  return out;
}

/** A constant-level sine. */
export function sine(sampleRate: number, frequency: number, level: number, seconds: number, phase = 0): Float32Array {
  return sineSequence(sampleRate, frequency, [{ seconds, level }], phase);
}

/** The same signal on both channels, as in the Tech 3341 stereo cases. */
export function stereo(signal: Float32Array): Float32Array[] {
  return [signal, signal];
}

/** `repeats` copies of a sequence, end to end. */
export function repeat(segments: readonly Segment[], repeats: number): Segment[] {
  return Array.from({ length: repeats }, () => segments).flat();
}

/**
 * Seeded pink-ish noise (Paul Kellet's "economy" filter on white noise),
 * roughly ±1 before `gain`. The same seed always gives the same samples.
 */
export function pinkNoise(sampleRate: number, seconds: number, seed: string, gain = 1): Float32Array {
  const next = Random.fromSeed(seed).stream(0);
  const out = new Float32Array(Math.round(seconds * sampleRate));
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  for (let i = 0; i < out.length; i++) {
    const white = 2 * next() - 1;
    b0 = 0.99765 * b0 + white * 0.099046;
    b1 = 0.963 * b1 + white * 0.2965164;
    b2 = 0.57 * b2 + white * 1.0526913;
    out[i] = gain * 0.25 * (b0 + b1 + b2 + white * 0.1848);
  }
  return out;
}

/** Multiplies a signal in place by levels (dB) held for `seconds` each, cycling. */
export function stepGain(signal: Float32Array, sampleRate: number, seconds: number, levels: readonly number[]): Float32Array {
  const stepLength = Math.round(seconds * sampleRate);
  for (let i = 0; i < signal.length; i++) {
    signal[i] *= dbfs(levels[Math.floor(i / stepLength) % levels.length]);
  }
  return signal;
}

/** Feeds `channels` to `meter` in blocks of `blockSize` samples (the last may be short). */
export function pushInBlocks(meter: LoudnessMeter, channels: readonly Float32Array[], blockSize: number): void {
  const length = channels[0].length;
  for (let start = 0; start < length; start += blockSize) {
    const end = Math.min(length, start + blockSize);
    meter.push(channels.map((channel) => channel.subarray(start, end)));
  }
}

/** Meters a whole signal and returns the result with the short-term series. */
export function measure(
  channels: readonly Float32Array[],
  sampleRate: number,
  blockSize = 4096,
): LoudnessResult & { shortTerm: Float32Array } {
  const meter = new LoudnessMeter(sampleRate, channels.length);
  pushInBlocks(meter, channels, blockSize);
  return { ...meter.result(), shortTerm: meter.shortTermSeries() };
}
