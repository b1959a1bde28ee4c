/**
 * The live mix's processor (engine/live-mix.ts) on the audio thread: built by
 * Vite as a script of its own (imported with `?worker&url` by
 * audio-output.ts) and added to the context's audio worklet before the
 * first soundscape plays.
 */
import { LIVE_MIXER, LiveMix, type MixMessage, type MixSetup } from "../engine/live-mix.ts";

// What an AudioWorkletGlobalScope has (TypeScript's DOM library does not describe it).
declare const sampleRate: number;
declare const currentFrame: number;
declare function registerProcessor(name: string, processor: new (options: { processorOptions: MixSetup }) => object): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

registerProcessor(
  LIVE_MIXER,
  class extends AudioWorkletProcessor {
    private readonly mix: LiveMix;
    private ended = false;

    constructor(options: { processorOptions: MixSetup }) {
      super();
      // A block's data goes back to the page once played, to be drawn into again.
      this.mix = new LiveMix(sampleRate, options.processorOptions, (data) => this.port.postMessage(data, [data.buffer]));
      this.port.onmessage = (event: MessageEvent<MixMessage>) => {
        const message = event.data;
        if (message === null) this.ended = true;
        else if ("block" in message) this.mix.add(message.block);
        else this.mix.change(message.change);
      };
    }

    process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
      if (this.ended) return false;
      const [out] = outputs;
      this.mix.render(currentFrame, out[0], out[1]);
      return true;
    }
  },
);
