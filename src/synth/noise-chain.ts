/**
 * A noise stream through three biquad sections in one pass: what fillNoise
 * (noise.ts) and three Biquad.run (filters.ts) over one buffer give, to the
 * last bit, at a fraction of the cost for a texture that filters a long
 * stretch of noise each chunk. Each stage's output is rounded to 32 bits on
 * its way to the next, as a buffer between them would hold it; the sections'
 * states stay in locals rather than in memory between the stages.
 */
import { Biquad } from "./filters.ts";
import { noiseAt } from "./noise.ts";

/**
 * Frames filtered per call of a chain's loop. V8 optimises a function that is
 * called often; one called three times a chunk with a 50 000-frame loop ran,
 * in some processes, half in unoptimised code: twice as slow, and boxing every
 * sample (a megabyte of garbage a chunk).
 */
const STRETCH = 1024;

/** A biquad section's coefficients, normalised: b0, b1, b2, a1, a2. */
export type Section = readonly [number, number, number, number, number];

/** A lowpass or highpass section at `hz` (quality `q`), as filters.ts's Biquad designs it. */
export function section(type: "lowpass" | "highpass", hz: number, rate: number, q = Math.SQRT1_2): Section {
  return new Biquad(type, hz, rate, q).coefficients();
}

/**
 * Noise stream `key` through three sections, one after another, from rest:
 * `into` takes what leaves the second, `out` what leaves the third.
 */
export class Chain {
  into = new Float32Array(0);
  out = new Float32Array(0);
  private readonly coefficients: Float64Array;
  /** Each section's x1, x2, y1, y2, carried from stretch to stretch. */
  private readonly state = new Float64Array(12);

  constructor(
    private readonly key: number,
    sections: readonly [Section, Section, Section],
  ) {
    this.coefficients = Float64Array.from(sections.flat());
  }

  /** Makes room for `frames` frames. */
  size(frames: number): void {
    this.into = new Float32Array(frames);
    this.out = new Float32Array(frames);
  }

  /** Fills the buffers from story frame `startFrame`. */
  run(startFrame: number): void {
    this.state.fill(0);
    const { into, out, key, coefficients, state } = this;
    for (let from = 0; from < out.length; from += STRETCH)
      throughSections(into, out, key, startFrame, from, Math.min(out.length, from + STRETCH), coefficients, state);
  }
}

/** Frames [from, to) of a Chain (its buffers from story frame `startFrame`), its states carried in `state`. */
function throughSections(
  into: Float32Array,
  out: Float32Array,
  key: number,
  startFrame: number,
  from: number,
  to: number,
  c: Float64Array,
  state: Float64Array,
): void {
  // Indexed, not destructured: V8 allocates an iterator for an array destructured in optimised code.
  const p0 = c[0];
  const p1 = c[1];
  const p2 = c[2];
  const pa1 = c[3];
  const pa2 = c[4];
  const q0 = c[5];
  const q1 = c[6];
  const q2 = c[7];
  const qa1 = c[8];
  const qa2 = c[9];
  const r0 = c[10];
  const r1 = c[11];
  const r2 = c[12];
  const ra1 = c[13];
  const ra2 = c[14];
  let px1 = state[0];
  let px2 = state[1];
  let py1 = state[2];
  let py2 = state[3];
  let qx1 = state[4];
  let qx2 = state[5];
  let qy1 = state[6];
  let qy2 = state[7];
  let rx1 = state[8];
  let rx2 = state[9];
  let ry1 = state[10];
  let ry2 = state[11];
  for (let i = from; i < to; i++) {
    const x = Math.fround(noiseAt(key, startFrame + i));
    const py = p0 * x + p1 * px1 + p2 * px2 - pa1 * py1 - pa2 * py2;
    px2 = px1;
    px1 = x;
    py2 = py1;
    py1 = py;
    const qx = Math.fround(py);
    const qy = q0 * qx + q1 * qx1 + q2 * qx2 - qa1 * qy1 - qa2 * qy2;
    qx2 = qx1;
    qx1 = qx;
    qy2 = qy1;
    qy1 = qy;
    const rx = Math.fround(qy);
    const ry = r0 * rx + r1 * rx1 + r2 * rx2 - ra1 * ry1 - ra2 * ry2;
    rx2 = rx1;
    rx1 = rx;
    ry2 = ry1;
    ry1 = ry;
    into[i] = rx;
    out[i] = ry;
  }
  state[0] = px1;
  state[1] = px2;
  state[2] = py1;
  state[3] = py2;
  state[4] = qx1;
  state[5] = qx2;
  state[6] = qy1;
  state[7] = qy2;
  state[8] = rx1;
  state[9] = rx2;
  state[10] = ry1;
  state[11] = ry2;
}
