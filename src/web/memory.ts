/**
 * What the page remembers across visits, in this browser only: the
 * soundscape, the volume, each soundscape's mixer, the sleep timer chosen,
 * and the mixes saved by name. Storage may be refused or full (private
 * windows, a full disk): the page then works as on a first visit. What is
 * read back is checked as a link is, so a damaged entry is ignored.
 */
import type { Schema } from "../score/schema.ts";
import { validate } from "../score/validate.ts";

const SETTINGS_KEY = "reverie.settings";
const MIXES_KEY = "reverie.mixes";
/** Most mixes kept; saving one more forgets the oldest. */
const MAX_MIXES = 40;

export interface Remembered {
  presetId: string;
  volume: number;
  /** Soundscape id → voice → volume 0–100. */
  mixes: Record<string, Record<string, number>>;
  /** The sleep timer chosen, in seconds, or null for none. */
  timer: number | null;
}

/** A mix saved by name, for one soundscape. */
export interface SavedMix {
  name: string;
  presetId: string;
  voiceVolumes: Record<string, number>;
}

const VOLUMES: Schema = {
  type: "object",
  maxProperties: 64,
  propertyNames: { pattern: "^[a-z][A-Za-z0-9]{0,31}$" },
  additionalProperties: { type: "integer", minimum: 0, maximum: 100 },
};
const ID: Schema = { type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,79}$" };

const SETTINGS_SCHEMA: Schema = {
  type: "object",
  required: ["presetId", "volume", "mixes"],
  properties: {
    presetId: ID,
    volume: { type: "integer", minimum: 0, maximum: 100 },
    mixes: { type: "object", maxProperties: 200, additionalProperties: VOLUMES },
    timer: { type: "number", minimum: 1, maximum: 86400 },
  },
};

const MIXES_SCHEMA: Schema = {
  type: "array",
  maxItems: MAX_MIXES,
  items: {
    type: "object",
    required: ["name", "presetId", "voiceVolumes"],
    properties: { name: { type: "string", minLength: 1, maxLength: 60 }, presetId: ID, voiceVolumes: VOLUMES },
  },
};

/** The settings of the last visit, or null on a first visit (or when they cannot be read). */
export function recall(): Remembered | null {
  const value = read(SETTINGS_KEY, SETTINGS_SCHEMA) as (Omit<Remembered, "timer"> & { timer?: number }) | null;
  return value ? { ...value, timer: value.timer ?? null } : null;
}

export function remember(settings: Remembered): void {
  const { timer, ...rest } = settings;
  write(SETTINGS_KEY, timer === null ? rest : settings);
}

export function savedMixes(): SavedMix[] {
  return (read(MIXES_KEY, MIXES_SCHEMA) as SavedMix[] | null) ?? [];
}

/** Saves a mix under its name (replacing one of the same name for the same soundscape); returns them all. */
export function saveMix(mix: SavedMix): SavedMix[] {
  const others = savedMixes().filter((m) => m.name !== mix.name || m.presetId !== mix.presetId);
  const mixes = [...others, mix].slice(-MAX_MIXES);
  write(MIXES_KEY, mixes);
  return mixes;
}

export function forgetMix(name: string, presetId: string): SavedMix[] {
  const mixes = savedMixes().filter((m) => m.name !== name || m.presetId !== presetId);
  write(MIXES_KEY, mixes);
  return mixes;
}

function read(key: string, schema: Schema): unknown {
  try {
    const text = localStorage.getItem(key);
    if (text === null || text.length > 100_000) return null;
    const value: unknown = JSON.parse(text);
    return validate(value, schema).length === 0 ? value : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Refused or full: this visit is simply not remembered.
  }
}
