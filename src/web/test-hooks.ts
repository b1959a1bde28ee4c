/**
 * Hooks for the end-to-end tests, read from the address only by the page the
 * tests build with `vite build --mode e2e`: in the production bundle
 * TEST_HOOKS_ON is false at build time, and this module is left out.
 *
 * - `timerFade=2` — the sleep timer's fade in seconds (0.5–60) instead of the
 *   real one (never under 60 s), and custom timers as short as that fade.
 */

/** Whether this build reads test hooks (Vite replaces `import.meta.env.MODE` when it builds). */
export const TEST_HOOKS_ON = import.meta.env.MODE === "e2e";

export interface TestHooks {
  /** Seconds of sleep-timer fade, instead of the real one. */
  sleepFade: number;
  /** The query-string tail that keeps the hooks when the page rewrites its address. */
  query: string;
}

/** The hooks in a query string, or null with none (a value out of range is ignored). */
export function readTestHooks(search: string): TestHooks | null {
  const fade = Number(new URLSearchParams(search).get("timerFade") ?? Number.NaN);
  if (!(fade >= 0.5 && fade <= 60)) return null;
  return { sleepFade: fade, query: `&timerFade=${fade}` };
}
