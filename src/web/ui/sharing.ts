/** Variation and sharing: the soundscape, its seed, another variation, and the link to copy. */
import { byId, type Part, setText, type UiContext } from "./dom.ts";

export function bindSharing({ app, signal, refresh }: UiContext): Part {
  const preset = byId<HTMLSelectElement>("preset");
  const seed = byId<HTMLOutputElement>("seed");
  const note = byId("share-note");
  preset.addEventListener("change", () => app.setPreset(preset.value), { signal });
  byId<HTMLButtonElement>("variation").addEventListener("click", () => app.newVariation(), { signal });
  const noteDefault = note.textContent ?? "";
  let message: string | null = null;
  byId<HTMLButtonElement>("copy-link").addEventListener(
    "click",
    async () => {
      const link = app.link;
      try {
        await navigator.clipboard.writeText(link);
        message = "Link copied. Whoever opens it hears the same soundscape.";
      } catch {
        // No clipboard (an insecure origin, a refusal): the link itself, to copy by hand.
        message = `Copy this link: ${link}`;
      }
      refresh();
    },
    { signal },
  );

  return {
    update() {
      const { state } = app;
      const ids = [...app.presets.keys()];
      if (preset.options.length !== ids.length) {
        preset.replaceChildren(
          ...ids.map((id) => {
            const option = document.createElement("option");
            option.value = id;
            const p = app.presets.get(id);
            option.textContent = app.ownPresets.has(id) ? `${p?.title} (your file)` : (p?.title ?? id);
            return option;
          }),
        );
      }
      preset.value = state.presetId;
      setText(seed, state.seed);
      setText(
        note,
        app.ownPresets.has(state.presetId)
          ? "A link carries only the built-in soundscapes: send your preset file along with it."
          : (message ?? noteDefault),
      );
    },
  };
}
