/**
 * The typed form of a preset, as preset.ts parses it: what the planner and
 * the voices read. Types only, below everything that validates a preset, so
 * the voices can read a preset without reaching the validator.
 */
import type { Decibels } from "../core/units.ts";
import type { EventType, ParamName, ScaleName, VoiceType } from "./voices/vocabulary.ts";

export interface VoiceSpec {
  name: string;
  type: VoiceType;
  /** Trim of the voice, in dB. */
  gain: Decibels;
  /** Stereo position, -1 to 1. */
  pan: number;
  /** Tonal centre as a MIDI note (pad, motif). */
  root: number;
  scale: ScaleName;
}

export interface BeatEvent {
  type: EventType;
  voice: string;
  /** Position in the beat, 0–1. */
  at: number;
  /** 0–1. */
  intensity: number;
}

export interface Beat {
  id: string;
  caption: string;
  /** Relative length. */
  length: number;
  /** Seconds at the natural story length. */
  transition: number;
  colors: string[];
  /** voice name → parameter → 0–1. */
  targets: Map<string, Partial<Record<ParamName, number>>>;
  events: BeatEvent[];
}

export interface Preset {
  id: string;
  title: string;
  description: string;
  /** Natural story length, in seconds. */
  storyLength: number;
  voices: VoiceSpec[];
  beats: Beat[];
}
