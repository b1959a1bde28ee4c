/**
 * Every voice of an offline mix, played as one: each chunk of story time,
 * the voices' textures are rendered in turn, panned, trimmed and summed here
 * in JavaScript into a dry pair and a reverb-send pair, the reverb runs over
 * the send into the dry pair, and the engine plays that as one buffer into
 * the master. The native graph then holds one buffer source a chunk, where
 * each voice alone would be a source, an output gain and a send gain of its
 * own, and the reverb 32 nodes, all run by the engine in every render quantum
 * (measured: about 5 ms of render per second of audio for a texture voice
 * that plays silence, and as much again for the reverb once sound reaches
 * it). The same sums as the per-voice graph, made in another order.
 *
 * Live, the listener's mixer needs a gain per voice, applied as the sound
 * plays (a change is heard at once, while the chunks are made up to half a
 * minute ahead): every voice goes in a channel pair of one block of arrays,
 * which the page's mixer worklet sums with those gains ({@link createMixerBus}),
 * or, without a worklet, of one buffer that the graph splits out to a mix
 * gain each ({@link createLiveBus}).
 */
import * as Tone from "tone";
import type { GainFactor } from "../core/units.ts";
import { Reverb } from "../synth/reverb.ts";
import type { Texture } from "../synth/texture.ts";
import { type ChunkSink, ChunkSource, stereoPan, TEXTURE_CHUNK, type VoiceContext } from "./kit.ts";
import type { MixerFactory } from "./live-mix.ts";

/** A texture of the mix, with the preset's trim and pan and its voice's reverb send. */
export interface BusMember {
  texture: Texture;
  trim: GainFactor;
  pan: number;
  send: GainFactor;
}

export interface TextureBus {
  cover(from: number, to: number): void;
  dispose(): void;
}

/**
 * The bus of `members`, played into `dry`, the reverb (synth/reverb.ts) run
 * over their send and added in: chunks are made in story order, so its state
 * runs on from one to the next as a native reverb's would.
 */
export function createTextureBus(vc: VoiceContext, members: readonly BusMember[], dry: Tone.InputNode): TextureBus {
  const mixing: Mixing = { members, reverb: new Reverb(vc.context.sampleRate), scratch: undefined, sends: undefined };
  const chunks = new ChunkSource(vc, TEXTURE_CHUNK, (channels, startFrame) => mix(mixing, channels, startFrame)).fan(dry);
  return {
    cover(from, to) {
      chunks.cover(from, to);
    },
    dispose() {
      chunks.dispose();
    },
  };
}

/** What a bus mixes with, from chunk to chunk. */
interface Mixing {
  readonly members: readonly BusMember[];
  readonly reverb: Reverb;
  scratch: [Float32Array, Float32Array] | undefined;
  sends: [Float32Array, Float32Array] | undefined;
}

/**
 * Mixes a chunk of the bus into `dry` (from story frame `startFrame`). A
 * function of the module, not a closure of each bus: a render makes a bus a
 * window, and V8 would compile a new closure's code afresh each time.
 */
function mix(mixing: Mixing, [dryL, dryR]: readonly Float32Array[], startFrame: number): void {
  const length = dryL.length;
  if (mixing.scratch?.[0].length !== length) mixing.scratch = [new Float32Array(length), new Float32Array(length)];
  if (mixing.sends?.[0].length !== length) mixing.sends = [new Float32Array(length), new Float32Array(length)];
  const scratch = mixing.scratch;
  const [sendL, sendR] = mixing.sends;
  sendL.fill(0);
  sendR.fill(0);
  const [left, right] = scratch;
  for (const { texture, trim, pan, send } of mixing.members) {
    left.fill(0);
    right.fill(0);
    texture.render(scratch, startFrame);
    if (pan !== 0) stereoPan(scratch, pan);
    const wetGain = trim * send;
    for (let i = 0; i < length; i++) {
      const l = left[i];
      const r = right[i];
      dryL[i] += l * trim;
      dryR[i] += r * trim;
      sendL[i] += l * wetGain;
      sendR[i] += r * wetGain;
    }
  }
  mixing.reverb.process(sendL, sendR, dryL, dryR);
}

/** A voice of a live mix: a bus member with its name, for the listener's mixer. */
export interface LiveMember extends BusMember {
  name: string;
}

export interface LiveBus extends TextureBus {
  /** Ramps the listener's gain of a voice (a factor, 1 by default) to `gain` over `seconds`; unknown names are ignored. */
  setMix(name: string, gain: GainFactor, seconds: number): void;
}

/**
 * Voices a live chunk holds at most: two channels each, within the 32 of a
 * buffer every browser makes. A larger mix takes a chunk source per group.
 */
const LIVE_GROUP = 16;

/** The groups of a live mix: at most {@link LIVE_GROUP} voices each. */
function groupsOf(members: readonly LiveMember[]): LiveMember[][] {
  const groups: LiveMember[][] = [];
  for (let first = 0; first < members.length; first += LIVE_GROUP) groups.push(members.slice(first, first + LIVE_GROUP));
  return groups;
}

/**
 * Draws a group's voices, each panned (and trimmed, unless the mixer trims
 * them as it mixes), into channel pairs 0–1, 2–3… of a chunk.
 */
function groupChunk(vc: VoiceContext, group: readonly LiveMember[], trimmed: boolean): ChunkSource {
  const fill = (channels: readonly Float32Array[], startFrame: number) => {
    group.forEach(({ texture, trim, pan }, v) => {
      const pair: [Float32Array, Float32Array] = [channels[2 * v], channels[2 * v + 1]];
      texture.render(pair, startFrame);
      if (pan !== 0) stereoPan(pair, pan);
      if (trimmed) for (const channel of pair) for (let i = 0; i < channel.length; i++) channel[i] *= trim;
    });
  };
  return new ChunkSource(vc, TEXTURE_CHUNK, fill, 2 * group.length);
}

/**
 * The live mix of `members` on the audio thread: every voice's texture is
 * drawn, panned, into a channel pair of one block of arrays a
 * `cover`, which goes to the mixer (`makeMixer`: the page's audio worklet,
 * running engine/live-mix.ts). It sums them with the trim and the listener's gain of each,
 * adds their reverb and plays the result into `dry`, and gives each block's
 * arrays back once played, to be drawn into again.
 *
 * No buffer sources at all: the page makes chunks up to its horizon (25 s)
 * ahead, and every source waiting in the graph costs the audio thread in
 * every render quantum until it starts (measured in Chromium with the dream's
 * six voices, a source a voice a second cost more than all the rest of the
 * sound: 7.5 % of a core against 1.7 % with one source playing); nor the
 * native mix's nodes (below), each run in every quantum too.
 */
export function createMixerBus(vc: VoiceContext, members: readonly LiveMember[], dry: Tone.InputNode, makeMixer: MixerFactory): LiveBus {
  // The mixer trims each voice with the listener's gain (one multiplication where there were two).
  const mixer = makeMixer({ sends: members.map((m) => m.send), trims: members.map((m) => m.trim) });
  Tone.connect(mixer.node, dry);
  // The block being drawn: `take` lends its channels as views of it, `play` sends it whole.
  let data: Float32Array = new Float32Array(0);
  const sink: ChunkSink = {
    take(channels, frames) {
      data = mixer.take(channels * frames);
      return Array.from({ length: channels }, (_, c) => data.subarray(c * frames, (c + 1) * frames));
    },
    play(arrays, frame) {
      mixer.play({ frame, frames: arrays[0].length, data });
    },
  };
  const chunks = groupChunk(vc, members, false).drain(sink);
  const names = members.map((m) => m.name);
  return {
    setMix(name, gain, seconds) {
      const voice = names.indexOf(name);
      if (voice !== -1) mixer.change({ voice, gain, seconds });
    },
    cover(from, to) {
      chunks.cover(from, to);
    },
    dispose() {
      chunks.dispose();
      mixer.dispose();
    },
  };
}

/**
 * The live mix in native nodes, where the page has no audio worklet: the
 * graph splits each chunk's channel pairs out, each through the listener's
 * gain of its voice into `dry` and through its send into `reverb` (the
 * native reverb, engine/reverb.ts). The same sound, at about twice the
 * audio thread's time.
 */
export function createLiveBus(vc: VoiceContext, members: readonly LiveMember[], dry: Tone.InputNode, reverb: Tone.InputNode): LiveBus {
  const context = vc.context;
  const mixes = new Map<string, Tone.Gain>();
  const nodes: { dispose(): void }[] = [];
  const sources: ChunkSource[] = [];
  for (const group of groupsOf(members)) {
    const splitter = context.rawContext.createChannelSplitter(2 * group.length) as unknown as ChannelSplitterNode;
    nodes.push({ dispose: () => splitter.disconnect() });
    group.forEach(({ name, send }, v) => {
      const pair = context.rawContext.createChannelMerger(2) as unknown as ChannelMergerNode;
      splitter.connect(pair, 2 * v, 0);
      splitter.connect(pair, 2 * v + 1, 1);
      const mix = new Tone.Gain({ context, gain: 1 });
      const sent = new Tone.Gain({ context, gain: send });
      Tone.connect(pair, mix);
      mix.connect(dry);
      mix.connect(sent);
      Tone.connect(sent, reverb);
      mixes.set(name, mix);
      nodes.push({ dispose: () => pair.disconnect() }, mix, sent);
    });
    sources.push(groupChunk(vc, group, true).fan(splitter));
  }
  return {
    setMix(name, gain, seconds) {
      const mix = mixes.get(name);
      if (!mix) return;
      const now = context.currentTime;
      mix.gain.cancelScheduledValues(now);
      mix.gain.setValueAtTime(mix.gain.getValueAtTime(now), now);
      mix.gain.linearRampToValueAtTime(gain, now + seconds);
    },
    cover(from, to) {
      for (const chunks of sources) chunks.cover(from, to);
    },
    dispose() {
      for (const chunks of sources) chunks.dispose();
      for (const node of nodes) node.dispose();
    },
  };
}
