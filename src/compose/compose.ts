/**
 * A story becomes a preset: its movements the beats, its scene words the
 * voices, its descriptive words their colour, its feeling the harmony, its
 * actions the events. The same text gives the same preset, byte for byte:
 * nothing here is random, and every object is built in a fixed key order.
 */
import { presetFromValue } from "../score/preset.ts";
import { VOICE_PARAMS } from "../score/voice-types.ts";
import { events, type Feeling, feelings, type FoundEvent } from "./feeling.ts";
import type { VoiceType } from "./lexicon.ts";
import { beatId, caption, type Passage, passages } from "./passages.ts";
import { BEDS, chosenTypes, type Mentions, mentions, presence, shading, VOICE_SPECS } from "./scene.ts";
import { checkStory, type Paragraph, paragraphs, StoryError } from "./text.ts";

export { MAX_STORY_BYTES, StoryError } from "./text.ts";

export interface ComposeOptions {
  /** The preset's title; default the story's title line, else `defaultTitle`, else "A story". */
  title?: string;
  defaultTitle?: string;
  /** The preset's id; default made from the title. */
  id?: string;
}

export interface VoiceExplanation {
  voice: string;
  level: number;
  /** The scene words of the passage that called the voice up (none where it holds on from before). */
  words: string[];
  /** Descriptive words near the voice's words. */
  shades: string[];
}

export interface BeatExplanation {
  id: string;
  caption: string;
  voices: VoiceExplanation[];
  mood: number;
  feeling: { positive: string[]; negative: string[]; warm: string[] };
  events: { type: string; voice: string; at: number; word: string }[];
}

export interface Composition {
  /** The preset as a JSON value, keys in a fixed order. */
  preset: Record<string, unknown>;
  /** The preset's text, as written to a file. */
  json: string;
  explain: BeatExplanation[];
  /** What a listener should know about the result (a story with no scene words, say). */
  notes: string[];
}

type Targets = Record<string, Record<string, number>>;
const round2 = (x: number) => Math.round(x * 100) / 100;
const clamp = (x: number, lo = 0, hi = 1) => Math.min(hi, Math.max(lo, x));

/** Composes a preset from a story's text; a text it cannot read throws a StoryError. */
export function compose(text: string, options: ComposeOptions = {}): Composition {
  const { title: titleLine, body } = splitTitle(paragraphs(checkStory(text)));
  if (body.length === 0) throw new StoryError("has no sentences");
  const list = passages(body);
  const found = mentions(list);
  const notes: string[] = [];
  const types = chosenTypes(found);
  if (!types.some((t) => BEDS.includes(t))) {
    types.unshift("driftNoise");
    notes.push("the story names no scene (no water, rain, fire, trees, wind or night): a calm preset of drift noise and the harmony");
  }
  const all: VoiceType[] = [...types.filter((t) => t !== "motif"), "pad", ...types.filter((t) => t === "motif")];
  const present = presence(types, found, list.length);
  if (!found.get("driftNoise")?.some((m) => m.weight > 0) && types.includes("driftNoise"))
    present.set(
      "driftNoise",
      list.map(() => 1),
    );
  const moods = feelings(list);

  const ids = new Set<string>();
  const beats: Record<string, unknown>[] = [];
  const explain: BeatExplanation[] = [];
  let previous: Targets | undefined;
  list.forEach((passage, i) => {
    const last = i === list.length - 1;
    const { targets, voices } = beatTargets(all, passage, found, present, moods[i], i, last, previous);
    const beatEvents = events(passage, (t) => all.includes(t) && (targets[t]?.level ?? 0) > 0);
    const beat = assembleBeat(passage, i, ids, targets, beatEvents, previous, list, last);
    beats.push(beat);
    explain.push({
      id: beat.id as string,
      caption: beat.caption as string,
      voices,
      mood: moods[i].mood,
      feeling: { positive: moods[i].positive, negative: moods[i].negative, warm: moods[i].warm },
      events: beatEvents.map((e) => ({ type: e.type, voice: e.voice, at: e.at, word: e.word })),
    });
    previous = targets;
  });

  const title = (options.title ?? titleLine ?? options.defaultTitle ?? "A story").trim().slice(0, 80) || "A story";
  const preset = {
    id: options.id ?? slug(title),
    title,
    description: describe(list, all),
    storyLength: storyLength(list),
    voices: Object.fromEntries(all.map((type) => [type, voiceSpec(type, moods)])),
    beats,
  };
  // A preset the validator refuses would be the composer's fault, not the story's: this throws a PresetError.
  presetFromValue(preset, "composed preset");
  return { preset, json: `${JSON.stringify(preset, null, 2)}\n`, explain, notes };
}

/** A first paragraph of one short line without a full stop is the story's title. */
function splitTitle(list: Paragraph[]): { title?: string; body: Paragraph[] } {
  const first = list[0];
  if (
    list.length > 1 &&
    first.sentences.length === 1 &&
    !first.text.includes("\n") &&
    first.text.length <= 80 &&
    !/[.!?…]$/.test(first.text)
  ) {
    return { title: first.text.replace(/^#+\s*/, ""), body: list.slice(1) };
  }
  return { body: list };
}

function beatTargets(
  all: VoiceType[],
  passage: Passage,
  found: Map<VoiceType, Mentions[]>,
  present: Map<VoiceType, number[]>,
  feeling: Feeling,
  i: number,
  last: boolean,
  previous: Targets | undefined,
): { targets: Targets; voices: VoiceExplanation[] } {
  const targets: Targets = {};
  const voices: VoiceExplanation[] = [];
  for (const type of all) {
    const m = found.get(type)?.[i] ?? { weight: 0, words: [], at: [] };
    const { shade, words } = shading(passage, m.at);
    const p = type === "pad" ? 1 : (present.get(type)?.[i] ?? 0);
    const settle = last ? 0.7 : 1;
    const raw: Record<string, number> = {};
    if (type === "pad") {
      raw.level = VOICE_SPECS.pad.base + 0.06 * feeling.intensity;
      raw.brightness = 0.18 + 0.4 * feeling.mood - 0.15 * feeling.dark;
      raw.mood = feeling.mood;
    } else if (type === "motif") {
      raw.level = p > 0 ? VOICE_SPECS.motif.base + 0.1 * feeling.intensity : 0;
      raw.density = settle * (0.15 + 0.5 * feeling.intensity) * (1 - 0.5 * feeling.calm);
      raw.register = 0.3 + 0.4 * feeling.mood;
      raw.brightness = 0.35 + 0.35 * feeling.mood;
    } else {
      const level = VOICE_SPECS[type].base * (0.55 + 0.45 * p) * clamp(1 + 0.15 * shade.level, 0.6, 1.25);
      raw.level = p > 0 ? level : 0;
      raw.brightness = 0.5 + 0.15 * shade.brightness - (last ? 0.1 : 0);
      raw.density = settle * (0.5 + 0.15 * shade.density);
      raw.rate = settle * (0.45 + 0.15 * shade.rate);
    }
    const params: Record<string, number> = {};
    for (const [param, value] of Object.entries(raw)) {
      if (!VOICE_PARAMS[type][param as keyof (typeof VOICE_PARAMS)[VoiceType]]) continue;
      const before = previous?.[type]?.[param];
      // Colour and motion drift from beat to beat; levels follow the scene directly.
      const smoothed = param === "level" || param === "mood" || before === undefined ? value : 0.5 * value + 0.5 * before;
      params[param] = round2(clamp(smoothed, param === "level" ? 0 : 0.1, param === "level" ? 1 : 0.9));
    }
    targets[type] = params;
    voices.push({ voice: type, level: params.level, words: m.words, shades: words });
  }
  return { targets, voices };
}

const PALETTES: Record<VoiceType, string[]> = {
  waterfall: ["#1d2a44", "#4d6a8a", "#b8c8d8"],
  lake: ["#0b1630", "#23406e", "#c7d4ee"],
  waves: ["#0f2233", "#2f5a73", "#a9c6cf"],
  rain: ["#17222e", "#34506a", "#a8b8c4"],
  fire: ["#2a1d1a", "#8a4a2b", "#e0a060"],
  leaves: ["#0e3328", "#2d7356", "#b9c6c3"],
  nightAir: ["#101a3a", "#3a3f7a", "#e3e0f5"],
  driftNoise: ["#2a2440", "#6b5a7e", "#c9a27e"],
  pad: ["#2a2440", "#6b5a7e", "#c9a27e"],
  motif: ["#2b2340", "#7a5c7e", "#e8c4a0"],
};

function assembleBeat(
  passage: Passage,
  i: number,
  ids: Set<string>,
  targets: Targets,
  found: FoundEvent[],
  previous: Targets | undefined,
  list: Passage[],
  last: boolean,
): Record<string, unknown> {
  const mean = list.reduce((sum, p) => sum + p.text.length, 0) / list.length;
  const length = round2(clamp(passage.text.length / mean, 0.4, 3) * (last ? 1.2 : 1));
  // Scene changes (levels moving far) get long, gentle transitions; the first beat fades in from the start.
  const change = previous
    ? Object.keys(targets).reduce((sum, v) => sum + Math.abs((targets[v].level ?? 0) - (previous[v]?.level ?? 0)), 0)
    : 0;
  const transition = i === 0 ? 30 : Math.round(clamp(30 + 80 * change, 30, last ? 90 : 75));
  const lead = Object.keys(targets)
    .filter((v) => BEDS.includes(v as VoiceType))
    .sort((a, b) => (targets[b].level ?? 0) - (targets[a].level ?? 0))[0];
  const beat: Record<string, unknown> = {
    id: beatId(passage, i, ids),
    caption: caption(passage),
    length,
    transition,
    colors: PALETTES[(lead ?? "pad") as VoiceType],
    targets,
  };
  if (found.length > 0) beat.events = found.map((e) => ({ type: e.type, voice: e.voice, at: e.at, intensity: e.intensity }));
  return beat;
}

function voiceSpec(type: VoiceType, moods: Feeling[]): Record<string, unknown> {
  const spec = VOICE_SPECS[type];
  const voice: Record<string, unknown> = { type, gain: spec.gain };
  if (spec.pan !== undefined) voice.pan = spec.pan;
  const mean = moods.reduce((sum, f) => sum + f.mood, 0) / moods.length;
  if (type === "pad") Object.assign(voice, { root: 50, scale: mean < 0.42 ? "minor" : mean < 0.6 ? "dorian" : "major" });
  if (type === "motif") Object.assign(voice, { root: 62, scale: "pentatonic" });
  return voice;
}

/** About 3.5 s of soundscape for each word, in whole minutes, from 10 minutes to 10 hours. */
function storyLength(list: Passage[]): number {
  const count = list.reduce((sum, p) => sum + p.words.length, 0);
  return clamp(Math.round((count * 3.5) / 60) * 60, 600, 36000);
}

function describe(list: Passage[], all: VoiceType[]): string {
  const count = list.reduce((sum, p) => sum + p.words.length, 0);
  return `Composed from a story of ${count} words in ${list.length} beats, with ${all.join(", ")}.`.slice(0, 600);
}

/** A preset id from a title or a file name: lower-case ASCII words joined by hyphens, at most 40 characters. */
export function slug(title: string): string {
  const id = title
    .toLowerCase()
    .normalize("NFD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return id || "story";
}
