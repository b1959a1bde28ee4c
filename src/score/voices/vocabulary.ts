/**
 * The words a preset uses about its voices: the voice types, the parameters
 * a beat can move, the one-shot events it can place, and the scales. What
 * each voice type does with them is said by the voice itself (see index.ts).
 */

/**
 * The voice types, each described in voices/<name>.ts: a name here without a
 * description in index.ts, or a graph in src/engine/voices/, is a type error.
 */
export const VOICE_TYPES = ["waterfall", "leaves", "nightAir", "pad", "motif", "lake", "rain", "waves", "fire", "driftNoise"] as const;
export type VoiceType = (typeof VOICE_TYPES)[number];

/** Every parameter a beat may target; each is 0–1. */
export const PARAM_NAMES = ["level", "brightness", "density", "rate", "mood", "register"] as const;
export type ParamName = (typeof PARAM_NAMES)[number];
export type Params = Record<ParamName, number>;

/** Values a parameter has before any beat sets it. */
export const PARAM_DEFAULTS: Params = {
  level: 0,
  brightness: 0.5,
  density: 0.5,
  rate: 0.5,
  mood: 0.5,
  register: 0.5,
};

/** One-shot events a beat can place, and what each sounds like. */
export const EVENT_ABOUT = {
  leap: "a silver fish leaps; a soft splash and spreading ripples",
  swell: "the harmony swells and settles (the figure from the mist)",
  chime: "a short phrase of the melody (a spark of connection)",
  gust: "one long breath of wind",
  shower: "a heavier shower passes over and eases off",
  surge: "a set of larger waves rolls in from far out",
  settle: "a log settles: a soft thump and a flurry of sparks",
} as const;
export type EventType = keyof typeof EVENT_ABOUT;

export const SCALES = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  lydian: [0, 2, 4, 6, 7, 9, 11],
  pentatonic: [0, 2, 4, 7, 9],
} as const;
export type ScaleName = keyof typeof SCALES;
