/**
 * The feeling of each passage, and the actions in it. Valence comes from
 * AFINN (the `sentiment` package), warmth from the words of trust and
 * closeness AFINN leaves neutral; the mood moves from passage to passage
 * rather than jumping, and the story's end settles warm.
 */
import Sentiment from "sentiment";
import { EVENT_TYPES } from "../score/voice-types.ts";
import { CALM_WORDS, DARK_WORDS, DESCRIPTORS, EVENT_RULES, type EventRule, type VoiceType, WARM_WORDS } from "./lexicon.ts";
import type { Passage } from "./passages.ts";

export interface Feeling {
  /** The harmony's mood, 0 dusky to 1 radiant. */
  mood: number;
  /** How much feeling the passage carries, 0–1. */
  intensity: number;
  /** Share of calm words, 0–1. */
  calm: number;
  /** Share of dark words, 0–1. */
  dark: number;
  positive: string[];
  negative: string[];
  warm: string[];
}

const analyzer = new Sentiment();
/** How much of the last passage's mood carries into the next. */
const CARRY = 0.4;
/** The mood the story's last passage settles to at least. */
const SETTLED = 0.55;

const round2 = (x: number) => Math.round(x * 100) / 100;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export function feelings(list: Passage[]): Feeling[] {
  const result: Feeling[] = [];
  let previous: number | undefined;
  list.forEach((passage, i) => {
    const afinn = analyzer.analyze(passage.text);
    const count = Math.max(passage.words.length, 1);
    const warm = passage.words.filter((w) => Object.hasOwn(WARM_WORDS, w.lemma));
    const warmth = warm.reduce((sum, w) => sum + WARM_WORDS[w.lemma], 0);
    const calm = passage.words.filter((w) => CALM_WORDS.has(w.lemma)).length / count;
    const dark = passage.words.filter((w) => DARK_WORDS.has(w.lemma)).length / count;
    const valence = (afinn.score + warmth) / Math.max(count, 20);
    const raw = 0.4 + 0.5 * Math.tanh(4 * valence) - 2 * dark;
    let mood = previous === undefined ? raw : (1 - CARRY) * raw + CARRY * previous;
    if (i === list.length - 1) mood = Math.max(mood, SETTLED);
    mood = clamp(mood, 0.1, 0.95);
    previous = mood;
    result.push({
      mood: round2(mood),
      intensity: round2(clamp(((afinn.positive.length + afinn.negative.length + warm.length) / count) * 5, 0, 1)),
      calm: round2(clamp(calm * 10, 0, 1)),
      dark: round2(clamp(dark * 10, 0, 1)),
      positive: afinn.positive.reverse(),
      negative: afinn.negative.reverse(),
      warm: warm.map((w) => w.word),
    });
  });
  return result;
}

export interface FoundEvent {
  type: EventRule["type"];
  voice: VoiceType;
  at: number;
  intensity: number;
  word: string;
}

/**
 * The events of a passage: each rule at most once, at the first word that
 * fires it, played by the first of its voices the scene has (`present`).
 */
export function events(passage: Passage, present: (type: VoiceType) => boolean): FoundEvent[] {
  const found: FoundEvent[] = [];
  const length = Math.max(passage.text.length, 1);
  const lemmas = new Map<number, Set<string>>();
  for (const w of passage.words) {
    if (!lemmas.has(w.sentence)) lemmas.set(w.sentence, new Set());
    lemmas.get(w.sentence)?.add(w.lemma);
  }
  for (const rule of EVENT_RULES) {
    const players: readonly string[] = EVENT_TYPES[rule.type].voices;
    const voice = rule.voices.find((type) => present(type) && players.includes(type));
    if (!voice) continue;
    const hit = passage.words.findIndex(
      (w) =>
        rule.words.includes(w.lemma) ||
        (rule.with?.includes(w.lemma) === true && (rule.near ?? []).some((near) => lemmas.get(w.sentence)?.has(near))),
    );
    if (hit === -1) continue;
    const word = passage.words[hit];
    const nearby = passage.words.filter((w) => w.sentence === word.sentence && Math.abs(w.start - word.start) < 40);
    const loud = nearby.reduce((sum, w) => sum + ((Object.hasOwn(DESCRIPTORS, w.lemma) && DESCRIPTORS[w.lemma].level) || 0), 0);
    found.push({
      type: rule.type,
      voice,
      at: round2(clamp(word.start / length, 0.05, 0.95)),
      intensity: round2(clamp(rule.intensity + 0.1 * loud, 0.2, 0.8)),
      word: word.word,
    });
  }
  return found.sort((a, b) => a.at - b.at);
}
