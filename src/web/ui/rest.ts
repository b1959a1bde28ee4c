/**
 * Lying in the dark: while playing and untouched, the controls dim to almost
 * nothing; a touch, a key or a pointer brings them back.
 */
import type { Part, UiContext } from "./dom.ts";

/** Seconds without a touch or a key, while playing, before the controls dim. */
const REST_AFTER = 30;

export function bindRest({ app, signal }: UiContext): Part {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const wake = (): void => {
    // Looked at first: a pointer moves many times a second, and each removal is a write.
    if (document.body.classList.contains("is-resting")) document.body.classList.remove("is-resting");
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (app.player.state === "playing") document.body.classList.add("is-resting");
    }, REST_AFTER * 1000);
  };
  for (const type of ["pointerdown", "pointermove", "keydown", "focusin", "wheel"])
    document.addEventListener(type, wake, { passive: true, signal });
  wake();
  return {
    update() {
      if (app.player.state !== "playing") document.body.classList.remove("is-resting");
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}
