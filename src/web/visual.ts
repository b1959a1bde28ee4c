/**
 * The slow, dark backdrop: three soft glows in the scene's colours (each beat
 * has its own), dimmed towards the night, drifting over minutes. A new scene
 * cross-fades in over nine seconds between two layers, in eight steps a
 * second (steps.ts: at the screen's rate, the cross-fade cost 45 % of a core
 * while it ran).
 *
 * The drift is described by CSS animations (sky.css), always paused; this
 * module moves their clock on every other tick of the page's clock (once
 * every two seconds) instead of letting them run at the screen's rate, in
 * the frame that shows the new time anyway. The glows move less than a pixel
 * a second and breathe by a percent of their opacity and size between
 * frames, so the steps do not show. Each frame costs the page, the
 * compositor and the display about 10 ms of CPU here, and a drift frame
 * redraws the whole screen (measured in bench:page with the controls awake:
 * 9.3 % of a core at a frame every half second, 7.8 % at one every two).
 * The clock stands still while the sound is paused, the page is hidden or
 * the controls are resting (ui/rest.ts), and there is no animation to move
 * under prefers-reduced-motion (the colours still follow the story, as a
 * fade rather than a movement).
 */

import { smooth, steppedFade } from "./steps.ts";

/** How much of a scene colour survives the dimming, 0–1. */
const DIM = 0.62;
/** The night the colours are dimmed towards. */
export const NIGHT = [7, 6, 13] as const;
/** The colours shown for a scene without two valid ones. */
export const FALLBACK: readonly string[] = ["#2a2440", "#6b5a7e", "#c9a27e"];
/** Ticks of the page's clock (a second each) between two frames of the drift. */
const DRIFT_TICKS = 2;
/** The most drift time one frame adds, in ms: after a rest or a pause, the glows carry on from where they stood. */
const DRIFT_STEP_MAX = 1.5 * DRIFT_TICKS * 1000;
/** Seconds of a scene's cross-fade (a fade of colour under reduced motion too, a shorter one). */
const CROSS_FADE = 9;
const CROSS_FADE_REDUCED = 4;
/** The body's class while the controls rest (ui/rest.ts). */
const RESTING = "is-resting";

export interface Visual {
  /** Shows a scene's colours (#rrggbb, two or three), cross-fading from the last. */
  show(colors: readonly string[]): void;
  /** Lets the glows drift (true) or holds them still (false). */
  setPlaying(playing: boolean): void;
  /** A tick of the page's clock (its shown time changed): every DRIFT_TICKS-th moves the glows, while they may move. */
  tick(): void;
}

export function createVisual(root: HTMLElement): Visual {
  const layers = [0, 1].map(() => {
    const layer = document.createElement("div");
    layer.className = "sky-layer";
    for (let i = 0; i < 3; i++) {
      const glow = document.createElement("div");
      glow.className = `glow glow-${i}`;
      layer.append(glow);
    }
    return layer;
  });
  root.replaceChildren(...layers);
  let front = 0;
  let shown = "";
  let stopFade = (): void => undefined;
  const drift = createDrift(root);
  const reduced = typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;

  return {
    show(colors) {
      const safe = colors.filter((c) => /^#[0-9a-fA-F]{6}$/.test(c));
      const palette = safe.length >= 2 ? safe : FALLBACK;
      const key = palette.join();
      if (key === shown) return;
      const first = shown === "";
      shown = key;
      const next = first ? front : 1 - front;
      const layer = layers[next];
      for (let i = 0; i < 3; i++) layer.style.setProperty(`--glow-${i}`, dim(palette[Math.min(i, palette.length - 1)]));
      layers[next].classList.add("is-shown");
      const last = first ? null : layers[front];
      last?.classList.remove("is-shown");
      front = next;
      // From wherever an unfinished fade left them.
      stopFade();
      const from = Number(layer.style.opacity || 0);
      const fromLast = last ? Number(last.style.opacity || 1) : 0;
      stopFade = steppedFade(reduced ? CROSS_FADE_REDUCED : CROSS_FADE, (x) => {
        const y = smooth(x);
        layer.style.opacity = (from + (1 - from) * y).toFixed(3);
        if (last) last.style.opacity = (fromLast * (1 - y)).toFixed(3);
      });
    },
    setPlaying(playing) {
      drift.playing = playing;
    },
    tick() {
      drift.tick();
    },
  };
}

/** The drift's clock: advances the glows' paused animations on every DRIFT_TICKS-th tick while they should move. */
function createDrift(root: HTMLElement): { playing: boolean; tick(): void } {
  /** Milliseconds of drift so far, the time of the last frame, and ticks since. */
  let clock = 0;
  let last = Number.NEGATIVE_INFINITY;
  let ticks = 0;
  const drift = {
    playing: false,
    tick(): void {
      if (!drift.playing || document.hidden || document.body.classList.contains(RESTING)) return;
      if (++ticks < DRIFT_TICKS) return;
      ticks = 0;
      const now = performance.now();
      clock += Math.min(DRIFT_STEP_MAX, Math.max(0, now - last));
      last = now;
      for (const animation of root.getAnimations({ subtree: true })) {
        // The drift only: the layers' cross-fade is a transition, and runs by itself.
        if (animation instanceof CSSAnimation) animation.currentTime = clock;
      }
    },
  };
  return drift;
}

/** A scene colour (#rrggbb) pulled towards the night sky, as red, green and blue 0–255. */
export function dimmed(hex: string): [number, number, number] {
  const channel = (i: number): number => {
    const value = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
    return Math.round(NIGHT[i] + (value - NIGHT[i]) * DIM);
  };
  return [channel(0), channel(1), channel(2)];
}

/** A scene colour (#rrggbb) pulled towards the night sky, as the CSS rgb() the glows use. */
export function dim(hex: string): string {
  const [r, g, b] = dimmed(hex);
  return `rgb(${r} ${g} ${b})`;
}
