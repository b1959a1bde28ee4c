/**
 * Measurements on rendered audio, so render tests read like sentences:
 * `expect(rms(left)).toBeGreaterThan(…)`, `expect(bandShare(x, sr, 0, 500)).…`.
 */
import { fft } from "../../src/dsp/fft.ts";

/** Root mean square of samples [from, to). */
export function rms(x: Float32Array, from = 0, to = x.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i] * x[i];
  return Math.sqrt(sum / Math.max(1, to - from));
}

/** RMS over `seconds` around time `t`. */
export function rmsAt(x: Float32Array, sampleRate: number, t: number, seconds = 0.5): number {
  const half = Math.round((seconds * sampleRate) / 2);
  const centre = Math.round(t * sampleRate);
  return rms(x, Math.max(0, centre - half), Math.min(x.length, centre + half));
}

export function peak(x: Float32Array): number {
  let max = 0;
  for (const v of x) max = Math.max(max, Math.abs(v));
  return max;
}

export function mean(x: Float32Array): number {
  let sum = 0;
  for (const v of x) sum += v;
  return sum / x.length;
}

export function hasNaN(x: Float32Array): boolean {
  for (const v of x) if (!Number.isFinite(v)) return true;
  return false;
}

export function isSilent(x: Float32Array, threshold = 1e-5): boolean {
  return peak(x) < threshold;
}

export function toDb(ratio: number): number {
  return 20 * Math.log10(ratio);
}

/** Averaged power spectrum (Hann windows of `size` samples); bin k is k·sampleRate/size Hz. */
export function powerSpectrum(x: Float32Array, size = 4096): Float64Array {
  const power = new Float64Array(size / 2);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  let frames = 0;
  for (let start = 0; start + size <= x.length; start += size / 2) {
    for (let i = 0; i < size; i++) {
      re[i] = x[start + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size));
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 0; k < size / 2; k++) power[k] += re[k] * re[k] + im[k] * im[k];
    frames++;
  }
  return power.map((p) => p / Math.max(1, frames));
}

/** Share (0–1) of the signal's power between `lo` and `hi` Hz. */
export function bandShare(x: Float32Array, sampleRate: number, lo: number, hi: number, size = 4096): number {
  const power = powerSpectrum(x, size);
  let band = 0;
  let total = 0;
  power.forEach((p, k) => {
    const hz = (k * sampleRate) / size;
    total += p;
    if (hz >= lo && hz < hi) band += p;
  });
  return total > 0 ? band / total : 0;
}

/** One-pole high-pass (first difference, leaky), removing the slow envelope before loop checks. */
export function highpass(x: Float32Array, sampleRate: number, hz = 200): Float32Array {
  const a = Math.exp((-2 * Math.PI * hz) / sampleRate);
  const y = new Float32Array(x.length);
  let prevX = 0;
  let prevY = 0;
  for (let i = 0; i < x.length; i++) {
    prevY = a * (prevY + x[i] - prevX);
    prevX = x[i];
    y[i] = prevY;
  }
  return y;
}
