import { describe, expect, it } from "vitest";
import { sfc32 } from "../src/core/random.ts";
import { MODULATION_CENTRES, spectrumMatchedNoise, textureStatistics } from "../src/dsp/texture.ts";
import { textureDistance, textureDistances } from "../src/dsp/texture-distance.ts";

const RATE = 32000;
const SECONDS = 12;

/** Gaussian white noise, seeded. */
function noise(seed: number, gain = 1): Float32Array {
  const random = sfc32(seed);
  const x = new Float32Array(RATE * SECONDS);
  for (let i = 0; i < x.length; i++) {
    x[i] = gain * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  }
  return x;
}

/** Sparse clicks (about 15 a second, 3 ms decays) over a quiet hiss: a crackle. */
function crackle(seed: number): Float32Array {
  const x = noise(seed, 0.05);
  const random = sfc32(seed + 1000);
  for (let t = 0; ; ) {
    t += -Math.log(1 - random()) / 15;
    const at = Math.floor(t * RATE);
    if (at >= x.length) return x;
    const size = 1 + 4 * random();
    for (let j = 0; j < 200 && at + j < x.length; j++) x[at + j] += size * (2 * random() - 1) * Math.exp(-j / 100);
  }
}

/** White noise whose amplitude swings at `hz`. */
function modulated(seed: number, hz: number): Float32Array {
  const x = noise(seed);
  for (let i = 0; i < x.length; i++) x[i] *= 1 + 0.9 * Math.sin((2 * Math.PI * hz * i) / RATE);
  return x;
}

const bandsIn = (centres: Float64Array, lo: number, hi: number) =>
  Array.from(centres.keys()).filter((b) => centres[b] >= lo && centres[b] < hi);

describe("texture statistics", () => {
  const clicks = crackle(1);
  const clickStats = textureStatistics(clicks, RATE);
  const matched = textureStatistics(spectrumMatchedNoise(clicks, RATE, 1), RATE);

  it("spectrum-matched noise keeps the long-term spectrum", () => {
    for (let b = 0; b < clickStats.spectrum.length; b++) expect(Math.abs(clickStats.spectrum[b] - matched.spectrum[b])).toBeLessThan(0.5);
  });

  it("finds sparse clicks far more kurtotic than noise with their spectrum, band by band", () => {
    const high = bandsIn(clickStats.centres, 1000, 10000);
    expect(high.length).toBeGreaterThan(8);
    for (const b of high) {
      expect(clickStats.kurtosis[b]).toBeGreaterThan(3 * matched.kurtosis[b]);
      expect(matched.kurtosis[b]).toBeLessThan(4);
    }
    // A click lights every band at once; the noise's bands rise and fall apart.
    expect(clickStats.correlation[20][24]).toBeGreaterThan(0.5);
    expect(Math.abs(matched.correlation[20][24])).toBeLessThan(0.2);
  });

  it("puts a 4 Hz amplitude modulation in the 4 Hz modulation band", () => {
    const stats = textureStatistics(modulated(2, 4), RATE);
    const four = MODULATION_CENTRES.indexOf(4);
    for (const band of [5, 15, 25]) {
      const shares = Array.from(stats.modulation[band]);
      expect(shares.indexOf(Math.max(...shares))).toBe(four);
      expect(shares[four]).toBeGreaterThan(0.4);
    }
  });

  it("puts two noises of one texture nearer each other than either is to a crackle", () => {
    const a = textureStatistics(noise(3), RATE);
    const b = textureStatistics(noise(4), RATE);
    const near = textureDistance(a, b);
    expect(near).toBeLessThan(0.5 * textureDistance(a, clickStats));
    expect(near).toBeLessThan(0.5 * textureDistance(b, clickStats));
    // The crackle is far from its own spectrum-matched noise, though their spectra agree.
    expect(textureDistance(clickStats, matched)).toBeGreaterThan(3 * near);
    expect(textureDistances(clickStats, matched).spectrum).toBeLessThan(0.1);
  });

  it("measures a symmetric distance, zero for identical input, whatever the level", () => {
    const a = textureStatistics(noise(5), RATE);
    expect(textureDistance(a, clickStats)).toBe(textureDistance(clickStats, a));
    expect(textureDistance(a, textureStatistics(noise(5), RATE))).toBe(0);
    const louder = textureStatistics(
      Float32Array.from(clicks, (v) => 8 * v),
      RATE,
    );
    expect(textureDistance(clickStats, louder)).toBeLessThan(1e-6);
  });

  it("refuses a sample rate too low for the top band", () => {
    expect(() => textureStatistics(new Float32Array(16000 * 3), 16000)).toThrow(RangeError);
  });
});
