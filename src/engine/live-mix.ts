/**
 * The page's live mix, as the audio thread runs it (src/web/live-mixer.worklet.ts):
 * every voice arrives in a channel pair of one block of arrays (panned, see
 * texture-bus.ts), and each render quantum this sums them with the trim and
 * the listener's gain of each into a dry pair and a reverb-send pair, runs
 * the reverb (synth/reverb.ts, the offline bus's own) over the send and adds
 * it in. One node in the graph where the native mix was a splitter, a
 * merger, a mix gain and a send gain per voice and the reverb's 32 nodes,
 * every one of them run by the engine in every quantum.
 *
 * At the listener's unity gains, the same sums as the offline bus
 * (texture-bus.ts `mix`), so the page plays what a file holds.
 */
import type { GainFactor } from "../core/units.ts";
import { Reverb } from "../synth/reverb.ts";

/** A change of the listener's gain of a voice: the mixer's one message. */
export interface MixChange {
  /** The voice, by its place in the mix. */
  voice: number;
  /** The gain to reach (a factor). */
  gain: GainFactor;
  /** Seconds to reach it in, in a straight line from where it is. */
  seconds: number;
}

/** What the worklet node is made with (its `processorOptions`). */
export interface MixSetup {
  /** Each voice's reverb send, in mix order. */
  sends: readonly GainFactor[];
  /** Each voice's trim (the preset's gain and the voices' balance), applied with the listener's gain. */
  trims: readonly GainFactor[];
}

/**
 * A stretch of every voice, from context frame `frame` on: voice v's left
 * channel at `data[2v·frames …]`, its right at `data[(2v+1)·frames …]`.
 */
export interface MixBlock {
  frame: number;
  frames: number;
  data: Float32Array;
}

/** A message to the mixer: a block to play, a change of a voice's gain, or null when its soundscape is let go of. */
export type MixMessage = { block: MixBlock } | { change: MixChange } | null;

/** The mixer node of a live mix, made by the page (src/web/audio-output.ts). */
export interface MixerNode {
  /** The node: no input, its one output the stereo mix. */
  readonly node: AudioNode;
  /** Sends a change of a voice's gain to the audio thread. */
  change(change: MixChange): void;
  /** Sends a block to play (its data is transferred: the mixer gives it back once played, see `take`). */
  play(block: MixBlock): void;
  /** An array of `length` samples to draw a block into, silent: one the mixer gave back, or a new one. */
  take(length: number): Float32Array;
  dispose(): void;
}

/** Makes the mixer of a live mix. */
export type MixerFactory = (setup: MixSetup) => MixerNode;

/** The name the worklet's processor is registered under. */
export const LIVE_MIXER = "reverie-live-mixer";

export class LiveMix {
  private readonly sends: Float64Array;
  private readonly trims: Float64Array;
  private readonly gains: Float64Array;
  private readonly steps: Float64Array;
  private readonly targets: Float64Array;
  /** Frames left of each voice's ramp. */
  private readonly left: Float64Array;
  /** Each voice's gain at the start of the stretch being mixed, and its change a frame. */
  private readonly from: Float64Array;
  private readonly slope: Float64Array;
  private readonly reverb: Reverb;
  /** Blocks to play, in order of time. */
  private readonly queue: MixBlock[] = [];
  private sendL = new Float32Array(128);
  private sendR = new Float32Array(128);

  constructor(
    private readonly rate: number,
    setup: MixSetup,
    /** Called with each block's data once it has played. */
    private readonly played: (data: Float32Array) => void = () => undefined,
  ) {
    const n = setup.sends.length;
    this.sends = Float64Array.from(setup.sends);
    this.trims = Float64Array.from(setup.trims);
    this.gains = new Float64Array(n).fill(1);
    this.targets = new Float64Array(n).fill(1);
    this.steps = new Float64Array(n);
    this.left = new Float64Array(n);
    this.from = new Float64Array(n);
    this.slope = new Float64Array(n);
    this.reverb = new Reverb(rate);
  }

  /** Queues a block (blocks come in order of time). */
  add(block: MixBlock): void {
    this.queue.push(block);
  }

  /** Starts a ramp of a voice's gain (from where it is now). */
  change({ voice, gain, seconds }: MixChange): void {
    if (!(voice >= 0 && voice < this.gains.length)) return;
    const frames = Math.max(0, Math.round(seconds * this.rate));
    this.targets[voice] = gain;
    this.left[voice] = frames;
    if (frames === 0) this.gains[voice] = gain;
    else this.steps[voice] = (gain - this.gains[voice]) / frames;
  }

  /** Mixes the stretch from context frame `frame` into `outL`/`outR` (overwritten). */
  render(frame: number, outL: Float32Array, outR: Float32Array): void {
    const length = outL.length;
    if (this.sendL.length !== length) {
      this.sendL = new Float32Array(length);
      this.sendR = new Float32Array(length);
    }
    const { sendL, sendR, gains, steps, targets, left, sends, trims, from, slope, queue } = this;
    outL.fill(0);
    outR.fill(0);
    sendL.fill(0);
    sendR.fill(0);
    while (queue.length > 0 && queue[0].frame + queue[0].frames <= frame) this.played((queue.shift() as MixBlock).data);
    // Each voice's gain over the stretch: a ramp that ends within it ends with it.
    for (let v = 0; v < gains.length; v++) {
      const to = left[v] > length ? gains[v] + steps[v] * length : targets[v];
      from[v] = gains[v];
      slope[v] = (to - gains[v]) / length;
      left[v] = Math.max(0, left[v] - length);
      gains[v] = to;
    }
    for (const block of queue) {
      if (block.frame >= frame + length) break;
      const lo = Math.max(frame, block.frame);
      const hi = Math.min(frame + length, block.frame + block.frames);
      const { data, frames } = block;
      for (let v = 0; v < gains.length; v++) {
        // The listener silenced the voice.
        if (from[v] === 0 && gains[v] === 0) continue;
        const send = sends[v];
        const trim = trims[v];
        const step = slope[v] * trim;
        const start = from[v] * trim;
        const atL = 2 * v * frames - block.frame;
        const atR = atL + frames;
        for (let t = lo; t < hi; t++) {
          const i = t - frame;
          const gain = start + step * i;
          const dl = data[atL + t] * gain;
          const dr = data[atR + t] * gain;
          outL[i] += dl;
          outR[i] += dr;
          sendL[i] += dl * send;
          sendR[i] += dr * send;
        }
      }
    }
    this.reverb.process(sendL, sendR, outL, outR);
  }
}
