/** Presets for tests: the real ones from presets/, and small ones built in code. */
import { readFileSync } from "node:fs";
import { type Preset, parsePreset, presetFromValue } from "../../src/score/preset.ts";
import type { VoiceType } from "../../src/score/voice-types.ts";

export function loadPresetFile(name: string): Preset {
  const path = new URL(`../../presets/${name}.json`, import.meta.url);
  return parsePreset(readFileSync(path, "utf8"), `presets/${name}.json`);
}

export function rawPreset(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../presets/${name}.json`, import.meta.url), "utf8"));
}

/** A one-voice preset holding the voice at `params` for the whole story. */
export function soloPreset(type: VoiceType, params: Record<string, number>, storyLength = 60): Preset {
  return presetFromValue(
    {
      id: `solo-${type.toLowerCase()}`,
      title: `Solo ${type}`,
      storyLength,
      voices: { solo: { type } },
      beats: [{ id: "only", caption: "one voice", length: 1, transition: 0, targets: { solo: params } }],
    },
    "solo",
  );
}
