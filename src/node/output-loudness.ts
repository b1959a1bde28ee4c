/**
 * The integrated loudness (BS.1770) of what a render writes, metered as it
 * goes: when the limiter has to hold peaks down hard, a render can fall
 * short of its target (`--loudness -10` on a preset with loud swells came
 * out at -11.1 LUFS), and the summary says so. Only the K-weighted energy of
 * 100 ms steps is kept, gated at the end; the loudness meter's true-peak
 * oversampling (most of its cost) is not needed here, the limiter holds the
 * true peak.
 */
import { gatedLoudness } from "../dsp/gating.ts";
import { KWeightingFilter, kWeightingCoefficients } from "../dsp/k-weighting.ts";

/** 100 ms steps per 400 ms gating block (blocks overlap by 75%). */
const BLOCK_STEPS = 4;

export class OutputLoudness {
  private readonly filter: KWeightingFilter;
  private readonly stepLength: number;
  private readonly sums: Float64Array;
  private fill = 0;
  /** Energy of each 100 ms step. */
  private readonly steps: number[] = [];

  constructor(
    sampleRate: number,
    private readonly channels: number,
  ) {
    this.filter = new KWeightingFilter(kWeightingCoefficients(sampleRate), channels);
    this.stepLength = Math.round(sampleRate / 10);
    this.sums = new Float64Array(channels);
  }

  /** Meters the next block (one array per channel, all the same length). */
  push(block: readonly Float32Array[]): void {
    const length = block[0].length;
    for (let offset = 0; offset < length; ) {
      const count = Math.min(length - offset, this.stepLength - this.fill);
      if (this.channels === 2) this.filter.sumOfSquaresStereo(block[0], block[1], offset, count, this.sums);
      else for (let c = 0; c < this.channels; c++) this.sums[c] = this.filter.sumOfSquares(c, block[c], offset, count, this.sums[c]);
      offset += count;
      this.fill += count;
      if (this.fill === this.stepLength) {
        let energy = 0;
        for (let c = 0; c < this.channels; c++) {
          energy += this.sums[c] / this.stepLength;
          this.sums[c] = 0;
        }
        this.steps.push(energy);
        this.fill = 0;
      }
    }
  }

  /** The integrated loudness so far, in LUFS (minus infinity for silence or under 400 ms). */
  integrated(): number {
    const blocks = new Float64Array(Math.max(0, this.steps.length - BLOCK_STEPS + 1));
    for (let b = 0; b < blocks.length; b++) {
      let sum = 0;
      for (let s = b; s < b + BLOCK_STEPS; s++) sum += this.steps[s];
      blocks[b] = sum / BLOCK_STEPS;
    }
    return gatedLoudness(blocks);
  }
}
