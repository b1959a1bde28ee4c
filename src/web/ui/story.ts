/**
 * The story: the scene's name and caption (a new scene's announced to screen
 * readers, politely), the sky in its colours, and the
 * journey, one segment per scene (each a button that goes there, filling as
 * it plays), with the clock under it.
 */
import type { Plan } from "../../score/timeline.ts";
import type { App } from "../app.ts";
import { beatLabel, clock } from "../format.ts";
import { createVisual } from "../visual.ts";
import { byId, type Part, setAttr, setText, type UiContext } from "./dom.ts";

export function bindStory({ app, signal }: UiContext): Part {
  const scene = byId("scene");
  const caption = byId("caption");
  const beats = byId<HTMLOListElement>("beats");
  const elapsed = byId("elapsed");
  const total = byId("total");
  const news = byId("scene-news");
  /** The scene last shown, so that only a change of scene is announced (not the page opening). */
  let shownScene: string | null = null;
  const visual = createVisual(byId("sky"));
  let beatsFor: Plan | null = null;
  let buttons: HTMLButtonElement[] = [];

  return {
    update() {
      const { plan, player } = app;
      const beat = app.beat;
      setText(scene, `Scene ${beat.index + 1} of ${plan.beats.length} · ${beatLabel(beat.beat.id)}`);
      setText(caption, beat.beat.caption);
      const sceneKey = `${app.state.presetId}/${beat.index}`;
      if (shownScene !== null && shownScene !== sceneKey) setText(news, `${beatLabel(beat.beat.id)}. ${beat.beat.caption}`);
      shownScene = sceneKey;
      visual.show(beat.beat.colors);
      visual.setPlaying(player.state === "playing");

      if (beatsFor !== plan) {
        beatsFor = plan;
        buttons = buildBeats(app, beats, signal);
      }
      const position = player.position;
      // Nobody sees the fill or the clock of a hidden page or of resting controls (dimmed to a tenth):
      // they catch up on the next tick after.
      const still = document.hidden || document.body.classList.contains("is-resting");
      buttons.forEach((button, i) => {
        const planned = plan.beats[i];
        const fill = Math.min(1, Math.max(0, (position - planned.start) / (planned.end - planned.start))).toFixed(3);
        if (!still && button.style.getPropertyValue("--fill") !== fill) button.style.setProperty("--fill", fill);
        setAttr(button, "aria-current", i === beat.index ? "step" : null);
      });
      const time = clock(position);
      if (!still && elapsed.textContent !== time) {
        elapsed.textContent = time;
        // The sky drifts in the same frames as the clock moves.
        visual.tick();
      }
      setText(total, position > plan.story ? " · drifting on" : ` / ${clock(plan.story)}`);
    },
  };
}

/** The journey's segments for the app's plan, each as long as its scene; returns their buttons. */
function buildBeats(app: App, list: HTMLOListElement, signal: AbortSignal): HTMLButtonElement[] {
  const plan = app.plan;
  const buttons = plan.beats.map((planned) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "beat";
    button.setAttribute("aria-label", `Scene ${planned.index + 1} of ${plan.beats.length}: ${beatLabel(planned.beat.id)}`);
    button.title = beatLabel(planned.beat.id);
    const fill = document.createElement("span");
    fill.className = "beat-fill";
    button.append(fill);
    button.addEventListener("click", () => app.seekBeat(planned.index), { signal });
    return button;
  });
  list.replaceChildren(
    ...buttons.map((button, i) => {
      const item = document.createElement("li");
      const planned = plan.beats[i];
      // Scaled by the number of scenes, so that each row fills its width when the scenes wrap.
      item.style.flexGrow = String(((planned.end - planned.start) / plan.story) * plan.beats.length);
      item.append(button);
      return item;
    }),
  );
  return buttons;
}
