/**
 * Coloured noise for drifting off, as a texture: a deep brown rumble, a soft
 * pink hush or an airy one, crossfaded by brightness, breathing slowly (the
 * breath, its rate and depth are in the score's controls: level and
 * brightness rise and fall like a sleeper's breathing).
 *
 *   noise A ─┬→ leaky integrator (brown) → highpass 28 Hz ──────────→ × brown ─┐
 *            └→ pinking filter (-3 dB/octave) → highpass 450 Hz → × air ─┼→ out (each channel its own noise)
 *   noise B ──→ pinking filter ─────────────────────────────→ × pink ───┘
 *
 * Neighbouring colours come from independent noise, so a crossfade between
 * them adds energies, as the loudness model assumes. Only the two colours a
 * chunk's brightness reaches are computed.
 */
import { Biquad, warmFrames } from "./filters.ts";
import { ControlCurves, levelToGain, type Texture, type TextureContext } from "./texture.ts";

export interface DriftNoiseOptions {
  /** Corner of the brown noise's integrator, in Hz (below it the spectrum is flat). */
  brownHz: number;
  /** Cut-off under the brown noise, in Hz: lower is felt, not heard. */
  floorHz: number;
  /** Low edge of the airy colour, in Hz. */
  airHz: number;
  /** Gains that make the three colours equally loud at level 1. */
  balance: [number, number, number];
}

export const DRIFT_NOISE_DEFAULTS: DriftNoiseOptions = {
  brownHz: 30,
  floorHz: 28,
  airHz: 450,
  balance: [4.2, 1.1, 1.23],
};

/**
 * Paul Kellet's and Julius O. Smith's pinking filter (three poles and zeros):
 * within ±0.5 dB of -3 dB per octave across the audio band at 44.1 kHz
 * (shifted by under a tenth of an octave at 48 kHz).
 */
const PINK_B = [0.049922035, -0.095993537, 0.050612699, -0.004408786];
const PINK_A = [1, -2.494956002, 2.017265875, -0.5221894];

/** Weights of brown, pink and airy for a brightness 0–1: equal-power steps brown → pink → air. */
export function colourWeights(brightness: number): [number, number, number] {
  return [colourWeight(brightness, 0), colourWeight(brightness, 1), colourWeight(brightness, 2)];
}

/** The weight of one colour (0 brown, 1 pink, 2 air) at a brightness 0–1 (see colourWeights). */
function colourWeight(brightness: number, colour: number): number {
  const b = Math.min(1, Math.max(0, brightness));
  if (b <= 0.5) {
    const x = (b / 0.5) * (Math.PI / 2);
    return colour === 0 ? Math.cos(x) : colour === 1 ? Math.sin(x) : 0;
  }
  const x = ((b - 0.5) / 0.5) * (Math.PI / 2);
  return colour === 0 ? 0 : colour === 1 ? Math.cos(x) : Math.sin(x);
}

/** Frames between the points where the controls are read; the gains ramp linearly between them. */
const BLOCK = 128;

/** The filters' state, carried from frame to frame within a stretch (reset before each). */
class Hush {
  private readonly a: number;
  private readonly floor: [number, number, number, number, number];
  private readonly air: [number, number, number, number, number];
  private brown = 0;
  // The floor's and the air's biquads (x1, x2, y1, y2) and the two pinking filters' (three of each).
  private fx1 = 0;
  private fx2 = 0;
  private fy1 = 0;
  private fy2 = 0;
  private ax1 = 0;
  private ax2 = 0;
  private ay1 = 0;
  private ay2 = 0;
  private px1 = 0;
  private px2 = 0;
  private px3 = 0;
  private py1 = 0;
  private py2 = 0;
  private py3 = 0;
  private qx1 = 0;
  private qx2 = 0;
  private qx3 = 0;
  private qy1 = 0;
  private qy2 = 0;
  private qy3 = 0;

  constructor(
    o: DriftNoiseOptions,
    rate: number,
    private readonly key: number,
  ) {
    this.a = Math.exp((-2 * Math.PI * o.brownHz) / rate);
    this.floor = new Biquad("highpass", o.floorHz, rate).coefficients();
    this.air = new Biquad("highpass", o.airHz, rate).coefficients();
  }

  /** Back to rest. */
  reset(): void {
    this.brown = this.fx1 = this.fx2 = this.fy1 = this.fy2 = this.ax1 = this.ax2 = this.ay1 = this.ay2 = 0;
    this.px1 = this.px2 = this.px3 = this.py1 = this.py2 = this.py3 = 0;
    this.qx1 = this.qx2 = this.qx3 = this.qy1 = this.qy2 = this.qy3 = 0;
  }

  /**
   * Runs the colours over story frames [frame, frame + n), each at its gain
   * ramped from `g0` to `g1` (brown, pink, air) over the block, and adds the
   * frames from `skip` on into `left` and `right` from index `at`.
   */
  block(
    left: Float32Array,
    right: Float32Array,
    at: number,
    skip: number,
    n: number,
    frame: number,
    g0: Float64Array,
    g1: Float64Array,
  ): void {
    const a = this.a;
    const [b0, b1, b2, b3] = PINK_B;
    const [, a1, a2, a3] = PINK_A;
    const [f0, f1, f2, f3, f4] = this.floor;
    const [e0, e1, e2, e3, e4] = this.air;
    const dB = (g1[0] - g0[0]) / BLOCK;
    const dP = (g1[1] - g0[1]) / BLOCK;
    const dA = (g1[2] - g0[2]) / BLOCK;
    const useB = g0[0] > 0 || g1[0] > 0;
    const useP = g0[1] > 0 || g1[1] > 0;
    const useA = g0[2] > 0 || g1[2] > 0;
    let { brown, fx1, fx2, fy1, fy2, ax1, ax2, ay1, ay2, px1, px2, px3, py1, py2, py3, qx1, qx2, qx3, qy1, qy2, qy3 } = this;
    const offset = frame % BLOCK;
    for (let i = 0; i < n; i++) {
      let h = Math.imul((frame + i) | 0, 0x9e3779b1) ^ this.key;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      // Two 16-bit streams to a hash: A (brown, air) and B (pink).
      const xa = ((h << 16) >> 16) * 3.0517578125e-5;
      const xb = (h >> 16) * 3.0517578125e-5;
      const m = offset + i;
      let v = 0;
      if (useP) {
        const y = b0 * xb + b1 * px1 + b2 * px2 + b3 * px3 - a1 * py1 - a2 * py2 - a3 * py3;
        px3 = px2;
        px2 = px1;
        px1 = xb;
        py3 = py2;
        py2 = py1;
        py1 = y;
        v += y * (g0[1] + dP * m);
      }
      if (useB) {
        brown = (1 - a) * xa + a * brown;
        const y = f0 * brown + f1 * fx1 + f2 * fx2 - f3 * fy1 - f4 * fy2;
        fx2 = fx1;
        fx1 = brown;
        fy2 = fy1;
        fy1 = y;
        v += y * (g0[0] + dB * m);
      }
      if (useA) {
        const y = b0 * xa + b1 * qx1 + b2 * qx2 + b3 * qx3 - a1 * qy1 - a2 * qy2 - a3 * qy3;
        qx3 = qx2;
        qx2 = qx1;
        qx1 = xa;
        qy3 = qy2;
        qy2 = qy1;
        qy1 = y;
        const z = e0 * y + e1 * ax1 + e2 * ax2 - e3 * ay1 - e4 * ay2;
        ax2 = ax1;
        ax1 = y;
        ay2 = ay1;
        ay1 = z;
        v += z * (g0[2] + dA * m);
      }
      if (i >= skip) {
        // Rounded to 32 bits as a mono buffer between would round it.
        const sample = Math.fround(v);
        left[at + i] += sample;
        right[at + i] += sample;
      }
    }
    this.brown = brown;
    this.fx1 = fx1;
    this.fx2 = fx2;
    this.fy1 = fy1;
    this.fy2 = fy2;
    this.ax1 = ax1;
    this.ax2 = ax2;
    this.ay1 = ay1;
    this.ay2 = ay2;
    this.px1 = px1;
    this.px2 = px2;
    this.px3 = px3;
    this.py1 = py1;
    this.py2 = py2;
    this.py3 = py3;
    this.qx1 = qx1;
    this.qx2 = qx2;
    this.qx3 = qx3;
    this.qy1 = qy1;
    this.qy2 = qy2;
    this.qy3 = qy3;
  }
}

/**
 * One channel of the hush, written to both: the soundscape's panner takes
 * one channel (Tone's Panner, channelCount 1), so a second, independent
 * channel would cost twice the filtering to be summed away.
 */
export function createDriftNoiseTexture(context: TextureContext, options: Partial<DriftNoiseOptions> = {}): Texture {
  const o = { ...DRIFT_NOISE_DEFAULTS, ...options };
  const { rate, score } = context;
  const key = context.rng.fork("noise").key;
  // The slowest poles are the floor's (damping 0.71, twice the 0.35 warmFrames allows for).
  const warm = warmFrames(o.floorHz * 2, rate);
  // Held from chunk to chunk: the controls, the filters, and the gains at the block's ends and at its start.
  let curves: ControlCurves | undefined;
  let level = (_t: number) => Number.NaN;
  let brightness = (_t: number) => Number.NaN;
  const hush = new Hush(o, rate, key);
  let g0 = new Float64Array(3);
  let g1 = new Float64Array(3);
  const still = new Float64Array(3);
  const gainsAt = (frame: number, g: Float64Array) => {
    const t = frame / rate;
    const gain = levelToGain(level(t));
    const b = brightness(t);
    for (let c = 0; c < 3; c++) g[c] = gain * colourWeight(b, c) * o.balance[c];
    return g;
  };

  return {
    render(out, startFrame) {
      const length = out[0].length;
      if (curves) curves.moveTo(startFrame, Math.max(1, length));
      else {
        curves = new ControlCurves(score, rate, startFrame, Math.max(1, length));
        level = curves.control("level");
        brightness = curves.control("brightness");
      }
      hush.reset();
      const from = startFrame - warm;
      const end = startFrame + length;
      const [left, right] = out;
      // Blocks aligned on story frames; the warm-up frames are filtered at the first block's gains.
      gainsAt(startFrame, still);
      let warmed = false;
      for (let b = Math.floor(from / BLOCK); b * BLOCK < end; b++) {
        const lo = Math.max(from, b * BLOCK);
        const hi = Math.min(end, (b + 1) * BLOCK);
        const warming = hi <= startFrame;
        if (warming) {
          hush.block(left, right, 0, hi - lo, hi - lo, lo, still, still);
          continue;
        }
        if (!warmed) gainsAt(b * BLOCK, g0);
        warmed = true;
        gainsAt((b + 1) * BLOCK, g1);
        const skip = Math.max(0, startFrame - lo);
        hush.block(left, right, lo - startFrame, skip, hi - lo, lo, g0, g1);
        [g0, g1] = [g1, g0];
      }
    },
  };
}
