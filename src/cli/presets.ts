/** Finding presets on disk: by name in presets/, or by path. */
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Preset, parsePreset, PresetError, MAX_PRESET_BYTES } from "../score/preset.ts";
import type { InputOfRender } from "../node/atomic-file.ts";
import { type InputFile, InputFileError, readRegularFileSync } from "../node/input-file.ts";
import { UsageError } from "./args.ts";

/** The folder of built-in presets. */
export const PRESETS_DIR = fileURLToPath(new URL("../../presets/", import.meta.url));

/** Names of the built-in presets, sorted. */
export function presetNames(): string[] {
  return readdirSync(PRESETS_DIR)
    .filter((file) => file.endsWith(".json") && file !== "schema.json")
    .map((file) => file.slice(0, -5))
    .sort();
}

/** Loads a preset by name (presets/NAME.json) or by path; bad input becomes a UsageError. */
export function loadPreset(nameOrPath: string): Preset {
  return loadPresetFile(nameOrPath).preset;
}

/** A preset and the file it was read from (its device and inode, so a render does not write over it). */
export function loadPresetFile(nameOrPath: string): { preset: Preset; file: InputOfRender } {
  const isName = /^[a-z0-9][a-z0-9-]*$/.test(nameOrPath);
  if (isName && !presetNames().includes(nameOrPath)) {
    throw new UsageError(`unknown preset "${nameOrPath}" (presets: ${presetNames().join(", ")}; or give a path to a .json file)`);
  }
  const path = isName ? join(PRESETS_DIR, `${nameOrPath}.json`) : resolve(nameOrPath);
  const shown = isName ? `presets/${nameOrPath}.json` : nameOrPath;
  let read: InputFile;
  try {
    read = readRegularFileSync(path, `preset ${shown}`, MAX_PRESET_BYTES, "a preset");
  } catch (error) {
    throw error instanceof InputFileError ? new UsageError(error.message) : error;
  }
  const { dev, ino } = read.stats;
  return { preset: parsePreset(read.bytes.toString("utf8"), shown), file: { what: `the preset being read (${shown})`, dev, ino } };
}

/** A preset error as a usage error (exit code 2), keeping its message. */
export function asUsageError(error: unknown): unknown {
  return error instanceof PresetError ? new UsageError(error.message) : error;
}
