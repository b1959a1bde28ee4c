/** The story's length: a chip per length on offer (and one for a link's own length). */
import { formatDuration } from "../../core/duration.ts";
import { STORY_MINUTES } from "../link.ts";
import { byId, chip, type Part, setProp, setText, type UiContext } from "./dom.ts";

export function bindLength({ app, signal }: UiContext): Part {
  const lengths = byId("lengths");
  const inputs = new Map<number, HTMLInputElement>();
  const custom = chip(lengths, "story", "", "custom");
  for (const minutes of STORY_MINUTES) {
    const input = chip(lengths, "story", `${minutes} min`, String(minutes * 60));
    inputs.set(minutes * 60, input);
    input.addEventListener("change", () => input.checked && app.setStory(minutes * 60), { signal });
  }
  const customChip = custom.parentElement as HTMLElement;

  return {
    update() {
      const { state } = app;
      const listed = inputs.get(state.story);
      for (const input of inputs.values()) setProp(input, "checked", input === listed);
      setProp(customChip, "hidden", listed !== undefined);
      setProp(custom, "checked", listed === undefined);
      setText(customChip.querySelector("span") as HTMLElement, `${formatDuration(state.story)} (from the link)`);
    },
  };
}
