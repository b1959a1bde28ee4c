/**
 * The scene, voice by voice: which voices the story calls for, and how
 * present each is in each passage. A voice rises where its words are and
 * holds on after them, as the bed of the scene, until the story has gone
 * elsewhere for a while: a passing mention neither flashes on for one beat
 * nor cuts off at the next.
 */
import { DESCRIPTORS, SCENE_SHADES, SCENE_WORDS, type Shade, type VoiceType } from "./lexicon.ts";
import type { Passage } from "./passages.ts";

/** The voices that make a scene's bed (the harmony and the melody are not scenery). */
export const BEDS: VoiceType[] = ["waterfall", "lake", "waves", "rain", "fire", "leaves", "nightAir", "driftNoise"];

/** A story must name a voice's sound at least this much (a weight of 1 each) for the voice to be in it. */
const ENOUGH = 1;
/** Mention weight at which a passage has the voice fully present. */
const FULL = 1;
/** How much of its presence a bed keeps into the next passage: while the story names no other bed, and once it does. */
const HOLD_QUIET = 0.85;
const HOLD_ELSEWHERE = 0.6;
/** Below this presence the voice is gone. */
const GONE = 0.2;

export interface Mentions {
  /** Sum of the weights of its words in the passage. */
  weight: number;
  words: string[];
  /** Word indices in the passage, where descriptive words nearby shade the voice. */
  at: number[];
}

/** Each voice type's mentions in each passage. */
export function mentions(list: Passage[]): Map<VoiceType, Mentions[]> {
  const result = new Map<VoiceType, Mentions[]>();
  for (const [type, lexicon] of Object.entries(SCENE_WORDS) as [VoiceType, Record<string, number>][]) {
    result.set(
      type,
      list.map((passage) => {
        const found: Mentions = { weight: 0, words: [], at: [] };
        passage.words.forEach((w, i) => {
          const weight = Object.hasOwn(lexicon, w.lemma) ? lexicon[w.lemma] : 0;
          if (weight === 0) return;
          found.weight += weight;
          found.words.push(w.word);
          found.at.push(i);
        });
        return found;
      }),
    );
  }
  return result;
}

/** The voice types the whole story calls for, in the order of VOICE_TYPES-like listing (beds first, then melody). */
export function chosenTypes(found: Map<VoiceType, Mentions[]>): VoiceType[] {
  const total = (type: VoiceType) => (found.get(type) ?? []).reduce((sum, m) => sum + m.weight, 0);
  return [...BEDS, "motif" as const].filter((type) => total(type) >= ENOUGH);
}

/** How present each chosen bed is in each passage, 0–1, with the hold described above. */
export function presence(types: VoiceType[], found: Map<VoiceType, Mentions[]>, count: number): Map<VoiceType, number[]> {
  const result = new Map<VoiceType, number[]>();
  const beds = types.filter((t) => t !== "motif");
  for (const type of types) {
    const list = found.get(type) ?? [];
    const values: number[] = [];
    let held = 0;
    for (let i = 0; i < count; i++) {
      const strength = Math.min(1, (list[i]?.weight ?? 0) / FULL);
      const elsewhere = beds.some((other) => other !== type && (found.get(other)?.[i]?.weight ?? 0) > 0);
      // The melody, once it has come in, stays in: it is carried by the harmony, not by a place.
      const hold = type === "motif" ? 1 : elsewhere ? HOLD_ELSEWHERE : HOLD_QUIET;
      held = Math.max(strength, held * hold);
      if (held < GONE) held = 0;
      values.push(held);
    }
    result.set(type, values);
  }
  return result;
}

export interface Shading {
  shade: Required<Shade>;
  words: string[];
}

/** Words within this many of a voice's mention shade that voice fully; elsewhere in the passage, a little. */
const NEAR = 4;
const FAR_WEIGHT = 0.3;

/** The descriptive words of a passage as they bear on one voice (`at`: its mentions), and its own words' shades. */
export function shading(passage: Passage, at: number[]): Shading {
  const shade = { level: 0, brightness: 0, density: 0, rate: 0 };
  const used: string[] = [];
  for (const i of at) {
    const own = Object.hasOwn(SCENE_SHADES, passage.words[i].lemma) ? SCENE_SHADES[passage.words[i].lemma] : undefined;
    for (const key of Object.keys(shade) as (keyof Shade)[]) shade[key] += own?.[key] ?? 0;
  }
  // Which words are near a mention, marked from each mention outwards (linear in the passage).
  const close = new Uint8Array(passage.words.length);
  for (const j of at) {
    const from = Math.max(0, j - NEAR);
    const to = Math.min(passage.words.length - 1, j + NEAR);
    for (let i = from; i <= to; i++) if (passage.words[i].sentence === passage.words[j].sentence) close[i] = 1;
  }
  passage.words.forEach((w, i) => {
    const d = Object.hasOwn(DESCRIPTORS, w.lemma) ? DESCRIPTORS[w.lemma] : undefined;
    if (!d) return;
    const near = close[i] === 1;
    const weight = near ? 1 : FAR_WEIGHT;
    if (near) used.push(w.word);
    for (const key of Object.keys(shade) as (keyof Shade)[]) shade[key] += weight * (d[key] ?? 0);
  });
  return { shade, words: used };
}

/** Trim of each voice, in dB, and its place in the stereo field. */
export const VOICE_SPECS: Record<VoiceType, { gain: number; pan?: number; base: number }> = {
  waterfall: { gain: 0, base: 0.45 },
  lake: { gain: -1, pan: -0.1, base: 0.45 },
  waves: { gain: 0, base: 0.5 },
  rain: { gain: 0, base: 0.5 },
  fire: { gain: -2, pan: -0.25, base: 0.42 },
  leaves: { gain: -2, pan: 0.1, base: 0.33 },
  nightAir: { gain: -3, base: 0.33 },
  driftNoise: { gain: 0, base: 0.45 },
  pad: { gain: 0, base: 0.36 },
  motif: { gain: -2, base: 0.3 },
};
