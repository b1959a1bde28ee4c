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
  const { sampleRate, channels, gain } = options;
  if (!(gain >= 0) || !Number.isFinite(gain)) throw new RangeError(`master gain must be a finite factor ≥ 0, got ${gain}`);
  const ceilingDb = options.ceiling ?? DEFAULT_CEILING;
  const ceiling = dbToGain(ceilingDb - CEILING_MARGIN_DB);
  const loudThreshold = ceiling / (INTERPOLATOR.l1 * (1 + 1e-9));

  // Look-ahead min over `window` gains, smoothed by moving averages of `box1` then `box2`
  // frames: box1 + box2 - 1 = window, so each averaged gain only mixes minima that cover the frame.
  const window = Math.max(3, Math.round(LIMITER_LOOKAHEAD * sampleRate));
  const box1 = Math.ceil(window / 2);
  const box2 = window - box1 + 1;
  const latency = window - 1 + HALF;
  const recover = 1 - Math.exp(-1 / (LIMITER_RELEASE * sampleRate));

  // Gained input, a ring per channel: the interpolator's history and the delay line in one.
  let ringSize = 1;
  while (ringSize < 4 * (latency + TAPS)) ringSize <<= 1;
  const mask = ringSize - 1;
  // Longest quiet stretch copied in one go: its writes must not reach frames still to be read.
  const stretch = ringSize - latency - TAPS - 1;
  const ring = Array.from({ length: channels }, () => new Float64Array(ringSize));

  // Monotonic deque of (frame, needed gain) for the sliding minimum.
  const dequeFrames = new Float64Array(window + 1);
  const dequeValues = new Float64Array(window + 1);
  let dequeHead = 0;
  let dequeLength = 0;
  const dequeSize = window + 1;

  const held1 = new Float64Array(box1).fill(1);
  const held2 = new Float64Array(box2).fill(1);
  let sum1 = box1;
  let sum2 = box2;
  let notOne1 = 0;
  let notOne2 = 0;
  let released = 1;

  let framesIn = 0;
  let pushed = 0;
  let framesOut = 0;
  let finished = false;
  let loudUntil = -1;
  let minGain = 1;
  let reducedFrames = 0;

  function neededGain(p: number): number {
    // Frame p - HALF and the interpolated points between it and the next, from frames p - TAPS + 1 … p.
    let peak = 0;
    for (let c = 0; c < channels; c++) {
      const x = ring[c];
      const own = Math.abs(x[(p - HALF) & mask]);
      if (own > peak) peak = own;
      for (const h of INTERPOLATOR.phases) {
        let acc = 0;
        for (let j = 0; j < TAPS; j++) acc += h[j] * x[(p - j) & mask];
        const value = Math.abs(acc);
        if (value > peak) peak = value;
      }
    }
    return peak > ceiling ? ceiling / peak : 1;
  }

  /** Takes one gained frame (already in the ring at index p) through the gain path; returns the gain for frame p - latency. */
  function step(p: number, loudest: number): number {
    if (loudest >= loudThreshold) loudUntil = p + TAPS - 1;
    const need = p <= loudUntil ? neededGain(p) : 1;
    // Sliding minimum of the needed gain over the last `window` frames.
    const frame = p - HALF;
    while (dequeLength > 0 && dequeValues[(dequeHead + dequeLength - 1) % dequeSize] >= need) dequeLength--;
    const tail = (dequeHead + dequeLength) % dequeSize;
    dequeFrames[tail] = frame;
    dequeValues[tail] = need;
    dequeLength++;
    if (dequeFrames[dequeHead] <= frame - window) {
      dequeHead = (dequeHead + 1) % dequeSize;
      dequeLength--;
    }
    const lookahead = dequeValues[dequeHead];
    // Slow exponential recovery; never above what the look-ahead allows.
    let rising = released === 1 ? 1 : released + (1 - released) * recover;
    // Snapping the last billionth back to exactly 1 lets the moving averages rest at 1 (and cost nothing).
    if (rising > 1 - 1e-9) rising = 1;
    // biome-ignore lint/complexity/useMathMinMax: kept as the comparison it has always been (Math.min differs on NaN and -0)
    released = lookahead < rising ? lookahead : rising;
    const j = frame - window + 1;
    // Two moving averages; exact 1 while nothing is held (a counter, not the rounding of a running sum).
    const slot1 = ((j % box1) + box1) % box1;
    const out1 = held1[slot1];
    if (out1 !== 1) notOne1--;
    if (released !== 1) notOne1++;
    held1[slot1] = released;
    sum1 = notOne1 === 0 ? box1 : sum1 - out1 + released;
    const mean1 = notOne1 === 0 ? 1 : sum1 / box1;
    const slot2 = ((j % box2) + box2) % box2;
    const out2 = held2[slot2];
    if (out2 !== 1) notOne2--;
    if (mean1 !== 1) notOne2++;
    held2[slot2] = mean1;
    sum2 = notOne2 === 0 ? box2 : sum2 - out2 + mean1;
    return notOne2 === 0 ? 1 : sum2 / box2;
  }

  function resting(): boolean {
    return released === 1 && notOne2 === 0 && notOne1 === 0 && dequeLength === 1 && dequeValues[dequeHead] === 1;
  }

  function run(block: readonly Float32Array[] | null, frames: number): Float32Array[] {
    if (block) framesIn += frames;
    // Output frames k = p - latency, up to the last frame that went in.
    const ready = Math.max(0, Math.min(pushed + frames - latency, framesIn) - framesOut);
    const out = Array.from({ length: channels }, () => new Float32Array(ready));
    let written = 0;
    let i = 0;
    while (i < frames) {
      const p = pushed + i;
      if (p > loudUntil && resting()) {
        // A quiet stretch at rest: the limiter's gain is exactly 1 there, so it is a plain delay.
        let end = Math.min(frames, i + stretch);
        if (block) {
          for (let c = 0; c < channels; c++) {
            const src = block[c];
            for (let m = i; m < end; m++) {
              const v = src[m] * gain;
              if (v >= loudThreshold || -v >= loudThreshold) {
                end = m;
                break;
              }
            }
          }
        }
        if (end > i) {
          const first = Math.max(i, latency - pushed);
          const count = Math.max(0, Math.min(end - first, ready - written));
          for (let c = 0; c < channels; c++) {
            const x = ring[c];
            const o = out[c];
            if (block) {
              const src = block[c];
              for (let m = i; m < end; m++) x[(pushed + m) & mask] = src[m] * gain;
            } else {
              for (let m = i; m < end; m++) x[(pushed + m) & mask] = 0;
            }
            for (let n = 0; n < count; n++) o[written + n] = x[(pushed + first + n - latency) & mask];
          }
          written += count;
          dequeFrames[dequeHead] = pushed + end - 1 - HALF;
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
      const g = step(p, loudest);
      const k = p - latency;
      if (k >= 0 && written < ready) {
        if (g < minGain) minGain = g;
        if (g < REDUCED) reducedFrames++;
        for (let c = 0; c < channels; c++) out[c][written] = ring[c][k & mask] * g;
        written++;
      }
      i++;
    }
    pushed += frames;
    framesOut += written;
    return out;
  }

  return {
    latency,
    process(block) {
      if (finished) throw new Error("master: process() after finish()");
      if (block.length !== channels) throw new RangeError(`master: expected ${channels} channels, got ${block.length}`);
      const frames = block[0].length;
      for (const channel of block) if (channel.length !== frames) throw new RangeError("master: channels differ in length");
      return run(block, frames);
    },
    finish() {
      if (finished) return Array.from({ length: channels }, () => new Float32Array(0));
      finished = true;
      return run(null, latency);
    },
    stats() {
      return { maxReduction: minGain < 1 ? -gainToDb(minGain) : 0, reducedSeconds: reducedFrames / sampleRate };
    },
  };
}
