/**
 * Lying in the dark: while playing and untouched, the controls dim to almost
 * nothing; a touch, a key or a pointer brings them back.
 */
import { smooth, steppedFade } from "../steps.ts";
import type { Part, UiContext } from "./dom.ts";

/** Seconds without a touch or a key, while playing, before the controls dim. */
const REST_AFTER = 30;
/** Seconds the dimming takes, in steps (steps.ts). */
const DIM_SECONDS = 8;
const RESTING = "is-resting";

export function bindRest({ app, signal }: UiContext): Part {
  const body = document.body;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopDim = (): void => undefined;
  const unrest = (): void => {
    // Looked at first: a pointer moves many times a second, and each removal is a write.
    if (!body.classList.contains(RESTING)) return;
    stopDim();
    body.classList.remove(RESTING);
    body.style.removeProperty("--rest");
  };
  const wake = (): void => {
    unrest();
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (app.player.state !== "playing") return;
      body.style.setProperty("--rest", "0");
      body.classList.add(RESTING);
      stopDim = steppedFade(DIM_SECONDS, (x) => body.style.setProperty("--rest", smooth(x).toFixed(3)));
    }, REST_AFTER * 1000);
  };
  for (const type of ["pointerdown", "pointermove", "keydown", "focusin", "wheel"])
    document.addEventListener(type, wake, { passive: true, signal });
  wake();
  return {
    update() {
      if (app.player.state !== "playing") unrest();
    },
    dispose() {
      clearTimeout(timer);
      stopDim();
    },
  };
}
