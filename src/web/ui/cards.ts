/**
 * The soundscapes, as cards on the first screen: each with its title, one
 * line about it and its first scene's colours; the one playing is pressed.
 * The listener's own presets are listed after the built-in ones.
 */
import type { Preset } from "../../score/preset.ts";
import type { App } from "../app.ts";
import { byId, type Part, setAttr, setText, type UiContext } from "./dom.ts";

/** Longest line under a card's title, in characters. */
const TAGLINE = 64;

/** A description's first phrase, as the card's one line: "Twilight by a distant waterfall". */
export function tagline(description: string): string {
  const phrase = description.split(/[:;,.]/, 1)[0].trim();
  return phrase.length > TAGLINE ? `${phrase.slice(0, TAGLINE - 1).trimEnd()}…` : phrase;
}

export function bindCards({ app, signal }: UiContext): Part {
  const list = byId("cards");
  let shown = "";
  let buttons = new Map<string, HTMLButtonElement>();
  return {
    update() {
      const ids = [...app.presets.keys()];
      const key = ids.map((id) => `${id}:${app.presets.get(id)?.title}`).join("\n");
      if (key !== shown) {
        shown = key;
        buttons = buildCards(app, list, signal);
      }
      for (const [id, button] of buttons) setAttr(button, "aria-pressed", String(id === app.state.presetId));
    },
  };
}

function buildCards(app: App, list: HTMLElement, signal: AbortSignal): Map<string, HTMLButtonElement> {
  const buttons = new Map<string, HTMLButtonElement>();
  const items = [...app.presets.values()].map((preset) => {
    const button = card(preset, app.ownPresets.has(preset.id));
    button.addEventListener("click", () => app.setPreset(preset.id), { signal });
    buttons.set(preset.id, button);
    const item = document.createElement("li");
    item.append(button);
    return item;
  });
  list.replaceChildren(...items);
  return buttons;
}

function card(preset: Preset, own: boolean): HTMLButtonElement {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "card";
  const colors = preset.beats[0]?.colors ?? [];
  for (const [i, color] of colors.slice(0, 3).entries()) button.style.setProperty(`--card-${i}`, color);
  const swatch = document.createElement("span");
  swatch.className = "card-colors";
  swatch.setAttribute("aria-hidden", "true");
  const title = document.createElement("span");
  title.className = "card-title";
  setText(title, preset.title);
  const line = document.createElement("span");
  line.className = "card-line";
  setText(line, own ? "Your own preset" : tagline(preset.description));
  button.append(swatch, title, line);
  return button;
}
