/**
 * A story's text: checked, split into paragraphs and sentences, and its words
 * found with their lemmas. Plain string work, linear in the text, so that a
 * 100 kB story is read in milliseconds.
 */
import { CALM_WORDS, DARK_WORDS, DESCRIPTORS, EVENT_RULES, IRREGULAR, SCENE_WORDS, WARM_WORDS } from "./lexicon.ts";

/** The longest story the composer reads, in UTF-8 bytes. */
export const MAX_STORY_BYTES = 100_000;

/** A story the composer cannot read: the command line exits with code 2. */
export class StoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoryError";
  }
}

export interface Sentence {
  text: string;
  /** Offset of the sentence in its paragraph's text. */
  start: number;
}

export interface Paragraph {
  text: string;
  sentences: Sentence[];
}

export interface Word {
  /** The word as written, lower-cased. */
  word: string;
  lemma: string;
  /** Offset in the passage's text. */
  start: number;
  sentence: number;
}

/** Checks the text of a story and returns it with line endings and spaces made plain. */
export function checkStory(text: string): string {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_STORY_BYTES) {
    throw new StoryError(`is ${(bytes / 1000).toFixed(0)} kB; a story is at most ${MAX_STORY_BYTES / 1000} kB`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what mark a file as not text
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) throw new StoryError("is not plain text (it has control characters)");
  const plain = text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .replace(/[\t\f\v\u00a0]/g, " ")
    .replace(/[\u2018\u2019]/g, "'");
  if (plain.trim() === "") throw new StoryError("is empty");
  return plain;
}

/** Paragraphs: blocks between blank lines, each with its sentences; blocks without a letter are dropped. */
export function paragraphs(text: string): Paragraph[] {
  const result: Paragraph[] = [];
  for (const block of text.split(/\n[ ]*\n/)) {
    const trimmed = block.trim();
    if (!/\p{L}/u.test(trimmed)) continue;
    const sentences = splitSentences(trimmed);
    if (sentences.length > 0) result.push({ text: trimmed, sentences });
  }
  return result;
}

const ABBREVIATIONS = new Set(["mr", "mrs", "ms", "dr", "st", "mt", "prof", "sr", "jr", "vs", "etc", "e.g", "i.e", "no"]);
/** A line this short that ends without punctuation is a line of its own (verse, a list), not wrapped prose. */
const SHORT_LINE = 50;

/** Splits a paragraph into sentences: at . ! ? … before a capital or a quote, and at the end of short lines. */
export function splitSentences(paragraph: string): Sentence[] {
  const sentences: Sentence[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = paragraph.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim().replace(/\s+/g, " ");
    if (/\p{L}/u.test(text)) sentences.push({ text, start: start + lead });
    start = end;
  };
  const boundary = /([.!?…]+["'”’)\]]*)(\s+)(?=["'“‘([]?[\p{Lu}\p{N}])|\n/gu;
  for (let match = boundary.exec(paragraph); match; match = boundary.exec(paragraph)) {
    if (match[0] === "\n") {
      const lineStart = paragraph.lastIndexOf("\n", match.index - 1) + 1;
      const line = paragraph.slice(lineStart, match.index).trim();
      if (line.length < SHORT_LINE || /[.!?…:;]["'”’)\]]*$/.test(line)) push(match.index + 1);
      continue;
    }
    const before = /([\p{L}.]+)$/u.exec(paragraph.slice(Math.max(start, match.index - 8), match.index))?.[1] ?? "";
    if (match[1] === "." && (ABBREVIATIONS.has(before.toLowerCase()) || /^\p{Lu}$/u.test(before))) continue;
    push(match.index + match[1].length);
  }
  push(paragraph.length);
  return sentences;
}

const KNOWN = new Set<string>([
  ...Object.values(SCENE_WORDS).flatMap((words) => Object.keys(words ?? {})),
  ...Object.keys(DESCRIPTORS),
  ...Object.keys(WARM_WORDS),
  ...CALM_WORDS,
  ...DARK_WORDS,
  ...EVENT_RULES.flatMap((rule) => [...rule.words, ...(rule.with ?? []), ...(rule.near ?? [])]),
]);

/**
 * The lemma of a word, if it is an inflection of one the composer knows
 * (waves → wave, leaping → leap, dripping → drip, stories → story); else the
 * word itself. Only known lemmas matter, so candidates are tried, not derived.
 */
export function lemma(word: string): string {
  if (KNOWN.has(word)) return word;
  const irregular = IRREGULAR[word];
  if (irregular) return irregular;
  const candidates: string[] = [];
  const strip = (suffix: string, ...endings: string[]) => {
    if (word.length <= suffix.length + 2 || !word.endsWith(suffix)) return;
    const stem = word.slice(0, -suffix.length);
    for (const ending of endings) candidates.push(stem + ending);
    if (stem.length > 2 && stem.at(-1) === stem.at(-2)) candidates.push(stem.slice(0, -1));
  };
  strip("'s", "");
  strip("ies", "y");
  strip("es", "", "e");
  strip("s", "");
  strip("ing", "", "e");
  strip("ed", "", "e");
  strip("ly", "", "le");
  strip("er", "", "e");
  strip("est", "", "e");
  strip("y", "", "e");
  return candidates.find((c) => KNOWN.has(c)) ?? word;
}

const DETERMINERS = new Set([
  "the",
  "a",
  "an",
  "his",
  "her",
  "their",
  "our",
  "my",
  "its",
  "this",
  "that",
  "me",
  "us",
  "him",
  "them",
  "behind",
]);

/** The words of a passage (its sentences in order), each with its lemma and place. */
export function words(sentences: Sentence[], offset: (sentence: number) => number): Word[] {
  const result: Word[] = [];
  sentences.forEach((sentence, index) => {
    for (const match of sentence.text.matchAll(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu)) {
      const word = match[0].toLowerCase();
      result.push({ word, lemma: lemma(word), start: offset(index) + (match.index ?? 0), sentence: index });
    }
  });
  // "she leaves the room" is a verb, not the canopy ("their leaves a kaleidoscope" is the canopy).
  result.forEach((w, i) => {
    const after = DETERMINERS.has(result[i + 1]?.word ?? "");
    const before = DETERMINERS.has(result[i - 1]?.word ?? "") || result[i - 1]?.word === "of";
    if (w.word === "leaves" && after && !before) w.lemma = "leave";
  });
  return result;
}
