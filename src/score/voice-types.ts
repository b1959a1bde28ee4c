/**
 * The voices a preset can use, the parameters a beat can move for each, and
 * the one-shot events each can play, read off the voices themselves
 * (voices/index.ts). Plain data: the schema, the validator, the planner and
 * the page all read it.
 */
import { VOICES } from "./voices/index.ts";
import { EVENT_ABOUT, type EventType, type ParamName, VOICE_TYPES, type VoiceType } from "./voices/vocabulary.ts";

export {
  type EventType,
  PARAM_DEFAULTS,
  PARAM_NAMES,
  type ParamName,
  type Params,
  SCALES,
  type ScaleName,
  VOICE_TYPES,
  type VoiceType,
} from "./voices/vocabulary.ts";

/** What each parameter means, per voice type (the page shows these as hints). */
export const VOICE_PARAMS: Record<VoiceType, Partial<Record<ParamName, string>>> = byKey(VOICE_TYPES, (type) => VOICES[type].params);

/** One-shot events a beat can place, and the voice types that play them. */
export const EVENT_TYPES: Record<EventType, { voices: readonly VoiceType[]; about: string }> = byKey(
  Object.keys(EVENT_ABOUT) as EventType[],
  (type) => ({ voices: VOICE_TYPES.filter((voice) => VOICES[voice].plays.includes(type)), about: EVENT_ABOUT[type] }),
);

/** An object with `keys`, in their order, each holding `value(key)`. */
function byKey<K extends string, V>(keys: readonly K[], value: (key: K) => V): Record<K, V> {
  return Object.fromEntries(keys.map((key) => [key, value(key)])) as Record<K, V>;
}
