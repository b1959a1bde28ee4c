/**
 * What the engine plays a voice with: the clock that maps story time to
 * context time, ramps placed at absolute times, the pools that keep one-shot
 * sources until they end, and the chunks of a texture (a voice drawn in
 * plain TypeScript, src/synth/) played as buffers on the story's grid.
 */
import * as Tone from "tone";
import { quantumFrames } from "../core/frames.ts";
import type { Texture } from "../synth/texture.ts";

/** Where a voice plays: its Tone context and how story time maps onto it. */
export interface VoiceContext {
  context: Tone.BaseContext;
  /** Story time (seconds) at context time 0. */
  origin: number;
  /** Story time from which the voice is scheduled (at or after `origin`). */
  start: number;
  /**
   * True in a realtime context, where finished one-shot nodes are disposed as
   * they end. Offline, Tone runs its clock (and so every `onended`) before the
   * audio is rendered, so nodes live until the voice is disposed.
   */
  live: boolean;
  /** The offline one-shot pools of these voices, for {@link releaseEnded}; none live. */
  pools: Set<NodePool>;
}

/**
 * A voice of the soundscape, built by a `createX(voiceContext, options, rng,
 * score)` factory: a texture drawn in JavaScript (src/synth/), which reads
 * its controls and events from the score itself. The mix plays it: offline
 * and live, every voice of a soundscape goes through one bus
 * (engine/texture-bus.ts), which pans and trims it.
 */
export interface Voice {
  /** The voice's samples. */
  readonly texture: Texture;
}

/** Context time for a story time. */
export function local(vc: VoiceContext, time: number): number {
  return time - vc.origin;
}

/** The context's frame 0 as a story frame (a whole number: contexts start on a frame). */
function originFrame(vc: VoiceContext): number {
  return Math.round(vc.origin * vc.context.sampleRate);
}

/**
 * Context time of story frame `frame`, exactly as the engine counts time (a
 * whole number of frames over the rate): a buffer source that starts on a
 * render quantum then plays by a plain copy. One that starts off it, by as
 * little as the rounding of `time - origin` (1e-13 s), makes Node's engine
 * interpolate every sample it plays: measured, 1.4–1.9 ms of render per
 * second of audio against 0.1 ms.
 */
export function localFrame(vc: VoiceContext, frame: number): number {
  return (frame - originFrame(vc)) / vc.context.sampleRate;
}

/** Anything with Web Audio's automation methods (a Tone Param or Signal). */
export interface Automatable {
  setValueAtTime(value: number, time: number): unknown;
  linearRampToValueAtTime(value: number, time: number): unknown;
}

/**
 * A Tone parameter automated by ramps at story times: the first call jumps,
 * later ones ramp. A value that holds still schedules nothing, so the
 * parameter stays constant (automation costs time in every render quantum).
 */
export class Ramp {
  private last = Number.NaN;
  private holdFrom: number | undefined;

  constructor(
    private readonly vc: VoiceContext,
    readonly param: Automatable,
  ) {
    // The score's controls move slowly, on a 0.25 s grid: a value a render quantum (2.7 ms)
    // is smooth enough (steps of a few thousandths of the value, below -60 dB), and a k-rate
    // parameter costs the engine a fraction of an a-rate one, which computes every sample.
    const native = (param as { input?: unknown }).input;
    if (typeof native === "object" && native !== null && "automationRate" in native) (native as AudioParam).automationRate = "k-rate";
  }

  to(value: number, time: number): void {
    const at = local(this.vc, Math.max(this.vc.start, time));
    if (Number.isNaN(this.last)) {
      // Also from the context's start: Node's engine applies a k-rate parameter's first value
      // a quantum late, so it must be in place before the voice sounds (renderSpan starts the
      // context a quantum early for this).
      if (at > 0) this.param.setValueAtTime(value, 0);
      this.param.setValueAtTime(value, at);
    } else if (Math.abs(value - this.last) < 1e-6) {
      this.holdFrom = at;
      return;
    } else {
      if (this.holdFrom !== undefined) this.param.setValueAtTime(this.last, this.holdFrom);
      this.param.linearRampToValueAtTime(value, at);
    }
    this.last = value;
    this.holdFrom = undefined;
  }
}

/** What a {@link NodePool} lets go of: a Tone node, or a platform source wrapped by {@link playBuffer}. */
export interface Disposable {
  dispose(): void;
}

/**
 * Keeps one-shot nodes (a note, a chord, a noise chunk) until they are done.
 * Live, disposes them soon after `source` ends. Offline, Tone's `onended`
 * fires before the audio is rendered, so a group lives until the pool is
 * disposed, or until {@link releaseEnded} finds it over (given its `end`).
 */
export class NodePool {
  private readonly groups = new Map<Disposable[], number>();
  private readonly ended: Disposable[][] = [];

  constructor(private readonly vc: VoiceContext) {
    if (!vc.live) vc.pools.add(this);
  }

  /** Keeps `nodes`, played by `source` until story time `end` (seconds). */
  add(source: { onended: ((event: never) => void) | null }, nodes: Disposable[], end = Number.POSITIVE_INFINITY): void {
    this.groups.set(nodes, end);
    if (!this.vc.live) return;
    source.onended = () => {
      globalThis.setTimeout(() => {
        for (const node of nodes) node.dispose();
        this.groups.delete(nodes);
      }, 500);
    };
  }

  /**
   * Disposes the groups that ended before story time `before` (they leave the
   * graph), but holds on to them until the pool is disposed, so that nothing
   * is freed in the middle of a render: Node's engine frees a node once V8
   * has collected its handle, and gives its id to the next node made, which
   * sets the order in which it sums a node's inputs. Freed only when the
   * render is over, the order never depends on when V8 collects.
   */
  disposeEnded(before: number): void {
    for (const [nodes, end] of this.groups) {
      if (end >= before) continue;
      for (const node of nodes) node.dispose();
      this.groups.delete(nodes);
      this.ended.push(nodes);
    }
  }

  dispose(): void {
    for (const nodes of this.groups.keys()) for (const node of nodes) node.dispose();
    this.groups.clear();
    this.ended.length = 0;
    this.vc.pools.delete(this);
  }
}

/**
 * Disposes the one-shot nodes of offline voices that ended before story
 * time `before`: an offline render that pauses to schedule what comes next
 * (renderSpan) calls it at each pause, so finished noise chunks and notes
 * leave the graph (they cost time even silent) and their buffers can be freed.
 */
export function releaseEnded(vc: VoiceContext, before: number): void {
  for (const pool of vc.pools) pool.disposeEnded(before);
}

/**
 * Plays `buffer` into `into` from context time `at` until story time `end`,
 * kept by `pool`: with the platform's own buffer source, not Tone's
 * ToneBufferSource, which adds a gain node for fades these buffers never
 * have (a node the engine runs every quantum) and a dozen objects to build
 * and collect, for every chunk of every voice.
 */
export function playBuffer(vc: VoiceContext, pool: NodePool, buffer: AudioBuffer, into: Tone.InputNode[], at: number, end: number): void {
  const source = vc.context.rawContext.createBufferSource() as AudioBufferSourceNode;
  source.buffer = buffer;
  for (const node of into) Tone.connect(source, node);
  source.start(at);
  pool.add(source, [{ dispose: () => source.disconnect() }], end);
}

/**
 * Buffers made a chunk of story time at a time by `fill` (stereo, or as many
 * channels as asked for), each a pure function of the story frames it covers
 * (chunk k covers frames [k·size, (k+1)·size), whatever window is rendered),
 * played straight into the nodes given to `fan` (a unity gain between them
 * would be one more node for the engine to run in every render quantum). A
 * chunk lives only as long as the buffer source that plays it.
 *
 * Live, the chunks of one `cover` are drawn in place into one buffer and
 * played by one source: every source made waits in the graph until it
 * starts, and Chromium's audio thread visits each of them every render
 * quantum (the player covers a few seconds at a time, up to half a minute
 * ahead). Offline, a buffer a chunk, drawn into the same arrays each time,
 * so a render allocates no audio per chunk whatever its window.
 */
export class ChunkSource {
  private readonly into: Tone.InputNode[] = [];
  private sink: ChunkSink | undefined;
  private readonly covered = new Set<number>();
  private readonly sources: NodePool;
  private scratch: Float32Array<ArrayBuffer>[] = [];

  constructor(
    private readonly vc: VoiceContext,
    /** Seconds per chunk (to whole render quanta). */
    private readonly seconds: number,
    /** Writes the chunk's frames, from story frame `startFrame`, into zeroed channels (left, right for stereo). */
    private readonly fill: (channels: readonly Float32Array[], startFrame: number) => void,
    /** Channels of each chunk. */
    private readonly channels = 2,
  ) {
    this.sources = new NodePool(vc);
  }

  /** Plays the chunks into `nodes` (before the first `cover`). */
  fan(...nodes: Tone.InputNode[]): this {
    this.into.push(...nodes);
    return this;
  }

  cover(from: number, to: number): void {
    const rate = this.vc.context.sampleRate;
    const frames = quantumFrames(this.seconds, rate);
    let run: number[] = [];
    for (let chunk = Math.max(0, Math.floor((from * rate) / frames)); chunk * frames < to * rate; chunk++) {
      if (this.covered.has(chunk)) continue;
      this.covered.add(chunk);
      // Chunks wholly before the start play nothing.
      if ((chunk + 1) * frames <= this.firstFrame()) continue;
      if (!this.vc.live) {
        this.play([chunk], frames);
        continue;
      }
      if (run.length > 0 && run[run.length - 1] !== chunk - 1) {
        this.play(run, frames);
        run = [];
      }
      run.push(chunk);
    }
    if (run.length > 0) this.play(run, frames);
  }

  dispose(): void {
    this.sources.dispose();
  }

  /** The story frame the voice starts at. */
  private firstFrame(): number {
    return Math.round(this.vc.start * this.vc.context.sampleRate);
  }

  /**
   * Plays the chunks into `sink` instead of through buffer sources (before
   * the first `cover`): live, the page's mixer worklet takes them as arrays.
   */
  drain(sink: ChunkSink): this {
    this.sink = sink;
    return this;
  }

  /** Draws the consecutive chunks `run` (of `frames` each) into one buffer and plays it. */
  private play(run: readonly number[], frames: number): void {
    const context = this.vc.context;
    const first = this.firstFrame();
    // A chunk under way at the start is cut to begin exactly there: an offset into the
    // buffer would be resampled by the engine, shifted by a fraction of a sample.
    const begin = Math.max(run[0] * frames, first);
    const end = (run[run.length - 1] + 1) * frames;
    const sink = this.sink;
    const buffer = sink ? undefined : context.createBuffer(this.channels, end - begin, context.sampleRate);
    // Live, drawn straight into the arrays played (silent when they come).
    let whole: Float32Array[] = [];
    if (sink) whole = sink.take(this.channels, end - begin);
    else if (this.vc.live && buffer) whole = Array.from({ length: this.channels }, (_, side) => buffer.getChannelData(side));
    for (const chunk of run) {
      const at = chunk * frames;
      if (whole.length > 0 && at >= begin) {
        this.fill(
          whole.map((channel) => channel.subarray(at - begin, at - begin + frames)),
          at,
        );
        continue;
      }
      if (this.scratch[0]?.length !== frames) this.scratch = Array.from({ length: this.channels }, () => new Float32Array(frames));
      else for (const channel of this.scratch) channel.fill(0);
      this.fill(this.scratch, at);
      const skip = Math.max(0, begin - at);
      for (let side = 0; side < this.channels; side++) {
        const part = this.scratch[side].subarray(skip);
        if (whole.length > 0) whole[side].set(part, Math.max(0, at - begin));
        else buffer?.copyToChannel(part, side, Math.max(0, at - begin));
      }
    }
    if (sink) sink.play(whole, begin - originFrame(this.vc));
    // On a quantum: chunks, windows and pre-rolls are whole quanta long.
    else if (buffer) playBuffer(this.vc, this.sources, buffer, this.into, localFrame(this.vc, begin), end / context.sampleRate);
  }
}

/** Where a live {@link ChunkSource} may play its chunks instead of through buffer sources. */
export interface ChunkSink {
  /** `channels` silent arrays of `frames` each, to draw into. */
  take(channels: number, frames: number): Float32Array[];
  /** Plays `arrays` (drawn) from context frame `frame` on. */
  play(arrays: Float32Array[], frame: number): void;
}

/** Seconds of a texture per chunk: what the engine plays as one buffer. */
export const TEXTURE_CHUNK = 1;

/** The voice of a texture: the bus it plays in makes its nodes. */
export function textureVoice(_vc: VoiceContext, texture: Texture): Voice {
  return { texture };
}

/**
 * Pans a stereo signal in place as a StereoPannerNode does (Web Audio's
 * equal-power law for two channels): to the left, the right channel is
 * partly folded into the left; to the right, the reverse.
 */
export function stereoPan([left, right]: readonly [Float32Array, Float32Array], pan: number): void {
  const p = Math.min(1, Math.max(-1, pan));
  const x = p <= 0 ? p + 1 : p;
  const gainL = Math.cos((x * Math.PI) / 2);
  const gainR = Math.sin((x * Math.PI) / 2);
  for (let i = 0; i < left.length; i++) {
    const l = left[i];
    const r = right[i];
    if (p <= 0) {
      left[i] = l + r * gainL;
      right[i] = r * gainR;
    } else {
      left[i] = l * gainL;
      right[i] = r + l * gainR;
    }
  }
}
