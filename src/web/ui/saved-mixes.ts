/** Mixes saved by name: saving the mixer as it is, and this soundscape's saved mixes, each to apply or forget. */
import type { App } from "../app.ts";
import type { SavedMix } from "../memory.ts";
import { byId, type Part, setProp, type UiContext } from "./dom.ts";

export function bindSavedMixes({ app, signal }: UiContext): Part {
  const form = byId<HTMLFormElement>("save-mix");
  const name = byId<HTMLInputElement>("mix-name");
  const list = byId<HTMLUListElement>("saved-mixes");
  form.addEventListener(
    "submit",
    (event) => {
      event.preventDefault();
      const chosen = name.value.trim().slice(0, 60);
      if (chosen === "") return;
      app.saveMix(chosen);
      name.value = "";
    },
    { signal },
  );
  let shown: SavedMix[] | null = null;
  let shownFor = "";
  return {
    update() {
      if (shown === app.mixes && shownFor === app.state.presetId) return;
      shown = app.mixes;
      shownFor = app.state.presetId;
      const mine = app.mixes.filter((mix) => mix.presetId === app.state.presetId);
      list.replaceChildren(...mine.map((mix) => row(app, mix, signal)));
      setProp(list, "hidden", mine.length === 0);
    },
  };
}

function row(app: App, mix: SavedMix, signal: AbortSignal): HTMLLIElement {
  const item = document.createElement("li");
  const apply = document.createElement("button");
  apply.type = "button";
  apply.textContent = mix.name;
  apply.setAttribute("aria-label", `Use the mix ${mix.name}`);
  apply.addEventListener("click", () => app.applyMix(mix), { signal });
  const forget = document.createElement("button");
  forget.type = "button";
  forget.className = "quiet";
  forget.textContent = "Forget";
  forget.setAttribute("aria-label", `Forget the mix ${mix.name}`);
  forget.addEventListener("click", () => app.forgetMix(mix), { signal });
  item.append(apply, forget);
  return item;
}
