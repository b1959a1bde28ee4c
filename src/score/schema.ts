/**
 * The preset format as a JSON Schema (draft 2020-12). presets/schema.json is
 * this object written out (`npm run schema`), so editors can complete and
 * check a preset as it is typed; the validator reads the same object, so the
 * two cannot drift apart.
 */
import { EVENT_TYPES, PARAM_NAMES, SCALES, VOICE_PARAMS, VOICE_TYPES } from "./voice-types.ts";

export type Schema = {
  type?: "object" | "array" | "string" | "number" | "integer";
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: false | Schema;
  propertyNames?: { pattern: string };
  maxProperties?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  enum?: readonly (string | number)[];
};

const unit = (description: string): Schema => ({ type: "number", minimum: 0, maximum: 1, description });
const ID_PATTERN = "^[a-z0-9][a-z0-9-]{0,39}$";
const VOICE_NAME_PATTERN = "^[a-z][A-Za-z0-9]{0,31}$";

const paramHints = Object.fromEntries(
  PARAM_NAMES.map((name) => {
    const uses = VOICE_TYPES.filter((type) => VOICE_PARAMS[type][name]).map((type) => `${type}: ${VOICE_PARAMS[type][name]}`);
    return [name, unit(`0–1. ${uses.join("; ")}`)];
  }),
);

export const PRESET_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://reverie.local/presets/schema.json",
  title: "Reverie preset",
  type: "object",
  required: ["id", "title", "storyLength", "voices", "beats"],
  additionalProperties: false,
  properties: {
    $schema: { type: "string", maxLength: 200 },
    id: { type: "string", pattern: ID_PATTERN, description: "Short name, used on the command line." },
    title: { type: "string", minLength: 1, maxLength: 80 },
    description: { type: "string", maxLength: 600 },
    storyLength: {
      type: "number",
      minimum: 30,
      maximum: 36000,
      description: "Natural length of the story, in seconds; renders scale the beats to the chosen story length.",
    },
    voices: {
      type: "object",
      description: "The voices the soundscape uses, by name.",
      propertyNames: { pattern: VOICE_NAME_PATTERN },
      maxProperties: 16,
      additionalProperties: {
        type: "object",
        required: ["type"],
        additionalProperties: false,
        properties: {
          type: { type: "string", enum: VOICE_TYPES },
          label: {
            type: "string",
            minLength: 1,
            maxLength: 40,
            description: "The voice's name as a listener sees it in the player's mixer, e.g. \"Harmony\" (default: the name, in words).",
          },
          gain: { type: "number", minimum: -40, maximum: 6, description: "Trim of the voice, in dB." },
          pan: { type: "number", minimum: -1, maximum: 1, description: "Stereo position, -1 left to 1 right." },
          root: { type: "integer", minimum: 24, maximum: 96, description: "Tonal centre, as a MIDI note (pad, motif)." },
          scale: { type: "string", enum: Object.keys(SCALES) },
        },
      },
    },
    beats: {
      type: "array",
      minItems: 1,
      maxItems: 64,
      description: "The story, beat by beat.",
      items: {
        type: "object",
        required: ["id", "caption", "length", "targets"],
        additionalProperties: false,
        properties: {
          id: { type: "string", pattern: ID_PATTERN },
          caption: { type: "string", minLength: 1, maxLength: 300, description: "The line of the story this beat tells." },
          length: { type: "number", exclusiveMinimum: 0, maximum: 1000, description: "Relative length of the beat." },
          transition: {
            type: "number",
            minimum: 0,
            maximum: 600,
            description: "Seconds (at the natural story length) over which the voices move to this beat's targets.",
          },
          colors: {
            type: "array",
            minItems: 2,
            maxItems: 3,
            items: { type: "string", pattern: "^#[0-9a-fA-F]{6}$" },
            description: "Colours of the scene, for the player's visual.",
          },
          targets: {
            type: "object",
            description: "Where each voice's parameters go during this beat.",
            propertyNames: { pattern: VOICE_NAME_PATTERN },
            maxProperties: 16,
            additionalProperties: {
              type: "object",
              additionalProperties: false,
              properties: paramHints,
            },
          },
          events: {
            type: "array",
            maxItems: 32,
            items: {
              type: "object",
              required: ["type", "voice", "at"],
              additionalProperties: false,
              properties: {
                type: { type: "string", enum: Object.keys(EVENT_TYPES) },
                voice: { type: "string", pattern: VOICE_NAME_PATTERN },
                at: unit("When in the beat, 0 its start to 1 its end."),
                intensity: unit("How strong the event is."),
              },
            },
          },
        },
      },
    },
  },
} as const satisfies Schema & Record<string, unknown>;
