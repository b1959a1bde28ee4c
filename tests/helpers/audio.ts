/**
 * Checks on rendered audio for the sleep-safe tests, so they read like
 * sentences: `clicks(x, rate)` finds clicks, `repetition(…)` finds a stretch
 * that comes back, `rms(x, from, to)` measures level, `ebur128(file)` asks an
 * independent meter (ffmpeg) for the integrated loudness.
 */
import { spawn } from "node:child_process";
import { fft } from "../../src/dsp/fft.ts";

export { rms } from "./measure.ts";

/** Mean of a channel: its DC offset (full scale = 1). */
export function dc(x: Float32Array): number {
  let sum = 0;
  for (const v of x) sum += v;
  return sum / x.length;
}

export interface ClickOptions {
  /** How far above the local level a spike must stand, as a factor of its RMS. */
  ratio?: number;
  /** Half-width of the neighbourhood that sets the local level, in seconds. */
  around?: number;
  /** Spikes smaller than this (full scale = 1) are not heard as clicks. */
  floor?: number;
}

/**
 * Times (seconds) of clicks: samples where the second difference
 * (x[n] - 2x[n-1] + x[n-2], which a step or a kink in the waveform turns into a
 * spike) stands `ratio` times above its RMS over the neighbourhood around it,
 * not counting the few samples of the spike itself. Smooth sound of any
 * loudness (noise, tones, soft transients) stays far below that; a
 * discontinuity of a thousandth of full scale in quiet sound does not.
 * Clicks closer than 10 ms count once.
 */
export function clicks(x: Float32Array, sampleRate: number, options: ClickOptions = {}): number[] {
  const ratio = options.ratio ?? 12;
  const half = Math.round((options.around ?? 0.006) * sampleRate);
  const floor = options.floor ?? 2e-4;
  const gap = 4;
  const n = x.length;
  // Prefix sums of the squared second difference give any neighbourhood's energy at once.
  const energy = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const d2 = i >= 2 ? x[i] - 2 * x[i - 1] + x[i - 2] : 0;
    energy[i + 1] = energy[i] + d2 * d2;
  }
  const found: number[] = [];
  for (let i = 2; i < n; i++) {
    const d2 = Math.abs(x[i] - 2 * x[i - 1] + x[i - 2]);
    if (d2 < floor) continue;
    const lo = Math.max(2, i - half);
    const hi = Math.min(n, i + half + 1);
    const inner = energy[Math.min(n, i + gap + 1)] - energy[Math.max(0, i - gap)];
    const count = hi - lo - (Math.min(n, i + gap + 1) - Math.max(0, i - gap));
    const level = Math.sqrt(Math.max(0, energy[hi] - energy[lo] - inner) / Math.max(1, count));
    if (d2 > ratio * level) {
      const t = i / sampleRate;
      if (found.length === 0 || t - found[found.length - 1] > 0.01) found.push(t);
    }
  }
  return found;
}

/**
 * The band 200–1000 Hz of `x`, at a sixteenth of its sample rate: enough of
 * the sound to show any repetition, small enough for FFTs of minutes. Two
 * second-order sections each way (high-pass, then low-pass before
 * decimation), so the slow envelope stays out. What aliases is as repeatable
 * as the rest, so it hides no loop.
 */
export function loopBand(x: Float32Array, sampleRate: number): { signal: Float32Array; rate: number } {
  const factor = 16;
  const sections = [
    biquad("highpass", 200, sampleRate),
    biquad("highpass", 200, sampleRate),
    biquad("lowpass", 1000, sampleRate),
    biquad("lowpass", 1000, sampleRate),
  ];
  const signal = new Float32Array(Math.floor(x.length / factor));
  for (let i = 0; i < signal.length * factor; i++) {
    let v = x[i];
    for (const s of sections) v = s(v);
    if (i % factor === 0) signal[i / factor] = v;
  }
  return { signal, rate: sampleRate / factor };
}

/** A second-order Butterworth section (RBJ cookbook), as a one-sample filter. */
export function biquad(type: "lowpass" | "highpass", hz: number, sampleRate: number): (x: number) => number {
  const w = (2 * Math.PI * hz) / sampleRate;
  const alpha = Math.sin(w) / Math.SQRT2;
  const cos = Math.cos(w);
  const a0 = 1 + alpha;
  const b0 = (type === "lowpass" ? (1 - cos) / 2 : (1 + cos) / 2) / a0;
  const b1 = (type === "lowpass" ? 1 - cos : -(1 + cos)) / a0;
  const a1 = (-2 * cos) / a0;
  const a2 = (1 - alpha) / a0;
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  return (x) => {
    const y = b0 * x + b1 * x1 + b0 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    return y;
  };
}

/**
 * The part of `x` a short linear predictor cannot guess from the samples
 * before it (the LPC residual, refitted every `seconds`): steady tones (a held
 * chord, a melody's notes) are predictable and fall away, noise stays. A
 * chord that comes back is music; noise that comes back is a loop, and
 * whitening keeps the second and drops the first.
 */
export function whiten(x: Float32Array, rate: number, order = 24, seconds = 1): Float32Array {
  const frame = Math.round(seconds * rate);
  const out = new Float32Array(x.length);
  const r = new Float64Array(order + 1);
  const a = new Float64Array(order + 1);
  const previous = new Float64Array(order + 1);
  for (let start = 0; start < x.length; start += frame) {
    const end = Math.min(x.length, start + frame);
    const n = end - start;
    const windowed = new Float64Array(n);
    for (let i = 0; i < n; i++) windowed[i] = x[start + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / n));
    for (let k = 0; k <= order; k++) {
      let sum = 0;
      for (let i = k; i < n; i++) sum += windowed[i] * windowed[i - k];
      r[k] = sum;
    }
    a.fill(0);
    a[0] = 1;
    let error = r[0] * (1 + 1e-9);
    // Levinson–Durbin.
    for (let i = 1; i <= order && error > 0; i++) {
      let acc = r[i];
      for (let j = 1; j < i; j++) acc += a[j] * r[i - j];
      const k = -acc / error;
      previous.set(a);
      for (let j = 1; j < i; j++) a[j] = previous[j] + k * previous[i - j];
      a[i] = k;
      error *= 1 - k * k;
    }
    for (let i = start; i < end; i++) {
      let sum = x[i];
      for (let j = 1; j <= order && j <= i; j++) sum += a[j] * x[i - j];
      out[i] = sum;
    }
  }
  return out;
}

/**
 * Largest normalised autocorrelation of `x` at lags from `minLag` to
 * `maxLag` seconds (one zero-padded FFT, normalised by the overlap at each
 * lag): the whole signal compared with itself shifted. Near 1 at the period
 * of a loop that runs through it all.
 */
export function autocorrelation(x: Float32Array, rate: number, minLag: number, maxLag: number): { value: number; lag: number } {
  let n = 1;
  while (n < 2 * x.length) n <<= 1;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  re.set(x);
  fft(re, im);
  for (let k = 0; k < n; k++) {
    re[k] = re[k] * re[k] + im[k] * im[k];
    im[k] = 0;
  }
  // The power spectrum is real and even: its forward transform is the inverse, times n.
  fft(re, im);
  let best = { value: 0, lag: 0 };
  if (!(re[0] > 0)) return best;
  const last = Math.min(x.length - 1, Math.round(maxLag * rate));
  for (let lag = Math.max(1, Math.round(minLag * rate)); lag <= last; lag++) {
    const value = re[lag] / re[0] / ((x.length - lag) / x.length);
    if (value > best.value) best = { value, lag: lag / rate };
  }
  return best;
}

/**
 * The strongest repetition in `x`: every `block` seconds of it are compared
 * with what follows from `minLag` to `maxLag` seconds later, by normalised
 * cross-correlation (through FFTs). Near 1 where a stretch recurs, near 0 for
 * sound that never does. Finds a loop however short its period, and a
 * single stretch played again if it is as long as a block.
 */
export function repetition(
  x: Float32Array,
  rate: number,
  minLag: number,
  maxLag: number,
  block = 10,
): { value: number; at: number; lag: number } {
  const blockLength = Math.round(block * rate);
  let n = 1;
  while (n < x.length + blockLength) n <<= 1;
  const whole = { re: new Float64Array(n), im: new Float64Array(n) };
  whole.re.set(x);
  fft(whole.re, whole.im);
  // Energy of every window of a block's length, from prefix sums.
  const energy = new Float64Array(x.length + 1);
  for (let i = 0; i < x.length; i++) energy[i + 1] = energy[i] + x[i] * x[i];
  const windowEnergy = (from: number) => energy[Math.min(x.length, from + blockLength)] - energy[from];
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  let best = { value: 0, at: 0, lag: 0 };
  for (let start = 0; start + blockLength <= x.length; start += blockLength) {
    re.fill(0);
    im.fill(0);
    re.set(x.subarray(start, start + blockLength));
    fft(re, im);
    // Cross-spectrum conj(B)·X, inverted through the forward transform (conjugate in and out).
    for (let k = 0; k < n; k++) {
      const br = re[k];
      const bi = -im[k];
      re[k] = br * whole.re[k] - bi * whole.im[k];
      im[k] = -(br * whole.im[k] + bi * whole.re[k]);
    }
    fft(re, im);
    const own = windowEnergy(start);
    const first = start + Math.max(1, Math.round(minLag * rate));
    const last = Math.min(x.length - blockLength, start + Math.round(maxLag * rate));
    for (let shift = first; shift <= last; shift++) {
      const other = windowEnergy(shift);
      if (!(own > 0 && other > 0)) continue;
      const value = re[shift] / n / Math.sqrt(own * other);
      if (value > best.value) best = { value, at: start / rate, lag: (shift - start) / rate };
    }
  }
  return best;
}

/** Integrated loudness (LUFS) of a file by ffmpeg's ebur128 filter: an independent meter. */
export function ebur128(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ffmpeg = spawn("ffmpeg", ["-hide_banner", "-nostats", "-i", file, "-af", "ebur128", "-f", "null", "-"]);
    let log = "";
    ffmpeg.stderr.on("data", (chunk) => {
      log += chunk;
    });
    ffmpeg.on("error", reject);
    ffmpeg.on("close", () => {
      const summary = log.slice(log.lastIndexOf("Summary:"));
      const match = /I:\s+(-?[\d.]+) LUFS/.exec(summary);
      if (match) resolve(Number(match[1]));
      else reject(new Error(`ffmpeg printed no integrated loudness for ${file}:\n${log.slice(-500)}`));
    });
  });
}
