/**
 * Playback: the play button, the status line and the master volume, and the
 * gestures that drive them from anywhere on the page (the space bar, the
 * first touch after a system interruption, coming back to the tab).
 */
import type { App } from "../app.ts";
import { byId, type Part, setText, type UiContext } from "./dom.ts";

export function bindTransport({ app, signal }: UiContext): Part {
  const play = byId<HTMLButtonElement>("play");
  const status = byId("status");
  const volume = byId<HTMLInputElement>("volume");
  const volumeValue = byId<HTMLOutputElement>("volume-value");
  play.addEventListener("click", () => app.togglePlay(), { signal });
  volume.addEventListener("input", () => app.setVolume(volume.valueAsNumber), { signal });
  listenAnywhere(app, play, signal);

  return {
    update() {
      const { player, state } = app;
      const playing = player.state === "playing";
      play.dataset.playing = String(playing);
      play.setAttribute("aria-label", playing ? "Pause" : "Play");
      setText(status, statusText(player.state, player.position));
      if (document.activeElement !== volume) volume.value = String(state.volume);
      setText(volumeValue, String(state.volume));
    },
  };
}

/** The space bar plays and pauses; a gesture resumes after an interruption; a visible tab retries a refused resume. */
function listenAnywhere(app: App, play: HTMLButtonElement, signal: AbortSignal): void {
  document.addEventListener(
    "keydown",
    (event) => {
      if (event.key !== " " || event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
      if (ownsSpace(event.target)) return;
      event.preventDefault();
      app.togglePlay();
    },
    { signal },
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

/** Whether the space bar already means something where the key was pressed. */
function ownsSpace(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement) return target.type !== "range";
  return target.closest("button, summary, select, textarea, a[href]") !== null;
}
