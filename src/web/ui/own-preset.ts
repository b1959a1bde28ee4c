/** Your own preset: opening a preset file, and what the check found in it. */
import { PresetError } from "../../score/preset.ts";
import { byId, type Part, type UiContext } from "./dom.ts";

export function bindOwnPreset({ app, signal }: UiContext): Part {
  const file = byId<HTMLInputElement>("preset-file");
  const problems = byId("preset-error");
  const ok = byId("preset-ok");
  file.addEventListener(
    "change",
    async () => {
      const chosen = file.files?.[0];
      file.value = "";
      if (!chosen) return;
      try {
        const preset = await app.openPresetFile(chosen);
        problems.hidden = true;
        problems.replaceChildren();
        ok.textContent = `Opened ${chosen.name}: "${preset.title}", ${preset.beats.length} scenes, ${preset.voices.length} voices.`;
      } catch (error) {
        ok.textContent = "";
        showProblems(problems, chosen.name, error);
      }
    },
    { signal },
  );
  return { update() {} };
}

/** Why a file was not opened: the command line's lines for a bad preset, else the error's message. */
function showProblems(element: HTMLElement, name: string, error: unknown): void {
  const lines =
    error instanceof PresetError
      ? error.problems.map((p) => `${error.source}: ${p.path === "(root)" ? "" : `${p.path}: `}${p.message}`)
      : [`${name}: ${error instanceof Error ? error.message : String(error)}`];
  const intro = document.createElement("p");
  intro.textContent = "This preset was not opened; the player carries on with what it had.";
  element.replaceChildren(
    intro,
    ...lines.map((line) => {
      const p = document.createElement("p");
      p.className = "problem";
      p.textContent = line;
      return p;
    }),
  );
  element.hidden = false;
}
