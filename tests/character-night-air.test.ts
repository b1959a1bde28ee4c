/**
 * The night air: a quiet, low wind under a chorus of crickets, each chirping
 * in pulses about 30 a second on a carrier of 4–5 kHz (Farnell), over the
 * steady shimmer of the far ones; density is how many sing. Heard alone
 * through the product's own engine.
 */
import { describe, expect, it } from "vitest";
import { Random } from "../src/core/random.ts";
import { smoothNoise } from "../src/score/modulation.ts";
import { SmoothNoise } from "../src/synth/insect-chorus.ts";
import { band, centred, envelope } from "./helpers/character.ts";
import { bandShare, rms } from "./helpers/measure.ts";
import { soloPreset } from "./helpers/presets.ts";
import { plan, RATE, render } from "./helpers/render.ts";

const night = (density: number) => render(plan(soloPreset("nightAir", { level: 0.7, density, brightness: 0.5, rate: 0.5 }, 60)), 20, 20);

/** Power of `x` (sampled at `rate`) at `hz`, by one term of a Fourier transform. */
function powerAt(x: Float32Array, rate: number, hz: number): number {
  let re = 0;
  let im = 0;
  x.forEach((v, i) => {
    re += v * Math.cos((2 * Math.PI * hz * i) / rate);
    im -= v * Math.sin((2 * Math.PI * hz * i) / rate);
  });
  return re * re + im * im;
}

/** Energy of the insects' band, 4–5.4 kHz. */
const insects = (x: Float32Array) => bandShare(x, RATE, 4000, 5400, 8192) * rms(x) ** 2;

describe("the night air", () => {
  const quiet = night(0);
  const some = night(0.5);
  const full = night(1);

  it("pulses at the crickets' pulse rate: the 4–5.4 kHz envelope's modulation peaks between 27 and 33 Hz", async () => {
    const [left] = await some;
    // The envelope in 2.5 ms frames (400 Hz), its modulation spectrum from 5 to 80 Hz in 0.25 Hz steps.
    const frames = centred(envelope(band(left, RATE, 4000, 5400), RATE, 0.0025));
    const spectrum: [number, number][] = [];
    for (let hz = 5; hz <= 80; hz += 0.25) spectrum.push([hz, powerAt(frames, 400, hz)]);
    const [peakHz] = spectrum.reduce((best, p) => (p[1] > best[1] ? p : best));
    expect(peakHz).toBeGreaterThanOrEqual(27);
    expect(peakHz).toBeLessThanOrEqual(33);
    // And it stands well above the modulation an octave either side.
    const mean = (lo: number, hi: number) => {
      const inBand = spectrum.filter(([hz]) => hz >= lo && hz <= hi);
      return inBand.reduce((a, [, p]) => a + p, 0) / inBand.length;
    };
    expect(mean(27, 33)).toBeGreaterThan(4 * mean(10, 16));
    expect(mean(27, 33)).toBeGreaterThan(4 * mean(50, 70));
  });

  it("sings louder in the insects' band the more crickets there are, and not at all at density 0", async () => {
    const [none, half, all] = await Promise.all([quiet, some, full]);
    expect(insects(half[0])).toBeGreaterThan(30 * insects(none[0]));
    expect(insects(all[0])).toBeGreaterThan(1.3 * insects(half[0]));
  });

  it("is quiet air without the crickets: low, soft, far below the chorus", async () => {
    const [none, , all] = await Promise.all([quiet, some, full]);
    expect(bandShare(none[0], RATE, 0, 2000)).toBeGreaterThan(0.8);
    // In plain RMS, which counts the low air's power as the ear does not: some 6 dB down.
    expect(rms(none[0])).toBeLessThan(0.5 * rms(all[0]));
  });

  it("moves its wind and its far chorus by the score's smooth noise, value for value (its knots remembered)", () => {
    const rng = Random.fromSeed(7).fork("wind-slow");
    const noise = new SmoothNoise(rng, 18);
    // Forward in 64-frame steps as a chunk reads it, then back and far off, where the knots change.
    for (let frame = 0; frame < 48000 * 40; frame += 64 * 37) expect(noise.at(frame / 48000)).toBe(smoothNoise(rng, frame / 48000, 18));
    for (const t of [3.5, 0.25, 1234.5, -2, 17.9]) expect(noise.at(t)).toBe(smoothNoise(rng, t, 18));
  });
});
