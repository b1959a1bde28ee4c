/**
 * The shared reverb: an 8-line feedback delay network built from native
 * delay, filter and gain nodes. No convolution (slow offline), no worklet
 * (JavaScript per sample), no generated impulse (Tone.Reverb fills it with unseeded noise):
 * deterministic and cheap, and its tail dies away within seconds, which sets
 * how much pre-roll a window of a segmented render needs.
 *
 *   in L/R → pre-delay → 8 × [delay → lowpass → gain g_i] ─┬→ out L/R
 *                          ↑  own output + (−2/N)·Σ outputs  (Householder)
 */
import * as Tone from "tone";

export interface ReverbOptions {
  /** Time for the tail to fall by 60 dB, in seconds. */
  decay: number;
  /** Cut-off of the damping in the loop, in Hz. */
  dampingHz: number;
  /** Pre-delay, in seconds. */
  preDelay: number;
}

export const REVERB_DEFAULTS: ReverbOptions = { decay: 3.2, dampingHz: 4200, preDelay: 0.025 };

/** Delay lengths in milliseconds: mutually prime, spread over a large, soft room. */
const LINES_MS = [43.1, 53.7, 61.3, 71.9, 83.3, 97.1, 107.9, 127.3];

export interface Reverb {
  input: Tone.Gain;
  output: Tone.Gain;
  dispose(): void;
}

export function createReverb(context: Tone.BaseContext, options: Partial<ReverbOptions> = {}): Reverb {
  const o = { ...REVERB_DEFAULTS, ...options };
  const input = new Tone.Gain({ context });
  const split = new Tone.Split({ context, channels: 2 });
  const merge = new Tone.Merge({ context, channels: 2 });
  const output = new Tone.Gain({ context });
  const preDelay = new Tone.Delay({ context, delayTime: o.preDelay, maxDelay: 0.1 });
  const n = LINES_MS.length;
  const mixBack = new Tone.Gain({ context, gain: -2 / n });
  const nodes: Tone.ToneAudioNode[] = [input, split, merge, output, preDelay, mixBack];

  input.chain(preDelay, split);
  LINES_MS.forEach((ms, i) => {
    const seconds = ms / 1000;
    const lineIn = new Tone.Gain({ context });
    const delay = new Tone.Delay({ context, delayTime: seconds, maxDelay: seconds });
    // Q is in dB for a lowpass: -6 dB keeps the response below unity everywhere, so the loop stays stable.
    const damping = new Tone.BiquadFilter({ context, type: "lowpass", frequency: o.dampingHz, Q: -6 });
    // Each pass round a line loses its share of 60 dB per `decay`: 10^(-3·seconds/decay) = -60·seconds/decay dB.
    const loss = new Tone.Gain({ context, gain: 10 ** ((-3 * seconds) / o.decay) });
    split.connect(lineIn, i % 2, 0);
    lineIn.chain(delay, damping, loss);
    loss.connect(lineIn);
    loss.connect(mixBack);
    mixBack.connect(lineIn);
    // Alternate lines feed the left and right outputs, with alternating signs for width.
    const tap = new Tone.Gain({ context, gain: (i % 4 < 2 ? 1 : -1) / Math.sqrt(n / 2) });
    loss.connect(tap);
    tap.connect(merge, 0, i % 2);
    nodes.push(lineIn, delay, damping, loss, tap);
  });
  merge.connect(output);

  return {
    input,
    output,
    dispose() {
      for (const node of nodes) node.dispose();
    },
  };
}
