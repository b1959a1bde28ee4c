/**
 * Periodic tones drawn from wave tables, with the phase a 32-bit integer
 * (a whole cycle is 2^32): the phase at any frame is `start + frames × step`
 * wrapped, exactly, whatever stretch of frames is drawn, so a note or a
 * chord cut into chunks joins bit for bit. A tone through a fixed filter is
 * a periodic wave too: its harmonics scaled and turned by the filter's
 * response at their frequencies ({@link lowpassResponse}).
 */

/** Points per cycle of a wave table (2^WAVE_BITS), plus a guard point. */
export const WAVE_BITS = 10;
export const WAVE_SIZE = 1 << WAVE_BITS;
/** Right shift from a phase to its table index, the mask of what remains, and its scale (to 0–1). */
export const INDEX_SHIFT = 32 - WAVE_BITS;
export const FRACTION_MASK = (1 << INDEX_SHIFT) - 1;
export const FRACTION = 1 / (1 << INDEX_SHIFT);

const SINE = Float64Array.from({ length: WAVE_SIZE }, (_, i) => Math.sin((2 * Math.PI * i) / WAVE_SIZE));

/** Phase step per frame of a tone of `hz` at `rate` frames a second, as a 32-bit integer. */
export function phaseStep(hz: number, rate: number): number {
  return Math.round(((hz / rate) % 1) * 2 ** 32) | 0;
}

/** The integer phase of `cycles` (any real number of cycles). */
export function phaseOf(cycles: number): number {
  return Math.round((cycles - Math.floor(cycles)) * 2 ** 32) | 0;
}

/** Peak of one cycle of harmonics of relative amplitudes `amplitudes` (sine phase): to normalise a wave to 1. */
export function wavePeak(amplitudes: readonly number[]): number {
  let peak = 0;
  for (let i = 0; i < WAVE_SIZE; i++) {
    let sample = 0;
    amplitudes.forEach((a, j) => {
      sample += a * SINE[((j + 1) * i) % WAVE_SIZE];
    });
    peak = Math.max(peak, Math.abs(sample));
  }
  return peak;
}

/**
 * One cycle of harmonics: harmonic n (from 1) has amplitude `gains[n-1]` and
 * phase `phases[n-1]` (radians), sin(n·x + phase). Written every `stride`
 * entries from `offset` (two waves interleave with stride 2), the first
 * point repeated after the last for interpolation.
 */
export function drawWave(gains: readonly number[], phases: readonly number[], into: Float32Array, offset = 0, stride = 1): Float32Array {
  const [cos, sin] = [phases.map(Math.cos), phases.map(Math.sin)];
  for (let i = 0; i <= WAVE_SIZE; i++) {
    let sample = 0;
    for (let j = 0; j < gains.length; j++) {
      const at = ((j + 1) * i) % WAVE_SIZE;
      sample += gains[j] * (SINE[at] * cos[j] + SINE[(at + WAVE_SIZE / 4) % WAVE_SIZE] * sin[j]);
    }
    into[offset + i * stride] = sample;
  }
  return into;
}

/** The response (re, im) at `hz` of the engine's lowpass biquad at `cutoff` Hz (RBJ, Butterworth), at `rate`. */
export function lowpassResponse(cutoff: number, rate: number): (hz: number) => [number, number] {
  const w0 = (2 * Math.PI * cutoff) / rate;
  const alpha = Math.sin(w0) / (2 * Math.SQRT1_2);
  const cos = Math.cos(w0);
  const b = [(1 - cos) / 2, 1 - cos, (1 - cos) / 2];
  const a = [1 + alpha, -2 * cos, 1 - alpha];
  return (hz) => {
    const w = (2 * Math.PI * hz) / rate;
    const re = (c: number[]) => c[0] + c[1] * Math.cos(w) + c[2] * Math.cos(2 * w);
    const im = (c: number[]) => -c[1] * Math.sin(w) - c[2] * Math.sin(2 * w);
    const [nr, ni, dr, di] = [re(b), im(b), re(a), im(a)];
    const d = dr * dr + di * di;
    return [(nr * dr + ni * di) / d, (ni * dr - nr * di) / d];
  };
}

/** Adds the tone of `wave` into out[from, to), its phase `phase` at `from`. */
export function addTone(wave: Float32Array, phase: number, step: number, out: Float32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const k = phase >>> INDEX_SHIFT;
    const a = wave[k];
    out[i] += a + (wave[k + 1] - a) * (phase & FRACTION_MASK) * FRACTION;
    phase = (phase + step) | 0;
  }
}

/** Adds the two tones of interleaved `waves` (one phase) into first[from, to) and second[from, to). */
export function addTonePair(
  waves: Float32Array,
  phase: number,
  step: number,
  first: Float32Array,
  second: Float32Array,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const k = (phase >>> INDEX_SHIFT) << 1;
    const f = (phase & FRACTION_MASK) * FRACTION;
    const a = waves[k];
    const b = waves[k + 1];
    first[i] += a + (waves[k + 2] - a) * f;
    second[i] += b + (waves[k + 3] - b) * f;
    phase = (phase + step) | 0;
  }
}

/**
 * A piecewise-linear curve of (time, value) points at the `count` frames
 * from frame `first`, a frame every `dt` seconds (0 outside the points),
 * written into out[0, count) (a chunk's scratch, or a new array).
 */
export function segments(
  points: readonly (readonly [number, number])[],
  first: number,
  dt: number,
  count: number,
  out: Float32Array = new Float32Array(count),
): Float32Array {
  out.fill(0, 0, count);
  for (let k = 0; k + 1 < points.length; k++) {
    const [ta, va] = points[k];
    const [tb, vb] = points[k + 1];
    const from = Math.max(0, Math.ceil(ta / dt) - first);
    const to = Math.min(count, Math.ceil(tb / dt) - first);
    const slope = tb > ta ? (vb - va) / (tb - ta) : 0;
    for (let i = from; i < to; i++) out[i] = va + slope * ((first + i) * dt - ta);
  }
  return out;
}
