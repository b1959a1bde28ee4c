/**
 * The voices a preset can use, the parameters a beat can move for each, and
 * the one-shot events each can play. Plain data: the schema, the validator,
 * the planner and the page all read it.
 */

export const VOICE_TYPES = ["waterfall", "leaves", "nightAir", "pad", "motif", "lake", "rain", "waves", "fire", "driftNoise"] as const;
export type VoiceType = (typeof VOICE_TYPES)[number];

/** Every parameter a beat may target; each is 0–1. */
export const PARAM_NAMES = ["level", "brightness", "density", "rate", "mood", "register"] as const;
export type ParamName = (typeof PARAM_NAMES)[number];
export type Params = Record<ParamName, number>;

/** What each parameter means, per voice type (the page shows these as hints). */
export const VOICE_PARAMS: Record<VoiceType, Partial<Record<ParamName, string>>> = {
  waterfall: {
    level: "loudness of the distant fall",
    brightness: "how much spray is heard over the rumble",
    rate: "how fast the hum breathes",
  },
  leaves: {
    level: "loudness of the canopy",
    density: "how often gusts pass through",
    brightness: "how crisp the rustle is",
  },
  nightAir: {
    level: "loudness of the night air",
    density: "how many insects sing",
    brightness: "how airy the wind is",
    rate: "how fast the wind moves",
  },
  pad: {
    level: "loudness of the harmony",
    brightness: "how open the filter is",
    mood: "0 dusky minor, 0.5 warm, 1 radiant",
  },
  motif: {
    level: "loudness of the melody",
    density: "how many notes are played",
    register: "how high the melody sits",
    brightness: "how bell-like the tone is",
  },
  lake: {
    level: "loudness of the water",
    density: "how often the water laps",
    brightness: "how clear the lapping is",
  },
  rain: {
    level: "loudness of the rain",
    density: "how heavy it falls: a light patter to a steady hush",
    brightness: "how close and crisp the drops are",
  },
  waves: {
    level: "loudness of the sea",
    density: "how often the waves come in",
    brightness: "how much foam and shingle is heard as they draw back",
  },
  fire: {
    level: "loudness of the fire",
    density: "how much the wood crackles",
    brightness: "how bright the flames hiss",
  },
  driftNoise: {
    level: "loudness of the hush",
    brightness: "its colour: 0 deep brown, 0.5 pink, 1 airy",
    rate: "breaths per minute, from 3 at 0 to 8 at 1",
    density: "how deep each breath is",
  },
};

/** Values a parameter has before any beat sets it. */
export const PARAM_DEFAULTS: Params = {
  level: 0,
  brightness: 0.5,
  density: 0.5,
  rate: 0.5,
  mood: 0.5,
  register: 0.5,
};

/** One-shot events a beat can place, and the voice types that play them. */
export const EVENT_TYPES = {
  leap: { voices: ["lake"], about: "a silver fish leaps; a soft splash and spreading ripples" },
  swell: { voices: ["pad"], about: "the harmony swells and settles (the figure from the mist)" },
  chime: { voices: ["motif"], about: "a short phrase of the melody (a spark of connection)" },
  gust: { voices: ["leaves", "nightAir"], about: "one long breath of wind" },
  shower: { voices: ["rain"], about: "a heavier shower passes over and eases off" },
  surge: { voices: ["waves"], about: "a set of larger waves rolls in from far out" },
  settle: { voices: ["fire"], about: "a log settles: a soft thump and a flurry of sparks" },
} as const satisfies Record<string, { voices: readonly VoiceType[]; about: string }>;
export type EventType = keyof typeof EVENT_TYPES;

export const SCALES = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  lydian: [0, 2, 4, 6, 7, 9, 11],
  pentatonic: [0, 2, 4, 7, 9],
} as const;
export type ScaleName = keyof typeof SCALES;
