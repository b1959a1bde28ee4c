/**
 * Measurements of a voice's character on rendered audio: a band of it, its
 * envelope, how peaky that envelope is, how its spectrum tilts, how its
 * envelope lines up with another's.
 */
import { biquad as section } from "./audio.ts";
import { powerSpectrum } from "./measure.ts";

/** The part of `x` between `lo` and `hi` Hz (two Butterworth sections each side, 24 dB per octave); 0 leaves that side open. */
export function band(x: Float32Array, sampleRate: number, lo: number, hi: number): Float32Array {
  const sections = [
    ...(lo > 0 ? [section("highpass", lo, sampleRate), section("highpass", lo, sampleRate)] : []),
    ...(hi > 0 ? [section("lowpass", hi, sampleRate), section("lowpass", hi, sampleRate)] : []),
  ];
  return x.map((v) => sections.reduce((y, s) => s(y), v));
}

/** RMS of each consecutive frame of `seconds`: the envelope, sampled at 1/seconds Hz. */
export function envelope(x: Float32Array, sampleRate: number, seconds: number): Float32Array {
  const frame = Math.round(seconds * sampleRate);
  const out = new Float32Array(Math.floor(x.length / frame));
  for (let f = 0; f < out.length; f++) {
    let sum = 0;
    for (let i = f * frame; i < (f + 1) * frame; i++) sum += x[i] * x[i];
    out[f] = Math.sqrt(sum / frame);
  }
  return out;
}

/** `x` less its mean, so that correlations see only its motion. */
export function centred(x: Float32Array): Float32Array {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  return x.map((v) => v - mean);
}

/** Kurtosis (the fourth standardised moment): 3 for Gaussian values, far more for rare tall peaks over a floor. */
export function kurtosis(x: Float32Array): number {
  const c = centred(x);
  let m2 = 0;
  let m4 = 0;
  for (const v of c) {
    m2 += v * v;
    m4 += v * v * v * v;
  }
  return m4 / c.length / (m2 / c.length) ** 2;
}

/**
 * How the spectrum tilts between `lo` and `hi` Hz, in dB per octave: the
 * least-squares slope of the power in bands a third of an octave wide against
 * their centres' octaves (white noise 0, pink -3, brown -6).
 */
export function spectralSlope(x: Float32Array, sampleRate: number, lo: number, hi: number, size = 16384): number {
  const power = powerSpectrum(x, size);
  const points: [number, number][] = [];
  for (let f = lo; f * 2 ** (1 / 3) <= hi; f *= 2 ** (1 / 3)) {
    let sum = 0;
    let bins = 0;
    for (let k = Math.ceil((f * size) / sampleRate); (k * sampleRate) / size < f * 2 ** (1 / 3); k++) {
      sum += power[k];
      bins++;
    }
    // Mean power per bin (a density), so wider bands at the top do not tilt the line.
    points.push([Math.log2(f * 2 ** (1 / 6)), 10 * Math.log10(sum / bins)]);
  }
  const mx = points.reduce((a, [o]) => a + o, 0) / points.length;
  const my = points.reduce((a, [, d]) => a + d, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const [o, d] of points) {
    num += (o - mx) * (d - my);
    den += (o - mx) ** 2;
  }
  return num / den;
}

/**
 * The lag (in frames, from -maxLag to maxLag) at which `b` best matches `a`
 * by normalised cross-correlation, and that correlation: a positive lag means
 * b follows a.
 */
export function bestLag(a: Float32Array, b: Float32Array, maxLag: number): { lag: number; value: number } {
  const [x, y] = [centred(a), centred(b)];
  let best = { lag: 0, value: -Infinity };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let sum = 0;
    let xx = 0;
    let yy = 0;
    for (let i = Math.max(0, -lag); i < x.length && i + lag < y.length; i++) {
      sum += x[i] * y[i + lag];
      xx += x[i] * x[i];
      yy += y[i + lag] * y[i + lag];
    }
    const value = sum / Math.sqrt(xx * yy);
    if (value > best.value) best = { lag, value };
  }
  return best;
}

/**
 * The frequency between `lo` and `hi` Hz (in steps of `step`) at which `x`,
 * sampled at `rate`, has the most power: the rate of its slowest regular
 * motion when `x` is an envelope.
 */
export function dominantFrequency(x: Float32Array, rate: number, lo: number, hi: number, step = 0.002): number {
  const c = centred(x);
  let best = { hz: lo, power: -1 };
  for (let hz = lo; hz <= hi; hz += step) {
    let re = 0;
    let im = 0;
    c.forEach((v, i) => {
      re += v * Math.cos((2 * Math.PI * hz * i) / rate);
      im -= v * Math.sin((2 * Math.PI * hz * i) / rate);
    });
    if (re * re + im * im > best.power) best = { hz, power: re * re + im * im };
  }
  return best.hz;
}

/** Ones at the frames (of `seconds`, from `from`) where the given times fall, zeros elsewhere. */
export function impulses(times: readonly number[], from: number, seconds: number, frames: number): Float32Array {
  const out = new Float32Array(frames);
  for (const t of times) {
    const frame = Math.floor((t - from) / seconds);
    if (frame >= 0 && frame < frames) out[frame] = 1;
  }
  return out;
}
