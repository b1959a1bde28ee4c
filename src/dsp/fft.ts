/**
 * An in-place radix-2 complex FFT over split real and imaginary arrays, for
 * analysis (the texture statistics): plain TypeScript, no audio graph.
 */

const twiddles = new Map<number, { cos: Float64Array; sin: Float64Array }>();

/** cos and sin of 2πk/size for k < size/2, computed once per size. */
function twiddlesFor(size: number): { cos: Float64Array; sin: Float64Array } {
  let table = twiddles.get(size);
  if (!table) {
    const half = size >> 1;
    table = { cos: new Float64Array(half), sin: new Float64Array(half) };
    for (let k = 0; k < half; k++) {
      table.cos[k] = Math.cos((2 * Math.PI * k) / size);
      table.sin[k] = Math.sin((2 * Math.PI * k) / size);
    }
    twiddles.set(size, table);
  }
  return table;
}

/** Smallest power of two ≥ n (and ≥ 1). */
export function nextPowerOfTwo(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}

/**
 * Transforms (re, im) in place: X[k] = Σ x[n] e^(∓2πi kn/N), the minus sign
 * forward, the plus sign for `inverse` (unnormalised both ways: an inverse
 * after a forward multiplies by N). The length must be a power of two.
 */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (n !== im.length || (n & (n - 1)) !== 0) throw new RangeError(`FFT size must be a power of two, got ${n}`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i];
      re[i] = re[j];
      re[j] = tr;
      const ti = im[i];
      im[i] = im[j];
      im[j] = ti;
    }
  }
  const { cos, sin } = twiddlesFor(n);
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len;
    for (let start = 0; start < n; start += len) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step];
        const wi = sign * sin[k * step];
        const a = start + k;
        const b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}
