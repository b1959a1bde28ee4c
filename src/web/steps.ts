/**
 * Slow fades drawn a few frames a second. A CSS transition runs at the
 * screen's rate, and on this machine each frame of a full-screen fade costs
 * the page, the compositor and the display some 7 ms of CPU: the sky's 9 s
 * cross-fade between two scenes cost 45 % of a core while it ran, and the
 * controls' 8 s dimming as they rest much the same. Over a fade that long,
 * eight steps a second move a glow's opacity by about one percent each,
 * under what the eye tells apart, at a seventh of the frames.
 */

/** Steps a second of a slow fade. */
export const FADE_FPS = 8;

/** Slow at both ends, as CSS's ease-in-out. */
export const smooth = (x: number): number => x * x * (3 - 2 * x);

/**
 * Calls `apply(x)` with x going from 0 to 1 over `seconds`, FADE_FPS times a
 * second and once at the very end (x = 1). Returns a function that stops it
 * where it is. A hidden page's timers are throttled: the fade then lands
 * late, and where it should be by then.
 */
export function steppedFade(seconds: number, apply: (x: number) => void): () => void {
  const start = performance.now();
  let timer: ReturnType<typeof setInterval> | undefined;
  const step = (): void => {
    const x = seconds > 0 ? Math.min(1, (performance.now() - start) / (seconds * 1000)) : 1;
    apply(x);
    if (x >= 1) stop();
  };
  const stop = (): void => {
    clearInterval(timer);
    timer = undefined;
  };
  step();
  if (seconds > 0) timer = setInterval(step, 1000 / FADE_FPS);
  return stop;
}
