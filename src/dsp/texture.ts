/**
 * Sound-texture statistics after McDermott & Simoncelli, "Sound texture
 * perception via statistics of the auditory periphery" (Neuron 71, 2011):
 * what a listener uses to tell rain from fire from noise with the same
 * spectrum. `textureDistance` (texture-distance.ts) compares two sets.
 *
 *   signal → FFT → 30 half-cosine ERB bands (50 Hz–10 kHz) → Hilbert envelope
 *          → ^0.3 → low-pass 200 Hz, ≥ 400 Hz rate → moments, modulation, correlation
 *
 * The filterbank works in the frequency domain on one FFT of the whole signal
 * (zero-padded to a power of two): each band's bins, taken on the positive
 * side only (the analytic signal) and shifted down to 0 Hz, go through an
 * inverse FFT just large enough for the band's width, which gives its
 * Hilbert envelope already decimated, exactly (a whole-bin shift changes only
 * the phase). The envelopes are then compressed, low-passed and brought to one
 * common rate in the frequency domain. One long FFT plus small ones per band
 * cost about three transforms of the signal, far less than 30 time-domain
 * filters at the audio rate, and the band shapes are exact.
 *
 * The input is scaled to unit RMS first, so every statistic is independent of
 * the recording's level. Analysis needs a sample rate above 22.7 kHz
 * (the top band reaches 11.35 kHz).
 */
import { Random } from "../core/random.ts";
import { fft, nextPowerOfTwo } from "./fft.ts";

/** Number of cochlear bands. */
export const TEXTURE_BANDS = 30;
/** Centre of the lowest band, in Hz. */
export const LOWEST_BAND = 50;
/** Centre of the highest band, in Hz. */
export const HIGHEST_BAND = 10000;
/** Centres of the octave-wide modulation bands, in Hz. */
export const MODULATION_CENTRES: readonly number[] = [0.5, 1, 2, 4, 8, 16, 32, 64, 128];
/** Power applied to the envelopes, as the cochlea compresses. */
const COMPRESSION = 0.3;
/** The envelopes are low-passed flat to here and to nothing at ENVELOPE_CUTOFF (Hz). */
const ENVELOPE_PASS = 150;
const ENVELOPE_CUTOFF = 200;
/** Lowest envelope rate (Hz); the actual one is the first power-of-two decimation at or above it. */
const ENVELOPE_RATE = 400;
/** Seconds left out at each end, where the band filters ring in and out. */
const EDGE = 0.25;
/** Zeros (seconds) after the signal, so band filters ring out before the FFT wraps round. */
const PADDING = 0.5;
/** Width (Hz) over which spectrum-matched noise smooths the power spectrum. */
const MATCHED_SMOOTHING = 10;

/** The statistics of one sound. Per-band arrays hold TEXTURE_BANDS values, lowest band first. */
export interface TextureStatistics {
  /** Centre of each band, in Hz. */
  centres: Float64Array;
  /** Seconds analysed (the signal less EDGE at each end). */
  seconds: number;
  /** Rate of the envelopes the statistics were taken on, in Hz. */
  envelopeRate: number;
  /** Long-term power per band, in dB relative to the power of all bands. */
  spectrum: Float64Array;
  /** Mean of each compressed envelope (the input scaled to unit RMS). */
  mean: Float64Array;
  /** Variance / mean², per band. */
  cv: Float64Array;
  /** Skewness of each envelope. */
  skew: Float64Array;
  /** Kurtosis of each envelope (3 for a Gaussian; large when sparse: rare, tall peaks). */
  kurtosis: Float64Array;
  /** [band][octave]: share of the envelope's variance in each MODULATION_CENTRES band. */
  modulation: Float64Array[];
  /** [band][band]: correlation between the two bands' envelopes. */
  correlation: Float64Array[];
}

/** ERB-number (Glasberg & Moore) of a frequency in Hz. */
export function erbNumber(hz: number): number {
  return 21.4 * Math.log10(1 + 0.00437 * hz);
}

function erbToHz(erb: number): number {
  return (10 ** (erb / 21.4) - 1) / 0.00437;
}

interface Band {
  centre: number;
  /** First bin of the band in the signal's FFT. */
  first: number;
  /** Filter gain per bin from `first`. */
  weights: Float64Array;
}

/**
 * Half-cosine filters equally spaced on the ERB scale, each reaching the
 * centres of its neighbours: adjacent squared responses sum to one, so the
 * bands split the power between them without gaps.
 */
function bandLayout(size: number, sampleRate: number): Band[] {
  const low = erbNumber(LOWEST_BAND);
  const step = (erbNumber(HIGHEST_BAND) - low) / (TEXTURE_BANDS - 1);
  const binHz = sampleRate / size;
  const top = erbToHz(low + TEXTURE_BANDS * step);
  if (Math.floor(top / binHz) >= size / 2) {
    throw new RangeError(`texture analysis needs a sample rate above ${Math.ceil(2 * top)} Hz, got ${sampleRate}`);
  }
  const bands: Band[] = [];
  for (let b = 0; b < TEXTURE_BANDS; b++) {
    const centre = low + b * step;
    const first = Math.ceil(erbToHz(centre - step) / binHz);
    const last = Math.floor(erbToHz(centre + step) / binHz);
    const weights = new Float64Array(Math.max(0, last - first + 1));
    for (let k = first; k <= last; k++) {
      const x = (erbNumber(k * binHz) - centre) / step;
      weights[k - first] = Math.abs(x) < 1 ? Math.cos((Math.PI / 2) * x) : 0;
    }
    bands.push({ centre: erbToHz(centre), first, weights });
  }
  return bands;
}

/** The FFT of the signal, zero-padded to a power of two at least PADDING longer. */
function transform(samples: Float32Array, sampleRate: number): { re: Float64Array; im: Float64Array } {
  const size = nextPowerOfTwo(samples.length + Math.ceil(PADDING * sampleRate));
  const re = new Float64Array(size);
  re.set(samples);
  const im = new Float64Array(size);
  fft(re, im);
  return { re, im };
}

/**
 * One band's compressed envelope at the common envelope rate (`outSize`
 * samples over the padded signal's length). `scale` turns the unnormalised
 * inverse transform into the band's amplitude with the input at unit RMS;
 * `binHz` is the spacing of the signal's FFT bins.
 */
function bandEnvelope(
  spectrum: { re: Float64Array; im: Float64Array },
  band: Band,
  outSize: number,
  scale: number,
  binHz: number,
): Float64Array {
  const width = band.weights.length;
  const inner = Math.max(outSize, nextPowerOfTwo(2 * width));
  const re = new Float64Array(inner);
  const im = new Float64Array(inner);
  for (let i = 0; i < width; i++) {
    // Twice the positive side: the analytic signal, whose magnitude is the envelope.
    re[i] = 2 * band.weights[i] * spectrum.re[band.first + i];
    im[i] = 2 * band.weights[i] * spectrum.im[band.first + i];
  }
  fft(re, im, true);
  for (let n = 0; n < inner; n++) {
    re[n] = (Math.hypot(re[n], im[n]) * scale) ** COMPRESSION;
    im[n] = 0;
  }
  fft(re, im);
  // Whatever its rate, the envelope spans the padded signal's length, so its bins are binHz apart too.
  return lowpassDecimate(re, im, outSize, binHz);
}

/** Keeps an envelope's spectrum (bins `binHz` apart) below ENVELOPE_CUTOFF, at `outSize` samples. */
function lowpassDecimate(re: Float64Array, im: Float64Array, outSize: number, binHz: number): Float64Array {
  const inner = re.length;
  const outRe = new Float64Array(outSize);
  const outIm = new Float64Array(outSize);
  const last = Math.min(Math.floor(ENVELOPE_CUTOFF / binHz), outSize / 2 - 1);
  for (let k = 0; k <= last; k++) {
    const hz = k * binHz;
    const gain = hz <= ENVELOPE_PASS ? 1 : Math.cos(((Math.PI / 2) * (hz - ENVELOPE_PASS)) / (ENVELOPE_CUTOFF - ENVELOPE_PASS));
    outRe[k] = gain * re[k];
    outIm[k] = gain * im[k];
    if (k > 0) {
      outRe[outSize - k] = gain * re[inner - k];
      outIm[outSize - k] = gain * im[inner - k];
    }
  }
  fft(outRe, outIm, true);
  for (let n = 0; n < outSize; n++) outRe[n] /= inner;
  return outRe;
}

/** Mean, variance / mean², skewness and kurtosis of x[from, to). */
function moments(x: Float64Array, from: number, to: number): [number, number, number, number] {
  const n = to - from;
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i];
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = from; i < to; i++) {
    const d = x[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const tiny = 1e-30;
  return [mean, m2 / (mean * mean + tiny), m3 / (m2 ** 1.5 + tiny), m4 / (m2 * m2 + tiny)];
}

/**
 * Share of the envelope's variance in each octave modulation band: its
 * periodogram (mean removed, 10% cosine taper at each end) weighed by
 * half-cosine filters on a log-frequency axis, each reaching from half to
 * twice its centre, so adjacent squared responses again sum to one.
 */
function modulationShares(x: Float64Array, from: number, to: number, rate: number): Float64Array {
  const n = to - from;
  const size = nextPowerOfTwo(n);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  let mean = 0;
  for (let i = from; i < to; i++) mean += x[i];
  mean /= n;
  const taper = Math.max(1, Math.floor(n * 0.1));
  for (let i = 0; i < n; i++) {
    const edge = Math.min(i, n - 1 - i);
    const w = edge < taper ? 0.5 - 0.5 * Math.cos((Math.PI * edge) / taper) : 1;
    re[i] = (x[from + i] - mean) * w;
  }
  fft(re, im);
  const shares = new Float64Array(MODULATION_CENTRES.length);
  let total = 0;
  for (let k = 1; k <= size / 2; k++) {
    const power = re[k] * re[k] + im[k] * im[k];
    total += power;
    const octaves = Math.log2((k * rate) / size / MODULATION_CENTRES[0]);
    const j = Math.floor(octaves);
    // Between centres j and j + 1 the power is split cos² / sin².
    const w = Math.cos((Math.PI / 2) * (octaves - j)) ** 2;
    if (j >= 0 && j < shares.length) shares[j] += power * w;
    if (j + 1 >= 0 && j + 1 < shares.length) shares[j + 1] += power * (1 - w);
  }
  for (let j = 0; j < shares.length; j++) shares[j] /= total || 1;
  return shares;
}

/** Correlation matrix of the envelopes over [from, to). */
function correlations(envelopes: Float64Array[], from: number, to: number): Float64Array[] {
  const n = to - from;
  const standard = envelopes.map((x) => {
    const [mean, cv] = moments(x, from, to);
    const sd = Math.sqrt(cv) * mean || 1;
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) z[i] = (x[from + i] - mean) / sd;
    return z;
  });
  const matrix = envelopes.map(() => new Float64Array(envelopes.length));
  for (let a = 0; a < standard.length; a++) {
    matrix[a][a] = 1;
    for (let b = a + 1; b < standard.length; b++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += standard[a][i] * standard[b][i];
      matrix[a][b] = matrix[b][a] = sum / n;
    }
  }
  return matrix;
}

/**
 * The texture statistics of a mono signal (at least a few seconds; 30–60 s
 * gives stable modulation figures down to 0.5 Hz).
 * @throws RangeError if the sample rate cannot hold the top band, or the signal is shorter than 2 s.
 */
export function textureStatistics(samples: Float32Array, sampleRate: number): TextureStatistics {
  if (samples.length < 2 * sampleRate)
    throw new RangeError(`texture analysis needs at least 2 s of sound, got ${samples.length / sampleRate} s`);
  const spectrum = transform(samples, sampleRate);
  const size = spectrum.re.length;
  const binHz = sampleRate / size;
  const bands = bandLayout(size, sampleRate);
  const outSize = Math.min(size, nextPowerOfTwo(ENVELOPE_RATE / binHz));
  const envelopeRate = outSize * binHz;
  let energy = 0;
  for (let i = 0; i < samples.length; i++) energy += samples[i] * samples[i];
  const rms = Math.sqrt(energy / samples.length) || 1;
  const envelopes = bands.map((band) => bandEnvelope(spectrum, band, outSize, 1 / (size * rms), binHz));

  const powers = bands.map((band) => {
    let sum = 0;
    for (let i = 0; i < band.weights.length; i++) {
      const k = band.first + i;
      sum += band.weights[i] ** 2 * (spectrum.re[k] ** 2 + spectrum.im[k] ** 2);
    }
    return sum;
  });
  const total = powers.reduce((a, b) => a + b, 0);

  const from = Math.ceil(EDGE * envelopeRate);
  const to = Math.floor((samples.length / sampleRate - EDGE) * envelopeRate);
  const stats = bands.map((_, b) => moments(envelopes[b], from, to));
  const column = (i: number) => Float64Array.from(stats, (s) => s[i]);
  return {
    centres: Float64Array.from(bands, (band) => band.centre),
    seconds: (to - from) / envelopeRate,
    envelopeRate,
    spectrum: Float64Array.from(powers, (p) => 10 * Math.log10((p + 1e-30) / (total + 1e-30))),
    mean: column(0),
    cv: column(1),
    skew: column(2),
    kurtosis: column(3),
    modulation: envelopes.map((x) => modulationShares(x, from, to, envelopeRate)),
    correlation: correlations(envelopes, from, to),
  };
}

/**
 * Noise with the long-term spectrum of `samples` and nothing else: the power
 * spectrum, smoothed over MATCHED_SMOOTHING Hz (so a regular pulse train's
 * comb of lines does not come back as a waveform repeating at its period),
 * with seeded random phases, at the input's RMS and length. The baseline a
 * texture must beat: the same spectrum, none of the structure in time.
 */
export function spectrumMatchedNoise(samples: Float32Array, sampleRate: number, seed: string | number): Float32Array {
  const size = nextPowerOfTwo(samples.length);
  const re = new Float64Array(size);
  re.set(samples);
  const im = new Float64Array(size);
  fft(re, im);
  const half = size / 2;
  const power = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) power[k] = re[k] * re[k] + im[k] * im[k];
  const reach = Math.max(0, Math.round((MATCHED_SMOOTHING * size) / sampleRate / 2));
  // Prefix sums give each bin the mean power of its neighbourhood in O(1).
  const prefix = new Float64Array(half + 2);
  for (let k = 0; k <= half; k++) prefix[k + 1] = prefix[k] + power[k];
  const random = Random.fromSeed(seed).fork("spectrum-matched-noise").stream(0);
  re.fill(0);
  im.fill(0);
  for (let k = 1; k <= half; k++) {
    const lo = Math.max(1, k - reach);
    const hi = Math.min(half, k + reach);
    const amplitude = Math.sqrt((prefix[hi + 1] - prefix[lo]) / (hi - lo + 1));
    const phase = 2 * Math.PI * random();
    re[k] = amplitude * Math.cos(phase);
    im[k] = k === half ? 0 : amplitude * Math.sin(phase);
    if (k < half) {
      re[size - k] = re[k];
      im[size - k] = -im[k];
    }
  }
  fft(re, im, true);
  let target = 0;
  let made = 0;
  for (let i = 0; i < samples.length; i++) {
    target += samples[i] * samples[i];
    made += re[i] * re[i];
  }
  const gain = made > 0 ? Math.sqrt(target / made) : 0;
  return Float32Array.from(re.subarray(0, samples.length), (v) => v * gain);
}
