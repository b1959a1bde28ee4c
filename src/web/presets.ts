/// <reference types="vite/client" />
/**
 * The presets the page knows: every presets/*.json, bundled at build time and
 * validated by the same `presetFromValue` the command line uses.
 */
import { type Preset, PresetError, presetFromValue } from "../score/preset.ts";

const FILES = import.meta.glob<unknown>("../../presets/*.json", { eager: true, import: "default" });

/** The preset the page opens with when the link names none. */
export const DEFAULT_PRESET_ID = "dream";

/** Built-in presets by id, in file-name order. A broken file is left out (and logged) rather than breaking the page. */
export function builtInPresets(): Map<string, Preset> {
  const presets = new Map<string, Preset>();
  for (const path of Object.keys(FILES).sort()) {
    const file = path.slice(path.lastIndexOf("/") + 1);
    if (file === "schema.json") continue;
    try {
      const preset = presetFromValue(FILES[path], `presets/${file}`);
      presets.set(preset.id, preset);
    } catch (error) {
      if (!(error instanceof PresetError)) throw error;
      console.error(error.message);
    }
  }
  return presets;
}
