/** The mixer panel: a slider per voice of the preset, on top of the story's own movement. */
import type { App } from "../app.ts";
import { voiceTitle } from "../format.ts";
import { byId, type Part, setProp, setText, type UiContext } from "./dom.ts";

interface VoiceSlider {
  input: HTMLInputElement;
  value: HTMLOutputElement;
}

export function bindMixer({ app, signal }: UiContext): Part {
  const mixer = byId("mixer");
  let sliderFor = "";
  let sliders = new Map<string, VoiceSlider>();

  return {
    update() {
      if (sliderFor !== app.state.presetId) {
        sliderFor = app.state.presetId;
        sliders = buildSliders(app, mixer, signal);
      }
      for (const [voice, { input, value }] of sliders) {
        const volume = app.voiceVolume(voice);
        if (document.activeElement !== input) setProp(input, "value", String(volume));
        setText(value, String(volume));
      }
    },
  };
}

function buildSliders(app: App, mixer: HTMLElement, signal: AbortSignal): Map<string, VoiceSlider> {
  const sliders = new Map<string, VoiceSlider>();
  const rows = app.preset.voices.map((voice) => {
    const row = document.createElement("label");
    row.className = "slider";
    const name = document.createElement("span");
    name.className = "slider-label";
    name.textContent = voiceTitle(voice);
    const input = document.createElement("input");
    input.type = "range";
    input.min = "0";
    input.max = "100";
    input.step = "1";
    input.dataset.voice = voice.name;
    input.setAttribute("aria-label", `${voiceTitle(voice)} volume`);
    const value = document.createElement("output");
    value.className = "muted";
    input.addEventListener("input", () => app.setVoiceVolume(voice.name, input.valueAsNumber), { signal });
    row.append(name, input, value);
    sliders.set(voice.name, { input, value });
    return row;
  });
  mixer.replaceChildren(...rows);
  return sliders;
}
