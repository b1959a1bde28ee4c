/**
 * Playback: the play button, the status line and the master volume, and the
 * gestures that drive them from anywhere on the page (the space bar, the
 * first touch after a system interruption, coming back to the tab).
 */
import type { App } from "../app.ts";
import { byId, type Part, setAttr, setProp, setText, type UiContext } from "./dom.ts";

export function bindTransport({ app, signal }: UiContext): Part {
  const play = byId<HTMLButtonElement>("play");
  const status = byId("status");
  const volume = byId<HTMLInputElement>("volume");
  const volumeValue = byId<HTMLOutputElement>("volume-value");
  play.addEventListener("click", () => app.togglePlay(), { signal });
  // The skip link is the first Tab stop: it brings the keyboard to Play.
  byId("skip").addEventListener(
    "click",
    (event) => {
      event.preventDefault();
      play.focus();
    },
    { signal },
  );
  volume.addEventListener("input", () => app.setVolume(volume.valueAsNumber), { signal });
  listenAnywhere(app, play, signal);

  return {
    update() {
      const { player, state } = app;
      const playing = player.state === "playing";
      setAttr(play, "data-playing", String(playing));
      setAttr(play, "aria-label", playing ? "Pause" : "Play");
      setText(status, statusText(player.state, player.position));
      if (document.activeElement !== volume) setProp(volume, "value", String(state.volume));
      setText(volumeValue, String(state.volume));
    },
  };
}

/**
 * The space bar plays and pauses; a gesture resumes after an interruption; a
 * visible tab retries a refused resume.
 *
 * After a pointer has chosen a control, Space still plays and pauses, as in
 * media players (it would otherwise press that control again); a control
 * reached with the keyboard keeps Space for itself, and Enter always does.
 */
function listenAnywhere(app: App, play: HTMLButtonElement, signal: AbortSignal): void {
  let byPointer = false;
  document.addEventListener("pointerdown", () => (byPointer = true), { capture: true, passive: true, signal });
  /** Whether the space bar of the keydown just handled played or paused, so its keyup presses nothing. */
  let tookSpace = false;
  document.addEventListener(
    "keydown",
    (event) => {
      if (event.key === "Tab") byPointer = false;
      if (event.key !== " " || event.ctrlKey || event.altKey || event.metaKey) return;
      if (takesText(event.target) || (!byPointer && ownsSpace(event.target))) return;
      event.preventDefault();
      if (event.repeat) return;
      tookSpace = true;
      app.togglePlay();
    },
    { capture: true, signal },
  );
  document.addEventListener(
    "keyup",
    (event) => {
      if (event.key !== " " || !tookSpace) return;
      tookSpace = false;
      event.preventDefault();
    },
    { capture: true, signal },
  );
  // After a system interruption, the next gesture anywhere brings the sound back
  // (the play button does so by itself; iOS only allows a resume inside a gesture).
  const resumeOnGesture = (event: Event): void => {
    if (app.player.state !== "interrupted") return;
    if (event.target instanceof Node && play.contains(event.target)) return;
    if (event instanceof KeyboardEvent && event.key === " ") return;
    app.player.play();
  };
  for (const type of ["click", "touchend", "keydown"]) document.addEventListener(type, resumeOnGesture, { capture: true, signal });
  document.addEventListener(
    "visibilitychange",
    () => {
      if (document.visibilityState === "visible") app.player.retry();
    },
    { signal },
  );
}

function statusText(state: App["player"]["state"], position: number): string {
  switch (state) {
    case "playing":
      return position < 1 ? "Starting softly…" : "Playing";
    case "interrupted":
      return "Paused by the system. Touch anywhere to carry on.";
    case "ended":
      return "The story has ended.";
    default:
      return position > 0 ? "Paused" : "Press play, and close your eyes.";
  }
}

/** Whether the space bar already means something where the key was pressed, for a keyboard user. */
function ownsSpace(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return target.type !== "range";
  return target.closest("button, summary, select, a[href]") !== null;
}

/** Whether Space types a space where the key was pressed. */
function takesText(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && !["range", "radio", "checkbox", "button", "submit", "file"].includes(target.type);
}
