/**
 * The story laid out in time: when each beat starts and ends at the chosen
 * story length, where every voice parameter stands at time t, and the master
 * fade. Every value is a pure function of (preset, seed, lengths, t).
 */
import type { Beat, Preset, VoiceSpec } from "./preset-types.ts";
import type { Random } from "../core/random.ts";
import { smoothNoise } from "./modulation.ts";
import { PARAM_DEFAULTS, PARAM_NAMES, type ParamName, type Params } from "./voices/vocabulary.ts";

export interface PlanOptions {
  /** Story length in seconds; default the preset's natural length, capped at `total`. */
  story?: number;
  /** Total length in seconds; default the story length. Infinity plays on without end. */
  total?: number;
  /** Seconds of fade-in at the start; default 10 (or a tenth of a short render). */
  fadeIn?: number;
  /** Seconds of fade-out at the end; default 30 (or a quarter of a short render). */
  fadeOut?: number;
}

export interface PlannedBeat {
  beat: Beat;
  index: number;
  /** Start, in seconds from the beginning of the render. */
  start: number;
  /** End, in seconds. */
  end: number;
  /** Seconds over which the voices move to this beat's targets. */
  transition: number;
}

interface Segment {
  start: number;
  duration: number;
  from: number;
  to: number;
}

export interface Plan {
  preset: Preset;
  random: Random;
  /** Seconds. */
  story: number;
  /** Seconds; Infinity for an endless drift. */
  total: number;
  fadeIn: number;
  fadeOut: number;
  beats: PlannedBeat[];
  /** voice → param → transitions, in time order. */
  curves: Map<string, Record<ParamName, Segment[]>>;
}

/** How far the final scene's parameters wander while it drifts on (0–1 units, levels as a fraction). */
const DRIFT_DEPTH = 0.12;
/** Seconds over which the drift grows in after the story ends. */
const DRIFT_ONSET = 30;

export function planStory(preset: Preset, seed: Random, options: PlanOptions = {}): Plan {
  const total = options.total ?? options.story ?? preset.storyLength;
  const story = Math.min(options.story ?? preset.storyLength, total);
  if (!(story > 0) || !(total > 0)) throw new RangeError("story and total length must be positive");
  const scale = story / preset.storyLength;
  const weight = preset.beats.reduce((sum, b) => sum + b.length, 0);

  let cursor = 0;
  const beats: PlannedBeat[] = preset.beats.map((beat, index) => {
    const start = cursor;
    const end = index === preset.beats.length - 1 ? story : start + (beat.length / weight) * story;
    cursor = end;
    const transition = Math.min(end - start, Math.max(1, beat.transition * scale));
    return { beat, index, start, end, transition };
  });

  const curves = new Map<string, Record<ParamName, Segment[]>>();
  for (const voice of preset.voices) {
    const record = {} as Record<ParamName, Segment[]>;
    for (const param of PARAM_NAMES) {
      const segments: Segment[] = [];
      let value = PARAM_DEFAULTS[param];
      for (const planned of beats) {
        const target = planned.beat.targets.get(voice.name)?.[param];
        if (target === undefined) continue;
        // The first beat starts where it means to be: the master fade-in brings it up.
        const from = segments.length === 0 && planned.index === 0 ? target : value;
        segments.push({ start: planned.start, duration: planned.transition, from, to: target });
        value = target;
      }
      record[param] = segments;
    }
    curves.set(voice.name, record);
  }

  const fadeIn = options.fadeIn ?? Math.min(10, total / 10);
  const fadeOut = Number.isFinite(total) ? (options.fadeOut ?? Math.min(30, total / 4)) : 0;
  return { preset, random: seed, story, total, fadeIn, fadeOut, beats, curves };
}

/** The beat playing at time t (the last one while the final scene drifts on). */
export function beatAt(plan: Plan, t: number): PlannedBeat {
  for (const planned of plan.beats) if (t < planned.end) return planned;
  return plan.beats[plan.beats.length - 1];
}

/** A voice's targeted parameters at time t, before the voice's own motion. */
export function paramsAt(plan: Plan, voice: VoiceSpec, t: number): Params {
  const record = plan.curves.get(voice.name);
  const params = { ...PARAM_DEFAULTS };
  if (!record) return params;
  for (const param of PARAM_NAMES) {
    params[param] = segmentValue(record[param], t, PARAM_DEFAULTS[param]);
  }
  if (t > plan.story) drift(plan, voice, t, params);
  return params;
}

function segmentValue(segments: Segment[], t: number, fallback: number): number {
  let found: Segment | undefined;
  for (const segment of segments) {
    if (segment.start > t) break;
    found = segment;
  }
  if (!found) return segments.length > 0 ? segments[0].from : fallback;
  const x = found.duration > 0 ? (t - found.start) / found.duration : 1;
  if (x >= 1) return found.to;
  return found.from + (found.to - found.from) * smoothstep(x);
}

/** After the story: the final scene wanders slowly, seeded, never repeating. */
function drift(plan: Plan, voice: VoiceSpec, t: number, params: Params): void {
  const onset = Math.min(1, (t - plan.story) / DRIFT_ONSET);
  const rng = plan.random.fork(`drift:${voice.name}`);
  for (const param of PARAM_NAMES) {
    const wander = smoothNoise(rng.fork(param), t, 47) * DRIFT_DEPTH * onset;
    const value = param === "level" ? params.level * (1 + 2 * wander) : params[param] + wander;
    params[param] = Math.min(1, Math.max(0, value));
  }
}

/** Master gain at time t: a gentle fade-in and fade-out (equal-power curves), 0–1. */
export function masterGainAt(plan: Plan, t: number): number {
  let gain = 1;
  if (plan.fadeIn > 0 && t < plan.fadeIn) gain *= Math.sin((Math.PI / 2) * Math.max(0, t / plan.fadeIn)) ** 2;
  const untilEnd = plan.total - t;
  if (plan.fadeOut > 0 && untilEnd < plan.fadeOut) {
    gain *= Math.sin((Math.PI / 2) * Math.max(0, untilEnd / plan.fadeOut)) ** 2;
  }
  return gain;
}

export function smoothstep(x: number): number {
  const c = Math.min(1, Math.max(0, x));
  return c * c * (3 - 2 * c);
}
