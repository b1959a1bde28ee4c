/** Finding presets on disk: by name in presets/, or by path. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Preset, parsePreset, PresetError, MAX_PRESET_BYTES } from "../score/preset.ts";
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
  const isName = /^[a-z0-9][a-z0-9-]*$/.test(nameOrPath);
  if (isName && !presetNames().includes(nameOrPath)) {
    throw new UsageError(`unknown preset "${nameOrPath}" (presets: ${presetNames().join(", ")}; or give a path to a .json file)`);
  }
  const path = isName ? join(PRESETS_DIR, `${nameOrPath}.json`) : resolve(nameOrPath);
  const shown = isName ? `presets/${nameOrPath}.json` : nameOrPath;
  return parsePreset(readPresetText(path, shown), shown);
}

function readPresetText(path: string, shown: string): string {
  let size: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw new UsageError(`cannot read preset ${shown}: it is a directory`);
    size = stats.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read preset ${shown}: ${code === "ENOENT" ? "no such file" : (code ?? "unreadable")}`);
  }
  if (size > MAX_PRESET_BYTES) {
    throw new UsageError(`${shown}: is ${(size / 1e6).toFixed(1)} MB; a preset is at most 1 MB`);
  }
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read preset ${shown}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`);
  }
}

/** A preset error as a usage error (exit code 2), keeping its message. */
export function asUsageError(error: unknown): unknown {
  return error instanceof PresetError ? new UsageError(error.message) : error;
}
