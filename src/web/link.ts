/**
 * What a link carries: preset, seed, story length, drift, the mixer and the
 * volume, so opening a shared link plays the same soundscape. A link is
 * untrusted input: it is checked against a schema by the same validator as
 * presets, and a bad one falls back to the defaults with a notice.
 *
 *   ?preset=dream&seed=7&story=20&drift=1&volume=70&mix.leaves=40
 *
 * `customLength=20s` carries a story length outside the menu (5 s to 60 min),
 * so the end-to-end tests play and download seconds rather than minutes.
 */
import { formatDuration, parseDuration } from "../core/duration.ts";
import type { Preset } from "../score/preset.ts";
import type { Schema } from "../score/schema.ts";
import { describe, validate, type ValidationError } from "../score/validate.ts";

/** Story lengths offered, in minutes. */
export const STORY_MINUTES = [10, 20, 30, 45, 60] as const;

/** The listener's settings, as a link carries them. */
export interface ListenState {
  presetId: string;
  /** A number or a word, as on the command line (`--seed`). */
  seed: string;
  /** Story length, in seconds. */
  story: number;
  /** Whether the last scene drifts on endlessly after the story. */
  drift: boolean;
  /** Voice name → volume 0–100 on top of the score; voices not named play at 100. */
  voiceVolumes: Record<string, number>;
  /** Master volume, 0–100 (a perceptual curve turns it into gain). */
  volume: number;
}

export interface LinkReading {
  state: ListenState;
  /** Why the link was not used, to show the listener; null when it was fine (or empty). */
  notice: string | null;
}

export const DEFAULT_SEED = "1";
export const DEFAULT_VOLUME = 70;
export const DEFAULT_VOICE_VOLUME = 100;
/** Shortest and longest `customLength`, in seconds. */
const CUSTOM_LENGTH = { min: 5, max: 3600 };

const NUMERIC = new Set(["story", "drift", "volume"]);

const LINK_SCHEMA: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    preset: { type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,39}$" },
    seed: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" },
    story: { type: "integer", enum: STORY_MINUTES },
    customLength: { type: "string", maxLength: 12 },
    drift: { type: "integer", enum: [0, 1] },
    volume: { type: "integer", minimum: 0, maximum: 100 },
    mix: {
      type: "object",
      maxProperties: 32,
      propertyNames: { pattern: "^[a-z][A-Za-z0-9]{0,31}$" },
      additionalProperties: { type: "integer", minimum: 0, maximum: 100 },
    },
  },
};

/** The settings a page opens with for this preset. */
export function defaultState(preset: Preset): ListenState {
  const natural = preset.storyLength / 60;
  const story = (STORY_MINUTES as readonly number[]).includes(natural) ? natural : 30;
  return { presetId: preset.id, seed: DEFAULT_SEED, story: story * 60, drift: false, voiceVolumes: {}, volume: DEFAULT_VOLUME };
}

/**
 * Reads a link's query string. Unknown parameters (messengers add their own)
 * are ignored; a known one with a bad value rejects the whole link, so a
 * listener never gets half of someone else's settings.
 */
export function readLink(search: string, presets: ReadonlyMap<string, Preset>, fallback: Preset): LinkReading {
  const params = new URLSearchParams(search);
  const raw: Record<string, unknown> & { mix?: Record<string, unknown> } = {};
  const problems: ValidationError[] = [];
  const known = new Set(Object.keys(LINK_SCHEMA.properties ?? {}));
  for (const key of new Set(params.keys())) {
    const mixVoice = key.startsWith("mix.") ? key.slice(4) : null;
    if (mixVoice === null && !known.has(key)) continue;
    const values = params.getAll(key);
    if (values.length > 1) problems.push({ path: key, message: "is given more than once" });
    if (mixVoice !== null) {
      raw.mix ??= {};
      raw.mix[mixVoice] = asNumber(values[0]);
    } else raw[key] = NUMERIC.has(key) ? asNumber(values[0]) : values[0];
  }
  problems.push(...validate(raw, LINK_SCHEMA));

  const state = defaultState(fallback);
  if (problems.length === 0) {
    const preset = raw.preset === undefined ? fallback : presets.get(raw.preset as string);
    if (!preset) {
      problems.push({
        path: "preset",
        message: `names no preset (presets: ${[...presets.keys()].join(", ")}), got ${describe(raw.preset)}`,
      });
    } else {
      Object.assign(state, defaultState(preset));
      if (raw.seed !== undefined) state.seed = raw.seed as string;
      if (raw.story !== undefined) state.story = (raw.story as number) * 60;
      if (raw.drift !== undefined) state.drift = raw.drift === 1;
      if (raw.volume !== undefined) state.volume = raw.volume as number;
      const voices = preset.voices.map((v) => v.name);
      for (const [voice, volume] of Object.entries(raw.mix ?? {})) {
        if (!voices.includes(voice))
          problems.push({ path: `mix.${voice}`, message: `names no voice of ${preset.id} (voices: ${voices.join(", ")})` });
        else state.voiceVolumes[voice] = volume as number;
      }
      if (raw.customLength !== undefined) {
        const seconds = lengthOf(raw.customLength as string);
        if (seconds === null) {
          problems.push({ path: "customLength", message: `expected a length from 5s to 60m, got ${describe(raw.customLength)}` });
        } else state.story = seconds;
      }
    }
  }
  if (problems.length > 0) {
    const lines = problems.map((p) => `link: ${p.path === "(root)" ? "" : `${p.path}: `}${p.message}`);
    return {
      state: defaultState(fallback),
      notice: `This link could not be read, so Reverie starts from its defaults. ${lines.join("; ")}`,
    };
  }
  return { state, notice: null };
}

/** The query string for these settings. */
export function writeLink(state: ListenState): string {
  const params = new URLSearchParams();
  params.set("preset", state.presetId);
  params.set("seed", state.seed);
  const minutes = state.story / 60;
  if ((STORY_MINUTES as readonly number[]).includes(minutes)) params.set("story", String(minutes));
  else params.set("customLength", formatDuration(state.story));
  params.set("drift", state.drift ? "1" : "0");
  params.set("volume", String(state.volume));
  for (const [voice, volume] of Object.entries(state.voiceVolumes)) {
    if (volume !== DEFAULT_VOICE_VOLUME) params.set(`mix.${voice}`, String(volume));
  }
  return `?${params.toString()}`;
}

/** Seconds for a custom length, or null when it is no length or out of range. */
function lengthOf(text: string): number | null {
  try {
    const seconds = parseDuration(text);
    return seconds >= CUSTOM_LENGTH.min && seconds <= CUSTOM_LENGTH.max ? seconds : null;
  } catch {
    return null;
  }
}

/** A decimal number as a number; anything else stays text, so the message quotes it. */
function asNumber(text: string): unknown {
  return /^-?\d{1,12}(\.\d{1,12})?$/.test(text) ? Number(text) : text;
}
