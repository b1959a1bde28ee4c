/**
 * The story's movements: its paragraphs, merged where they are many or
 * short and split at sentences where they are few or long, so that a story
 * gets one beat for about every 280 characters, 4 to 16 in all. Each passage
 * gets a caption of its own whole sentences and an id from its words.
 */
import { CALM_WORDS, DARK_WORDS, SCENE_WORDS, WARM_WORDS } from "./lexicon.ts";
import { type Paragraph, type Word, words } from "./text.ts";

export interface Passage {
  sentences: string[];
  /** The sentences joined by spaces; word offsets are in this text. */
  text: string;
  words: Word[];
}

export const MIN_BEATS = 4;
export const MAX_BEATS = 16;
/** Characters of story per beat, about one paragraph of a bedtime story. */
const CHARS_PER_BEAT = 280;
/** The longest caption; longer sentences are cut at a clause. */
export const CAPTION_CHARS = 200;

const size = (group: string[]) => group.reduce((sum, s) => sum + s.length + 1, 0);

/** Groups the paragraphs' sentences into passages, in order. */
export function passages(paragraphList: Paragraph[]): Passage[] {
  const total = paragraphList.reduce((sum, p) => sum + size(p.sentences.map((s) => s.text)), 0);
  const sentenceCount = paragraphList.reduce((sum, p) => sum + p.sentences.length, 0);
  const target = Math.min(sentenceCount, Math.max(MIN_BEATS, Math.min(MAX_BEATS, Math.round(total / CHARS_PER_BEAT))));
  let groups = pregroup(
    paragraphList.map((p) => p.sentences.map((s) => s.text)),
    total / (target * 4),
  );
  // A story told in a few more paragraphs than the target keeps them as its movements.
  const keep = Math.min(MAX_BEATS, Math.round(target * 1.5));
  while (groups.length > (paragraphList.length === groups.length ? keep : target)) groups = mergeSmallestPair(groups);
  while (groups.length < target) {
    const split = splitLongest(groups);
    if (!split) break;
    groups = split;
  }
  return groups.map((sentences) => {
    const offsets: number[] = [];
    let at = 0;
    for (const s of sentences) {
      offsets.push(at);
      at += s.length + 1;
    }
    const sentenceList = sentences.map((text) => ({ text, start: 0 }));
    return { sentences, text: sentences.join(" "), words: words(sentenceList, (i) => offsets[i]) };
  });
}

/** Runs of paragraphs shorter than `chunk` characters, joined, so that merging pairs stays quick on many short lines. */
function pregroup(groups: string[][], chunk: number): string[][] {
  if (groups.length <= 4 * MAX_BEATS) return groups;
  const result: string[][] = [];
  let current: string[] = [];
  for (const group of groups) {
    current = current.concat(group);
    if (size(current) >= chunk) {
      result.push(current);
      current = [];
    }
  }
  if (current.length > 0) result.push(current);
  return result;
}

function mergeSmallestPair(groups: string[][]): string[][] {
  let best = 0;
  for (let i = 1; i < groups.length - 1; i++) {
    if (size(groups[i]) + size(groups[i + 1]) < size(groups[best]) + size(groups[best + 1])) best = i;
  }
  return [...groups.slice(0, best), groups[best].concat(groups[best + 1]), ...groups.slice(best + 2)];
}

/** Splits the longest passage of two or more sentences where its halves are most even; undefined if none can be split. */
function splitLongest(groups: string[][]): string[][] | undefined {
  let longest = -1;
  groups.forEach((group, i) => {
    if (group.length > 1 && (longest === -1 || size(group) > size(groups[longest]))) longest = i;
  });
  if (longest === -1) return undefined;
  const group = groups[longest];
  const whole = size(group);
  let at = 1;
  let before = 0;
  let bestGap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < group.length; i++) {
    before += group[i - 1].length + 1;
    const gap = Math.abs(whole - 2 * before);
    if (gap < bestGap) {
      bestGap = gap;
      at = i;
    }
  }
  return [...groups.slice(0, longest), group.slice(0, at), group.slice(at), ...groups.slice(longest + 1)];
}

const SCENE_WEIGHT = new Map<string, number>();
for (const list of Object.values(SCENE_WORDS)) for (const [word, weight] of Object.entries(list ?? {})) SCENE_WEIGHT.set(word, weight);

/**
 * The passage's caption: its sentence with the most scene words (the first,
 * which usually sets the scene, counts a little extra), with the others that
 * still fit in about 200 characters, in the story's order.
 */
export function caption(passage: Passage): string {
  const scores = passage.sentences.map((_, i) => (i === 0 ? 0.75 : 0));
  for (const w of passage.words) scores[w.sentence] += SCENE_WEIGHT.get(w.lemma) ?? 0;
  const order = scores.map((score, i) => ({ score, i })).sort((a, b) => b.score - a.score || a.i - b.i);
  const chosen = new Set<number>();
  let length = 0;
  for (const { i } of order) {
    const next = passage.sentences[i].length + (chosen.size > 0 ? 1 : 0);
    if (chosen.size > 0 && length + next > CAPTION_CHARS) continue;
    chosen.add(i);
    length += next;
  }
  // Lines without a full stop (verse, a list) are kept apart by a slash rather than run together.
  const text = passage.sentences
    .filter((_, i) => chosen.has(i))
    .reduce((joined, s) => (joined === "" ? s : `${joined}${/[.!?…:;,"'”’)\]]$/.test(joined) ? " " : " / "}${s}`), "");
  return text.length <= CAPTION_CHARS ? text : shorten(text);
}

/** A sentence too long for a caption, cut at its last clause (or word) within the limit. */
function shorten(text: string): string {
  const head = text.slice(0, CAPTION_CHARS);
  const clause = Math.max(head.lastIndexOf(", "), head.lastIndexOf("; "), head.lastIndexOf(": "), head.lastIndexOf(" — "));
  const space = head.lastIndexOf(" ");
  const cut = clause >= 60 ? clause : space >= 60 ? space : CAPTION_CHARS - 1;
  return `${text.slice(0, cut).replace(/[\s,;:—-]+$/, "")}…`;
}

const DETERMINERS = new Set(["the", "a", "an", "this", "that", "our", "my", "your", "their", "his", "her", "its"]);

/**
 * An id for the beat from its words, the first not yet used of: a word that
 * names a sound, a word of the scene, a word of feeling, a word after an
 * article (most often a noun); else its number.
 */
export function beatId(passage: Passage, index: number, used: Set<string>): string {
  const ascii = (word: string) =>
    word
      .normalize("NFD")
      .replace(/[^a-z]/g, "")
      .slice(0, 32);
  const w = passage.words;
  const tiers: ((x: Word, i: number) => string | undefined)[] = [
    (x) => (SCENE_WEIGHT.get(x.lemma) === 1 ? x.lemma : undefined),
    (x) => (SCENE_WEIGHT.has(x.lemma) ? x.lemma : undefined),
    (x) => (Object.hasOwn(WARM_WORDS, x.lemma) ? x.lemma : undefined),
    (x) => (DARK_WORDS.has(x.lemma) || CALM_WORDS.has(x.lemma) ? x.lemma : undefined),
    (x, i) => (i > 0 && DETERMINERS.has(w[i - 1].word) && x.word.length >= 5 ? x.word : undefined),
  ];
  let id = `beat-${index + 1}`;
  search: for (const tier of tiers) {
    for (let i = 0; i < w.length; i++) {
      const found = tier(w[i], i);
      const candidate = found === undefined ? "" : ascii(found);
      if (candidate.length >= 3 && !used.has(candidate)) {
        id = candidate;
        break search;
      }
    }
  }
  used.add(id);
  return id;
}
