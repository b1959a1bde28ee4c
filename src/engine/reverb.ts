/**
 * The shared reverb (its design is synth/reverb.ts's) as native nodes, for
 * the page's live graph and any mix with a voice outside the texture bus:
 * an 8-line feedback delay network built from native delay, filter and
 * gain nodes. No convolution (slow offline), no worklet
 * (JavaScript per sample), no generated impulse (Tone.Reverb fills it with unseeded noise):
 * deterministic and cheap, and its tail dies away within seconds, which sets
 * how much pre-roll a window of a segmented render needs.
 *
 *   in L/R → pre-delay → 8 × [delay → lowpass → gain g_i] ─┬→ out L/R
 *                          ↑  own output + (−2/N)·Σ outputs  (Householder)
 */
import type * as Tone from "tone";
import { DAMPING_Q_DB, LINES_MS, lineLoss, REVERB_DEFAULTS, type ReverbOptions } from "../synth/reverb.ts";

export interface Reverb {
  /** Where the voices' sends go (stereo). */
  input: AudioNode;
  /** The wet stereo output. */
  output: AudioNode;
  dispose(): void;
}

/**
 * The reverb's native nodes, as few as its design allows: the engine runs
 * every node in every render quantum, so each line is a delay, its damping
 * and its loss per pass, and nothing else; the Householder mix and the input
 * sum at the delays' inputs, and the lines reach the merger through four
 * gains, one per (side, sign). 32 nodes, against 46 built from Tone's
 * wrappers with a gain at each line's input and each line's tap.
 */
export function createReverb(context: Tone.BaseContext, options: Partial<ReverbOptions> = {}): Reverb {
  const o = { ...REVERB_DEFAULTS, ...options };
  const raw = context.rawContext as unknown as BaseAudioContext;
  const preDelay = raw.createDelay(0.1);
  // Stereo, said outright: with the default ("max") Node's engine hands the splitter the delay's
  // output downmixed to mono (half left plus half right, into the even lines only).
  preDelay.channelCountMode = "explicit";
  preDelay.channelCount = 2;
  preDelay.delayTime.value = o.preDelay;
  const split = raw.createChannelSplitter(2);
  const merge = raw.createChannelMerger(2);
  const n = LINES_MS.length;
  const mixBack = raw.createGain();
  mixBack.gain.value = -2 / n;
  // Alternate lines feed the left and right outputs, with alternating signs for width.
  const taps = [0, 1].map(() => [0, 1].map(() => raw.createGain()));
  for (const [sign, pair] of taps.entries()) {
    for (const [side, tap] of pair.entries()) {
      tap.gain.value = (sign === 0 ? 1 : -1) / Math.sqrt(n / 2);
      tap.connect(merge, 0, side);
    }
  }
  const nodes: AudioNode[] = [preDelay, split, merge, mixBack, ...taps.flat()];
  preDelay.connect(split);

  LINES_MS.forEach((ms, i) => {
    const seconds = ms / 1000;
    const delay = raw.createDelay(seconds);
    delay.delayTime.value = seconds;
    const loss = lineLoss(seconds, o.decay);
    // Q is in dB for a lowpass: -6 dB keeps the response below unity everywhere, so the loop stays stable.
    const damping = raw.createBiquadFilter();
    damping.type = "lowpass";
    damping.frequency.value = o.dampingHz;
    damping.Q.value = DAMPING_Q_DB;
    const line = raw.createGain();
    line.gain.value = loss;
    split.connect(delay, i % 2, 0);
    delay.connect(damping);
    damping.connect(line);
    line.connect(delay);
    line.connect(mixBack);
    mixBack.connect(delay);
    line.connect(taps[i % 4 < 2 ? 0 : 1][i % 2]);
    nodes.push(delay, damping, line);
  });

  return {
    input: preDelay,
    output: merge,
    dispose() {
      for (const node of nodes) node.disconnect();
    },
  };
}
