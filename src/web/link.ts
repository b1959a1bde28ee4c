/**
 * What a link carries: preset, seed, story length, the mixer and the volume,
 * so opening a shared link plays the same soundscape. A link is
 * untrusted input: each parameter is checked against a schema by the same
 * validator as presets, and a bad one is left out, with a notice naming it
 * in plain words, while the good ones are used.
 *
 *   ?preset=dream&seed=7&story=20&volume=70&mix.leaves=40
 *
 * `customLength=20s` carries a story length outside the menu (5 s to 60 min),
 * so the end-to-end tests play and download seconds rather than minutes.
 */
import { formatDuration, parseDuration } from "../core/duration.ts";
import type { Preset } from "../score/preset.ts";
import type { Schema } from "../score/schema.ts";
import { validate } from "../score/validate.ts";
import { voiceTitle } from "./format.ts";

/** Story lengths offered, in minutes. */
export const STORY_MINUTES = [10, 20, 30, 45, 60] as const;

/** The listener's settings, as a link carries them. */
export interface ListenState {
  presetId: string;
  /** A number or a word, as on the command line (`--seed`). */
  seed: string;
  /** Story length, in seconds. */
  story: number;
  /** Voice name → volume 0–100 on top of the score; voices not named play at 100. */
  voiceVolumes: Record<string, number>;
  /** Master volume, 0–100 (a perceptual curve turns it into gain). */
  volume: number;
}

export interface LinkReading {
  state: ListenState;
  /** What of the link was left out, to show the listener; null when all of it was used (or it was empty). */
  notice: string | null;
  /** Whether the link carried any setting (else the page may start from the last visit's). */
  given: boolean;
  /** The soundscape the link names when it is none of the presets given (it may be one of the listener's own, still loading). */
  missingPreset: string | null;
}

export const DEFAULT_SEED = "1";
export const DEFAULT_VOLUME = 70;
export const DEFAULT_VOICE_VOLUME = 100;
/** Shortest and longest `customLength`, in seconds. */
const CUSTOM_LENGTH = { min: 5, max: 3600 };

/** Most ignored settings named one by one in the notice (a long notice would push Play off the screen). */
const NAMED_PROBLEMS = 3;

const PARAMS: Record<string, Schema> = {
  preset: { type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,39}$" },
  seed: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" },
  story: { type: "integer", enum: STORY_MINUTES },
  customLength: { type: "string", maxLength: 12 },
  volume: { type: "integer", minimum: 0, maximum: 100 },
};
const MIX_NAME = /^[a-z][A-Za-z0-9]{0,31}$/;
const MIX_VALUE: Schema = { type: "integer", minimum: 0, maximum: 100 };
const NUMERIC = new Set(["story", "volume"]);
/** What each parameter is, in the listener's words. */
const SPOKEN: Record<string, string> = {
  preset: "the soundscape",
  seed: "the variation",
  story: "the story length",
  customLength: "the story length",
  volume: "the volume",
};

/** The settings a page opens with for this preset. */
export function defaultState(preset: Preset): ListenState {
  const natural = preset.storyLength / 60;
  const story = (STORY_MINUTES as readonly number[]).includes(natural) ? natural : 30;
  return { presetId: preset.id, seed: DEFAULT_SEED, story: story * 60, voiceVolumes: {}, volume: DEFAULT_VOLUME };
}

/**
 * A link's parameters, read in one pass: the first value of each setting and
 * which settings came more than once, and every `mix.` pair in order (only
 * those of the preset's few voices are looked at further).
 */
interface RawLink {
  values: Map<string, string>;
  mix: [voice: string, value: string][];
  repeated: Set<string>;
}

function scan(search: string): RawLink {
  const raw: RawLink = { values: new Map(), mix: [], repeated: new Set() };
  for (const [key, value] of pairs(search)) {
    if (key.startsWith("mix.")) raw.mix.push([key.slice(4), value]);
    else if (!Object.hasOwn(PARAMS, key)) continue;
    else if (raw.values.has(key)) raw.repeated.add(key);
    else raw.values.set(key, value);
  }
  return raw;
}

/**
 * Reads a link's query string. Unknown parameters are ignored (messengers
 * add their own, and `drift` needs no setting: the last scene always drifts on); a known one with a bad value is left out and named in the
 * notice, and the rest of the link is used.
 */
export function readLink(search: string, presets: ReadonlyMap<string, Preset>, fallback: Preset): LinkReading {
  const { values, mix, repeated } = scan(search);
  const ignored: string[] = [];
  const good = new Map<string, unknown>();
  for (const [key, text] of values) {
    const value = NUMERIC.has(key) ? asNumber(text) : text;
    if (repeated.has(key) || validate(value, PARAMS[key]).length > 0) ignored.push(SPOKEN[key]);
    else good.set(key, value);
  }

  let preset = fallback;
  const named = good.get("preset") as string | undefined;
  const found = named === undefined ? undefined : presets.get(named);
  if (found) preset = found;
  else if (named !== undefined) ignored.push("the soundscape (there is no such soundscape here)");
  const state = defaultState(preset);
  if (good.has("seed")) state.seed = good.get("seed") as string;
  if (good.has("story")) state.story = (good.get("story") as number) * 60;
  if (good.has("volume")) state.volume = good.get("volume") as number;
  if (good.has("customLength")) {
    const seconds = lengthOf(good.get("customLength") as string);
    if (seconds === null) ignored.push(SPOKEN.customLength);
    else state.story = seconds;
  }
  readMix(mix, preset, state, ignored);
  return {
    state,
    notice: noticeFor(ignored),
    given: values.size > 0 || mix.length > 0 || repeated.size > 0,
    missingPreset: named !== undefined && !found ? named : null,
  };
}

/** The link's voice volumes that fit this preset, into `state`; what does not fit, into `ignored`. */
function readMix(mix: RawLink["mix"], preset: Preset, state: ListenState, ignored: string[]): void {
  const voices = new Map(preset.voices.map((v) => [v.name, v]));
  const seen = new Map<string, string | null>();
  let strangers = 0;
  for (const [voice, text] of mix) {
    if (!voices.has(voice) || !MIX_NAME.test(voice)) strangers++;
    // A voice given twice is left out, as a repeated setting is.
    else seen.set(voice, seen.has(voice) ? null : text);
  }
  for (const [voice, text] of seen) {
    const value = text === null ? null : asNumber(text);
    if (value === null || validate(value, MIX_VALUE).length > 0)
      ignored.push(`the volume of ${voiceTitle(voices.get(voice) ?? { name: voice })}`);
    else state.voiceVolumes[voice] = value as number;
  }
  if (strangers === 1) ignored.push("the volume of a voice this soundscape does not have");
  else if (strangers > 1) ignored.push(`the volumes of ${strangers} voices this soundscape does not have`);
}

/** One short sentence naming what was left out, or null when nothing was. */
function noticeFor(ignored: string[]): string | null {
  const unique = [...new Set(ignored)];
  if (unique.length === 0) return null;
  const shown = unique.slice(0, NAMED_PROBLEMS);
  const more = unique.length - shown.length;
  if (more > 0) shown.push(`${more} more setting${more === 1 ? "" : "s"}`);
  const list = shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
  return `Part of this link could not be used, so it was left out: ${list}. The rest is as the link says.`;
}

/** The query string for these settings. */
export function writeLink(state: ListenState): string {
  const params = new URLSearchParams();
  params.set("preset", state.presetId);
  params.set("seed", state.seed);
  const minutes = state.story / 60;
  if ((STORY_MINUTES as readonly number[]).includes(minutes)) params.set("story", String(minutes));
  else params.set("customLength", formatDuration(state.story));
  params.set("volume", String(state.volume));
  for (const [voice, volume] of Object.entries(state.voiceVolumes)) {
    if (volume !== DEFAULT_VOICE_VOLUME) params.set(`mix.${voice}`, String(volume));
  }
  return `?${params.toString()}`;
}

/**
 * A query string's key–value pairs, decoded as URLSearchParams decodes them
 * (a pair that does not decode is skipped): one pass over the text, with no
 * decoding for the plain names and numbers links are made of.
 */
function* pairs(search: string): Generator<[string, string]> {
  const text = search.startsWith("?") ? search.slice(1) : search;
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf("&", from);
    if (to < 0) to = text.length;
    if (to > from) {
      const equals = text.indexOf("=", from);
      const split = equals >= 0 && equals < to ? equals : to;
      const key = decoded(text.slice(from, split));
      const value = decoded(split < to ? text.slice(split + 1, to) : "");
      if (key !== null && value !== null) yield [key, value];
    }
    from = to + 1;
  }
}

function decoded(part: string): string | null {
  if (!/[%+]/.test(part)) return part;
  try {
    return decodeURIComponent(part.replaceAll("+", " "));
  } catch {
    return null;
  }
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
