/**
 * Your own story: paste or open a text, compose it into a preset (the
 * command line's composer), see its scenes and captions, and play it.
 */
import { StoryError } from "../../compose/compose.ts";
import { byId, type Part, type UiContext } from "./dom.ts";

export function bindOwnStory({ app, signal }: UiContext): Part {
  const text = byId<HTMLTextAreaElement>("story-text");
  const button = byId<HTMLButtonElement>("story-compose");
  const file = byId<HTMLInputElement>("story-file");
  const problem = byId("story-error");
  const notes = byId("story-notes");
  const beats = byId<HTMLOListElement>("story-beats");
  let title = "Your story";

  const composeAndPlay = () => {
    try {
      const { preset, composition } = app.openStory(text.value, title);
      problem.hidden = true;
      notes.textContent = [
        `"${preset.title}": ${preset.beats.length} scenes, ${preset.voices.map((v) => v.name).join(", ")}.`,
        ...composition.notes,
      ].join(" ");
      beats.replaceChildren(
        ...preset.beats.map((beat) => {
          const item = document.createElement("li");
          item.textContent = beat.caption;
          return item;
        }),
      );
      if (app.player.state !== "playing") app.togglePlay();
    } catch (error) {
      if (!(error instanceof StoryError)) throw error;
      problem.textContent = `This story was not composed: it ${error.message}.`;
      problem.hidden = false;
    }
  };

  button.addEventListener("click", composeAndPlay, { signal });
  file.addEventListener(
    "change",
    async () => {
      const chosen = file.files?.[0];
      file.value = "";
      if (!chosen) return;
      try {
        text.value = new TextDecoder("utf-8", { fatal: true }).decode(await chosen.arrayBuffer());
      } catch {
        problem.textContent = `${chosen.name} was not opened: it is not UTF-8 text.`;
        problem.hidden = false;
        return;
      }
      title = chosen.name.replace(/\.[^.]*$/, "").replace(/[-_]+/g, " ") || "Your story";
      composeAndPlay();
    },
    { signal },
  );
  return { update() {} };
}
