/**
 * What every voice is made of: the clock that maps story time to context
 * time, ramps and envelopes placed at absolute times, seeded noise that never
 * loops, and oscillators whose phase follows absolute time.
 */
import * as Tone from "tone";
import type { ScoreEvent } from "../score/events.ts";
import type { Random } from "../score/random.ts";
import type { Params } from "../score/voice-types.ts";

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
}

/** A voice of the soundscape, built by a `createX(voiceContext, options, rng)` factory. */
export interface Voice {
  /** Stereo output. */
  readonly output: Tone.ToneAudioNode;
  /** Moves the voice's parameters to `controls` at story time `time` (a ramp from the previous call; the first call jumps). */
  set(controls: Params, time: number): void;
  /** Plays a score event (a chord, a note, a lap, a leap…) at its story time. */
  play(event: ScoreEvent): void;
  /** Makes sure the voice's sources cover story time [from, to). */
  cover(from: number, to: number): void;
  /** Disposes every node the voice made. */
  dispose(): void;
}

/** Context time for a story time. */
export function local(vc: VoiceContext, time: number): number {
  return time - vc.origin;
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
  ) {}

  to(value: number, time: number): void {
    const at = local(this.vc, Math.max(this.vc.start, time));
    if (Number.isNaN(this.last)) this.param.setValueAtTime(value, at);
    else if (Math.abs(value - this.last) < 1e-6) {
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

/** Equal-power split of a level between a dark and a bright path, by brightness 0–1. */
export function darkBright(gain: number, brightness: number): [number, number] {
  const b = Math.min(1, Math.max(0, brightness));
  return [gain * Math.cos((b * Math.PI) / 2), gain * Math.sin((b * Math.PI) / 2)];
}

/**
 * A chain of native biquads (Tone.BiquadFilter) of one type and frequency,
 * -12 dB/octave each. Their frequencies stay fixed: an automated biquad
 * recomputes its coefficients every sample and costs five times as much
 * (brightness is a crossfade between fixed paths instead). Q is linear for a
 * bandpass; lowpass and highpass take it in dB, and default to Butterworth.
 */
export function biquads(context: Tone.BaseContext, type: BiquadFilterType, frequency: number, count = 1, Q = type === "bandpass" ? 0.7 : -3.01): Tone.BiquadFilter[] {
  const filters = Array.from({ length: count }, () => new Tone.BiquadFilter({ context, type, frequency, Q }));
  for (let i = 1; i < filters.length; i++) filters[i - 1].connect(filters[i]);
  return filters;
}

/**
 * Schedules a piecewise-linear envelope of (story time, value) points. Points
 * before the voice's start are folded into the value at its start, so an
 * event that began earlier (a long chord) sounds as if it had always played.
 */
export function envelope(vc: VoiceContext, param: Automatable, points: [number, number][]): void {
  const inside = points.findIndex(([time]) => time >= vc.start);
  if (inside === -1) return;
  if (inside === 0) param.setValueAtTime(points[0][1], local(vc, points[0][0]));
  else {
    const [t0, v0] = points[inside - 1];
    const [t1, v1] = points[inside];
    param.setValueAtTime(v0 + ((v1 - v0) * (vc.start - t0)) / (t1 - t0), local(vc, vc.start));
  }
  for (let i = inside === 0 ? 1 : inside; i < points.length; i++) {
    param.linearRampToValueAtTime(points[i][1], local(vc, points[i][0]));
  }
}

/**
 * Keeps one-shot nodes (a note, a chord, a noise chunk) in `pool` until the
 * voice is disposed; live, disposes them soon after `source` ends.
 */
export class NodePool {
  private readonly groups = new Set<Tone.ToneAudioNode[]>();

  constructor(private readonly vc: VoiceContext) {}

  add(source: { onended: (source: never) => void }, nodes: Tone.ToneAudioNode[]): void {
    this.groups.add(nodes);
    if (!this.vc.live) return;
    source.onended = () => {
      this.vc.context.setTimeout(() => {
        for (const node of nodes) node.dispose();
        this.groups.delete(nodes);
      }, 0.5);
    };
  }

  dispose(): void {
    for (const nodes of this.groups) for (const node of nodes) node.dispose();
    this.groups.clear();
  }
}

/** Seconds of noise per generated buffer. */
const NOISE_CHUNK = 5;

/**
 * Seeded stereo white noise, generated in 5 s chunks keyed on the chunk's
 * index in story time: it never loops, and any stretch of it is the same
 * whichever window of time is rendered.
 */
export class NoiseSource {
  readonly output: Tone.Gain;
  private readonly covered = new Set<number>();
  private readonly sources: NodePool;

  constructor(
    private readonly vc: VoiceContext,
    private readonly rng: Random,
  ) {
    this.output = new Tone.Gain({ context: vc.context });
    this.sources = new NodePool(vc);
  }

  cover(from: number, to: number): void {
    const context = this.vc.context;
    const rate = context.sampleRate;
    const frames = Math.round(NOISE_CHUNK * rate);
    for (let chunk = Math.max(0, Math.floor(from / NOISE_CHUNK)); chunk * NOISE_CHUNK < to; chunk++) {
      if (this.covered.has(chunk)) continue;
      this.covered.add(chunk);
      const startsAt = local(this.vc, chunk * NOISE_CHUNK);
      const now = local(this.vc, this.vc.start);
      if (startsAt + NOISE_CHUNK <= now) continue;
      const buffer = context.createBuffer(2, frames, rate);
      for (let channel = 0; channel < 2; channel++) {
        const next = this.rng.stream(chunk, channel);
        const data = buffer.getChannelData(channel);
        for (let i = 0; i < frames; i++) data[i] = next() * 2 - 1;
      }
      const source = new Tone.ToneBufferSource({ context, url: new Tone.ToneAudioBuffer(buffer) });
      source.connect(this.output);
      this.sources.add(source, [source]);
      if (startsAt >= now) source.start(startsAt);
      else source.start(now, now - startsAt);
    }
  }

  dispose(): void {
    this.sources.dispose();
    this.output.dispose();
  }
}

/**
 * A periodic wave of harmonics with the given relative amplitudes, rotated to
 * `phase` (radians of the fundamental), so an oscillator started late still
 * lines up with one that has run since story time 0. The wave is normalised
 * to a peak of 1 (node-web-audio-api normalises even when asked not to), so
 * set levels with gains, never with the amplitudes.
 */
export function phasedWave(context: Tone.BaseContext, amplitudes: number[], phase: number): PeriodicWave {
  const real = new Float32Array(amplitudes.length + 1);
  const imag = new Float32Array(amplitudes.length + 1);
  amplitudes.forEach((a, i) => {
    const n = i + 1;
    real[n] = a * Math.sin(n * phase);
    imag[n] = a * Math.cos(n * phase);
  });
  return context.createPeriodicWave(real, imag);
}

/** Phase (radians) that an oscillator of `frequency` Hz started at story time `since` has at story time `at`. */
export function phaseAt(frequency: number, since: number, at: number): number {
  const cycles = frequency * (at - since);
  return 2 * Math.PI * (cycles - Math.floor(cycles));
}

/** A MIDI note's frequency, in Hz. */
export function midiToHz(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}

/** Perceptual level curve: a 0–1 level to a gain factor. */
export function levelToGain(level: number): number {
  const x = Math.min(1, Math.max(0, level));
  return x * x;
}

/** An exponential mapping of 0–1 onto [lo, hi] Hz, as the ear hears pitch. */
export function expMap(x: number, lo: number, hi: number): number {
  return lo * (hi / lo) ** Math.min(1, Math.max(0, x));
}
