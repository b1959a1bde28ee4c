/**
 * Presets: parsing and validation, into the typed form of preset-types.ts.
 * No file system here: the command line and the page each read the text
 * their own way and hand it to `parsePreset`.
 */
import { PRESET_SCHEMA, type Schema } from "./schema.ts";
import { describe, validate, type ValidationError } from "./validate.ts";
import type { Beat, BeatEvent, Preset, VoiceSpec } from "./preset-types.ts";
import type { Decibels } from "../core/units.ts";
import { EVENT_TYPES, type EventType, type ParamName, type ScaleName, VOICE_PARAMS, type VoiceType } from "./voice-types.ts";

export type { Beat, BeatEvent, Preset, VoiceSpec } from "./preset-types.ts";

/** Presets larger than this are refused before parsing (a preset is a few kB). */
export const MAX_PRESET_BYTES = 1_000_000;
const DEFAULT_COLORS = ["#2a2440", "#6b5a7e", "#c9a27e"];

export class PresetError extends Error {
  constructor(
    readonly source: string,
    readonly problems: ValidationError[],
  ) {
    const first = problems[0];
    super(`${source}: ${first.path === "(root)" ? "" : `${first.path}: `}${first.message}`);
    this.name = "PresetError";
  }
}

/** Parses preset text (JSON). `source` names it in messages (a path or a file name). */
export function parsePreset(text: string, source: string): Preset {
  // Each UTF-16 unit is at most 3 bytes of UTF-8: a text this short is within the limit.
  const bytes = text.length > MAX_PRESET_BYTES / 3 ? new TextEncoder().encode(text).length : text.length;
  if (bytes > MAX_PRESET_BYTES) {
    const size = (n: number) => n.toLocaleString("en");
    throw new PresetError(source, [
      { path: "(root)", message: `is ${size(bytes)} bytes; a preset is at most ${size(MAX_PRESET_BYTES)} bytes` },
    ]);
  }
  let value: unknown;
  try {
    // A byte-order mark (some editors save UTF-8 with one) is not part of the JSON.
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PresetError(source, [{ path: "(root)", message: `is not valid JSON (${reason})` }]);
  }
  return presetFromValue(value, source);
}

/** Validates an already-parsed JSON value and returns the typed preset. */
export function presetFromValue(value: unknown, source: string): Preset {
  const problems = validate(value, PRESET_SCHEMA as Schema);
  if (problems.length > 0) throw new PresetError(source, problems);
  const raw = value as RawPreset;

  const voices: VoiceSpec[] = Object.keys(raw.voices).map((name) => {
    const v = raw.voices[name];
    return {
      name,
      ...(v.label === undefined ? {} : { label: v.label }),
      type: v.type,
      gain: v.gain ?? 0,
      pan: v.pan ?? 0,
      root: v.root ?? 50,
      scale: v.scale ?? "major",
    };
  });
  const byName = new Map(voices.map((v) => [v.name, v]));
  if (voices.length === 0) problems.push({ path: "voices", message: "names no voice; a preset needs at least one" });

  const seenBeats = new Set<string>();
  const beats: Beat[] = raw.beats.map((b, i) => {
    const at = `beats[${i}]`;
    if (seenBeats.has(b.id)) problems.push({ path: `${at}.id`, message: `repeats the beat id "${b.id}"` });
    seenBeats.add(b.id);
    const targets = new Map<string, Partial<Record<ParamName, number>>>();
    for (const name of Object.keys(b.targets)) {
      const voice = byName.get(name);
      if (!voice) {
        problems.push({
          path: `${at}.targets.${name}`,
          message: `names no voice of this preset (voices: ${[...byName.keys()].join(", ")})`,
        });
        continue;
      }
      const params: Partial<Record<ParamName, number>> = {};
      for (const param of Object.keys(b.targets[name]) as ParamName[]) {
        if (!VOICE_PARAMS[voice.type][param]) {
          const allowed = Object.keys(VOICE_PARAMS[voice.type]).join(", ");
          problems.push({
            path: `${at}.targets.${name}.${param}`,
            message: `is not a parameter of a ${voice.type} voice (expected one of: ${allowed})`,
          });
        }
        params[param] = b.targets[name][param];
      }
      targets.set(name, params);
    }
    const events: BeatEvent[] = (b.events ?? []).map((e, j) => {
      const voice = byName.get(e.voice);
      const path = `${at}.events[${j}].voice`;
      if (!voice) problems.push({ path, message: `names no voice of this preset, got ${describe(e.voice)}` });
      else if (!(EVENT_TYPES[e.type].voices as readonly string[]).includes(voice.type)) {
        problems.push({
          path,
          message: `a ${e.type} event is played by a ${EVENT_TYPES[e.type].voices.join(" or ")} voice, and ${e.voice} is a ${voice.type}`,
        });
      }
      return { type: e.type, voice: e.voice, at: e.at, intensity: e.intensity ?? 0.7 };
    });
    return {
      id: b.id,
      caption: b.caption,
      length: b.length,
      transition: b.transition ?? 8,
      colors: b.colors ?? DEFAULT_COLORS,
      targets,
      events,
    };
  });
  if (problems.length > 0) throw new PresetError(source, problems);

  return {
    id: raw.id,
    title: raw.title,
    description: raw.description ?? "",
    storyLength: raw.storyLength,
    voices,
    beats,
  };
}

/** The JSON shape after schema validation (fields as the schema guarantees them). */
interface RawPreset {
  id: string;
  title: string;
  description?: string;
  storyLength: number;
  voices: Record<string, { type: VoiceType; label?: string; gain?: Decibels; pan?: number; root?: number; scale?: ScaleName }>;
  beats: {
    id: string;
    caption: string;
    length: number;
    transition?: number;
    colors?: string[];
    targets: Record<string, Partial<Record<ParamName, number>>>;
    events?: { type: EventType; voice: string; at: number; intensity?: number }[];
  }[];
}
