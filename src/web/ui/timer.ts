/** The sleep timer: a chip per length on offer, a custom length, and the time left. */
import { clock, spoken } from "../format.ts";
import { parseTimer, TIMER_MINUTES } from "../sleep-timer.ts";
import { byId, chip, type Part, setProp, setText, type UiContext } from "./dom.ts";

export function bindTimer({ app, signal }: UiContext): Part {
  const left = byId("timer-left");
  const timers = byId("timers");
  const customForm = byId<HTMLFormElement>("custom-timer");
  const customInput = byId<HTMLInputElement>("custom-timer-input");
  const customError = byId("custom-timer-error");
  const inputs = new Map<number | null, HTMLInputElement>();
  const choose = (input: HTMLInputElement, minutes: number | null): void => {
    inputs.set(minutes, input);
    input.addEventListener("change", () => app.setTimer(minutes === null ? null : minutes * 60), { signal });
  };
  choose(chip(timers, "timer", "Off", "off"), null);
  for (const minutes of TIMER_MINUTES) choose(chip(timers, "timer", `${minutes} min`, String(minutes)), minutes);
  customForm.addEventListener(
    "submit",
    (event) => {
      event.preventDefault();
      try {
        const seconds = parseTimer(customInput.value, app.shortestTimer);
        customError.hidden = true;
        app.setTimer(seconds);
      } catch (error) {
        customError.textContent = `Not set: ${(error as Error).message}.`;
        customError.hidden = false;
      }
    },
    { signal },
  );
  byId("timer-note").textContent =
    `The sound fades out over the last ${spoken(app.timer.fade)}, then stops. The timer counts only while playing.`;

  return {
    update() {
      const remaining = app.timer.remaining();
      // The chip of the timer running (none for a custom one), or Off.
      const chosen = app.timerChoice;
      const choice = remaining === null || chosen === null ? null : chosen / 60;
      setProp(left, "hidden", remaining === null);
      setText(left, remaining === null ? "" : `Sleep timer: ${clock(remaining)} left`);
      for (const [minutes, input] of inputs) setProp(input, "checked", minutes === choice);
    },
  };
}
