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
  const b = Math.min(1, Math.max(0, brightness));
  if (b <= 0.5) {
    const x = (b / 0.5) * (Math.PI / 2);
    return [Math.cos(x), Math.sin(x), 0];
  }
  const x = ((b - 0.5) / 0.5) * (Math.PI / 2);
  return [0, Math.cos(x), Math.sin(x)];
}

/** Frames between the points where the controls are read; the gains ramp linearly between them. */
const BLOCK = 128;

/** The filters' state, carried from frame to frame within a stretch. */
class Hush {
  private brown = 0;
  private floor: Biquad;
  private air: Biquad;
  private pinkB = [0, 0, 0, 0, 0, 0];
  private pinkA = [0, 0, 0, 0, 0, 0];

  constructor(
    private readonly o: DriftNoiseOptions,
    private readonly rate: number,
    private readonly key: number,
  ) {
    this.floor = new Biquad("highpass", o.floorHz, rate);
    this.air = new Biquad("highpass", o.airHz, rate);
  }

  /**
   * Adds frames [from, from + out.length) of the colours into `out`, each at
   * its gain ramped from `g0` to `g1` (brown, pink, air) over the block.
   */
  block(out: Float32Array, at: number, n: number, frame: number, g0: number[], g1: number[]): void {
    const a = Math.exp((-2 * Math.PI * this.o.brownHz) / this.rate);
    const [b0, b1, b2, b3] = PINK_B;
    const [, a1, a2, a3] = PINK_A;
    const dB = (g1[0] - g0[0]) / BLOCK;
    const dP = (g1[1] - g0[1]) / BLOCK;
    const dA = (g1[2] - g0[2]) / BLOCK;
    const useB = g0[0] > 0 || g1[0] > 0;
    const useP = g0[1] > 0 || g1[1] > 0;
    const useA = g0[2] > 0 || g1[2] > 0;
    let [px1, px2, px3, py1, py2, py3] = this.pinkB;
    let [qx1, qx2, qx3, qy1, qy2, qy3] = this.pinkA;
    let brown = this.brown;
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
        v += this.floor.tick(brown) * (g0[0] + dB * m);
      }
      if (useA) {
        const y = b0 * xa + b1 * qx1 + b2 * qx2 + b3 * qx3 - a1 * qy1 - a2 * qy2 - a3 * qy3;
        qx3 = qx2;
        qx2 = qx1;
        qx1 = xa;
        qy3 = qy2;
        qy2 = qy1;
        qy1 = y;
        v += this.air.tick(y) * (g0[2] + dA * m);
      }
      out[at + i] = v;
    }
    this.pinkB = [px1, px2, px3, py1, py2, py3];
    this.pinkA = [qx1, qx2, qx3, qy1, qy2, qy3];
    this.brown = brown;
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
  const gainsAt = (curves: ControlCurves, frame: number) => {
    const t = frame / rate;
    const gain = levelToGain(curves.value("level", t));
    return colourWeights(curves.value("brightness", t)).map((w, c) => gain * w * o.balance[c]);
  };

  return {
    render(out, startFrame) {
      const length = out[0].length;
      const curves = new ControlCurves(score, rate, startFrame, Math.max(1, length));
      const mono = new Float32Array(warm + length);
      const hush = new Hush(o, rate, key);
      const from = startFrame - warm;
      const end = startFrame + length;
      // Blocks aligned on story frames; the warm-up frames are filtered at the first block's gains.
      const still = gainsAt(curves, startFrame);
      let g0 = still;
      for (let b = Math.floor(from / BLOCK); b * BLOCK < end; b++) {
        const lo = Math.max(from, b * BLOCK);
        const hi = Math.min(end, (b + 1) * BLOCK);
        const warming = hi <= startFrame;
        if (!warming && g0 === still) g0 = gainsAt(curves, b * BLOCK);
        const g1 = warming ? still : gainsAt(curves, (b + 1) * BLOCK);
        hush.block(mono, lo - from, hi - lo, lo, g0, g1);
        g0 = g1;
      }
      const [left, right] = out;
      for (let i = 0; i < length; i++) {
        left[i] += mono[warm + i];
        right[i] += mono[warm + i];
      }
    },
  };
}
