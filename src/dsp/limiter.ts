/**
 * The mastering stage of a render, applied to every rendered window in order
 * before it is written: the loudness-normalisation gain, then a gentle
 * look-ahead limiter that holds the true peak under the ceiling.
 *
 *   in → × gain ─┬────────────── delay (latency) ───────────────┬→ × limiter gain → out
 *                └→ true peak (4×) → gain needed → look-ahead min
 *                   → slow release → two moving averages ───────┘
 *
 * The limiter is a safety net, not a loudness tool: the presets are mixed so
 * that at the target loudness it rarely acts, and when it does the gain
 * glides down over the look-ahead (an S-curve, never a step) and back up over
 * about a second, so nothing pumps or clicks. The gain it applies at a sample
 * is a weighted mean of values that are each at most the gain that sample
 * needs, so the ceiling holds exactly, not on average.
 *
 * There is no DC stage: the soundscape's 20 Hz high-pass already keeps the
 * mean of every render under 1e-6 of full scale (tests/sleep-safe.test.ts
 * checks each preset's file), and a second filter would only shift phase.
 *
 * Plain TypeScript over Float32Arrays: it runs in the command line, a worker
 * or the page. State is carried from block to block and every
 * sample goes through the same arithmetic, so the output is identical however
 * the audio is cut into blocks; the latency is compensated (the first frames
 * are held back, `finish` flushes them), so output and input line up exactly.
 */
import { dbToGain, gainToDb } from "../core/units.ts";
import { MovingAverage, SlidingMinimum } from "./sliding-window.ts";
import { INTERPOLATOR, TP_TAPS } from "./true-peak.ts";

/** Options for {@link createMaster}. */
export interface MasterOptions {
  /** Frames per second, in Hz. */
  sampleRate: number;
  /** Number of channels (the limiter links them: one gain for all). */
  channels: number;
  /** Loudness-normalisation gain, applied first, as a factor. */
  gain: number;
  /** True-peak ceiling, in dBTP; default {@link DEFAULT_CEILING}. */
  ceiling?: number;
  /**
   * Whether the arrays `process` and `finish` return are only lent: the next
   * call writes over them. Saves allocating the output afresh each call, for
   * a caller that is done with each block before it passes the next.
   */
  reuse?: boolean;
}

/** What the limiter did, for reports and tests. */
export interface LimiterStats {
  /** Deepest gain reduction, in dB (0 when it never acted). */
  maxReduction: number;
  /** Time spent with any gain reduction (more than 0.01 dB), in seconds. */
  reducedSeconds: number;
}

/** A streaming master: feed it windows in order, then flush it. */
export interface Master {
  /** Frames the output lags the input (held back until {@link Master.finish}). */
  readonly latency: number;
  /**
   * Masters the next block (one Float32Array per channel, all the same
   * length) and returns the output ready so far: the first `latency` frames
   * of the stream come out of later calls or of `finish`. The input is not
   * modified.
   */
  process(block: readonly Float32Array[]): Float32Array[];
  /** Flushes the frames still held back; afterwards exactly as many frames have come out as went in. */
  finish(): Float32Array[];
  stats(): LimiterStats;
}

/** Default true-peak ceiling, in dBTP (EBU R128). */
export const DEFAULT_CEILING = -1;
/** Look-ahead, and so attack, of the limiter, in seconds. */
export const LIMITER_LOOKAHEAD = 0.01;
/** Time constant of the limiter's recovery, in seconds: slow, so it never pumps. */
export const LIMITER_RELEASE = 0.8;
/**
 * Headroom kept under the ceiling, in dB: covers the gain moving within the
 * interpolator's span and an independent meter's slightly different
 * interpolator.
 */
const CEILING_MARGIN_DB = 0.05;
/** A limiter gain below this (-0.01 dB) counts as reducing. */
const REDUCED = dbToGain(-0.01);

/** Taps of the 4× true-peak interpolator: the loudness meter's design (true-peak.ts). */
const TAPS = TP_TAPS;
const HALF = TAPS / 2;

/**
 * A streaming master for `channels` channels at `sampleRate`: gain, then the
 * true-peak limiter. Deterministic: the same input gives the same output
 * bits, whatever the block sizes.
 */
export function createMaster(options: MasterOptions): Master {
  return new Limiter(options);
}

class Limiter implements Master {
  readonly latency: number;
  private readonly channels: number;
  private readonly sampleRate: number;
  private readonly gain: number;
  private readonly ceiling: number;
  private readonly loudThreshold: number;
  private readonly window: number;
  private readonly recover: number;
  /** Gained input, a ring per channel: the interpolator's history and the delay line in one. */
  private readonly ring: Float64Array[];
  private readonly mask: number;
  private readonly minimum: SlidingMinimum;
  private readonly average1: MovingAverage;
  private readonly average2: MovingAverage;
  private released = 1;
  /** The interpolator's 1/4, 2/4 and 3/4 phases. */
  private readonly quarter = INTERPOLATOR.phases[0];
  private readonly half = INTERPOLATOR.phases[1];
  private readonly threeQuarters = INTERPOLATOR.phases[2];
  /** With `reuse`, the arrays the output is lent from; grown as blocks need. */
  private readonly lent: Float32Array[] | undefined;

  private framesIn = 0;
  private pushed = 0;
  private framesOut = 0;
  private finished = false;
  private loudUntil = -1;
  private minGain = 1;
  private reducedFrames = 0;

  constructor(options: MasterOptions) {
    const { sampleRate, channels, gain } = options;
    if (!(gain >= 0) || !Number.isFinite(gain)) throw new RangeError(`master gain must be a finite factor ≥ 0, got ${gain}`);
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.gain = gain;
    const ceilingDb = options.ceiling ?? DEFAULT_CEILING;
    this.ceiling = dbToGain(ceilingDb - CEILING_MARGIN_DB);
    this.loudThreshold = this.ceiling / (INTERPOLATOR.l1 * (1 + 1e-9));

    // Look-ahead min over `window` gains, smoothed by moving averages of `box1` then `box2`
    // frames: box1 + box2 - 1 = window, so each averaged gain only mixes minima that cover the frame.
    const window = Math.max(3, Math.round(LIMITER_LOOKAHEAD * sampleRate));
    const box1 = Math.ceil(window / 2);
    const box2 = window - box1 + 1;
    this.window = window;
    this.latency = window - 1 + HALF;
    this.recover = 1 - Math.exp(-1 / (LIMITER_RELEASE * sampleRate));
    this.minimum = new SlidingMinimum(window);
    this.average1 = new MovingAverage(box1);
    this.average2 = new MovingAverage(box2);

    let ringSize = 1;
    while (ringSize < 4 * (this.latency + TAPS)) ringSize <<= 1;
    this.mask = ringSize - 1;
    this.ring = Array.from({ length: channels }, () => new Float64Array(ringSize));
    this.lent = options.reuse ? Array.from({ length: channels }, () => new Float32Array(0)) : undefined;
  }

  process(block: readonly Float32Array[]): Float32Array[] {
    if (this.finished) throw new Error("master: process() after finish()");
    if (block.length !== this.channels) throw new RangeError(`master: expected ${this.channels} channels, got ${block.length}`);
    const frames = block[0].length;
    for (const channel of block) if (channel.length !== frames) throw new RangeError("master: channels differ in length");
    return this.run(block, frames);
  }

  finish(): Float32Array[] {
    if (this.finished) return Array.from({ length: this.channels }, () => new Float32Array(0));
    this.finished = true;
    return this.run(null, this.latency);
  }

  stats(): LimiterStats {
    const { minGain } = this;
    return { maxReduction: minGain < 1 ? -gainToDb(minGain) : 0, reducedSeconds: this.reducedFrames / this.sampleRate };
  }

  /** The gain frame p - HALF needs: its own value and the interpolated points between it and the next, from frames p - TAPS + 1 … p. */
  private neededGain(p: number): number {
    const { mask, ceiling, ring, channels, quarter, half, threeQuarters } = this;
    let peak = 0;
    for (let c = 0; c < channels; c++) {
      const x = ring[c];
      const own = Math.abs(x[(p - HALF) & mask]);
      if (own > peak) peak = own;
      // The three phases in one loop: each sum still adds its taps in order, and the three chains overlap.
      let first = 0;
      let second = 0;
      let third = 0;
      for (let j = 0; j < TAPS; j++) {
        const value = x[(p - j) & mask];
        first += quarter[j] * value;
        second += half[j] * value;
        third += threeQuarters[j] * value;
      }
      const q1 = Math.abs(first);
      if (q1 > peak) peak = q1;
      const q2 = Math.abs(second);
      if (q2 > peak) peak = q2;
      const q3 = Math.abs(third);
      if (q3 > peak) peak = q3;
    }
    return peak > ceiling ? ceiling / peak : 1;
  }

  /** Takes one gained frame (already in the ring at index p) through the gain path; returns the gain for frame p - latency. */
  private step(p: number, loudest: number): number {
    if (loudest >= this.loudThreshold) this.loudUntil = p + TAPS - 1;
    const need = p <= this.loudUntil ? this.neededGain(p) : 1;
    const frame = p - HALF;
    const lookahead = this.minimum.push(frame, need);
    // Slow exponential recovery; never above what the look-ahead allows.
    const released = this.released;
    let rising = released === 1 ? 1 : released + (1 - released) * this.recover;
    // Snapping the last billionth back to exactly 1 lets the moving averages rest at 1 (and cost nothing).
    if (rising > 1 - 1e-9) rising = 1;
    // biome-ignore lint/complexity/useMathMinMax: kept as the comparison it has always been (Math.min differs on NaN and -0)
    this.released = lookahead < rising ? lookahead : rising;
    const j = frame - this.window + 1;
    return this.average2.push(j, this.average1.push(j, this.released));
  }

  private resting(): boolean {
    return this.released === 1 && this.average2.resting() && this.average1.resting() && this.minimum.resting();
  }

  private run(block: readonly Float32Array[] | null, frames: number): Float32Array[] {
    const { channels, ring, mask, gain, latency, pushed } = this;
    if (block) this.framesIn += frames;
    // Output frames k = p - latency, up to the last frame that went in.
    const ready = Math.max(0, Math.min(pushed + frames - latency, this.framesIn) - this.framesOut);
    const out = this.output(ready);
    let written = 0;
    let i = 0;
    while (i < frames) {
      const p = pushed + i;
      // More than two channels take every frame through the gain path: the same samples, only slower.
      if (channels <= 2 && p > this.loudUntil && this.resting()) {
        const end = this.quiet(block, i, frames, out, written, ready);
        if (end > i) {
          written += this.delayed(i, end, written, ready);
          this.minimum.restAt(pushed + end - 1 - HALF);
          i = end;
          continue;
        }
      }
      let loudest = 0;
      for (let c = 0; c < channels; c++) {
        const value = block ? block[c][i] * gain : 0;
        ring[c][p & mask] = value;
        const abs = value < 0 ? -value : value;
        if (abs > loudest) loudest = abs;
      }
      const g = this.step(p, loudest);
      const k = p - latency;
      if (k >= 0 && written < ready) {
        if (g < this.minGain) this.minGain = g;
        if (g < REDUCED) this.reducedFrames++;
        for (let c = 0; c < channels; c++) out[c][written] = ring[c][k & mask] * g;
        written++;
      }
      i++;
    }
    this.pushed += frames;
    this.framesOut += written;
    return out;
  }

  /** Arrays for `ready` frames of output: new ones, or views of the lent ones (the frames the call writes, every one of them). */
  private output(ready: number): Float32Array[] {
    const { lent, channels } = this;
    if (!lent) return Array.from({ length: channels }, () => new Float32Array(ready));
    for (let c = 0; c < channels; c++) if (lent[c].length < ready) lent[c] = new Float32Array(ready);
    return lent.map((channel) => channel.subarray(0, ready));
  }

  /** Frames of output a quiet stretch over block frames `i … end - 1` gives, from `written` of `ready`. */
  private delayed(i: number, end: number, written: number, ready: number): number {
    return Math.max(0, Math.min(end - Math.max(i, this.latency - this.pushed), ready - written));
  }

  /**
   * A quiet stretch while the limiter rests, from frame `i` of the block
   * (`null`: the silence `finish` flushes with) up to the first frame whose
   * gained value reaches the loud threshold, or the block's end, which it
   * returns. The gain is exactly 1 there, so it is a plain delay: the
   * delayed frames go into `out` from `written`, from the ring until the
   * stretch's own frames are reached, then straight from the block, in the
   * same pass that looks for the loud frame. That pass also writes the
   * outputs of the frames just after the stretch from the latency's worth of
   * frames before its end: later steps of this call write over them. Only
   * the stretch's last frames go into the ring, the ones later frames read.
   * One or two channels (mono reads its one channel as both).
   */
  private quiet(
    block: readonly Float32Array[] | null,
    i: number,
    frames: number,
    out: Float32Array[],
    written: number,
    ready: number,
  ): number {
    const { mask, gain, latency, pushed, loudThreshold, ring, channels } = this;
    const first = Math.max(i, latency - pushed);
    // Block frame m (from i on) comes out at out[m + shift]; the frames before i come from the ring.
    const shift = written + latency - first;
    let end = frames;
    if (block) {
      const left = block[0];
      const right = block[channels - 1];
      const outLeft = out[0];
      const outRight = out[channels - 1];
      const copied = Math.min(frames, ready - shift);
      let m = i;
      for (; m < copied; m++) {
        const v = left[m] * gain;
        const w = right[m] * gain;
        if (v >= loudThreshold || -v >= loudThreshold || w >= loudThreshold || -w >= loudThreshold) break;
        outLeft[m + shift] = v;
        outRight[m + shift] = w;
      }
      if (m >= copied) {
        for (; m < frames; m++) {
          const v = left[m] * gain;
          const w = right[m] * gain;
          if (v >= loudThreshold || -v >= loudThreshold || w >= loudThreshold || -w >= loudThreshold) break;
        }
      }
      end = m;
    }
    const count = this.delayed(i, end, written, ready);
    const fromRing = Math.min(count, Math.max(0, i + latency - first));
    const kept = Math.max(i, end - latency - TAPS);
    for (let c = 0; c < channels; c++) {
      const x = ring[c];
      const o = out[c];
      const from = pushed + first - latency;
      for (let n = 0; n < fromRing; n++) o[written + n] = x[(from + n) & mask];
      if (block) {
        const src = block[c];
        for (let m = kept; m < end; m++) x[(pushed + m) & mask] = src[m] * gain;
      } else {
        for (let n = fromRing; n < count; n++) o[written + n] = 0;
        for (let m = kept; m < end; m++) x[(pushed + m) & mask] = 0;
      }
    }
    return end;
  }
}
