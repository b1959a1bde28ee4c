/**
 * The slow, dark backdrop: three soft glows in the scene's colours (each beat
 * has its own), dimmed towards the night, drifting over minutes. A new scene
 * cross-fades in over several seconds between two layers. The drift is CSS
 * animation, which style.css turns off under prefers-reduced-motion (the
 * colours still follow the story, as a fade rather than a movement), and
 * which pauses with the sound.
 */

/** How much of a scene colour survives the dimming, 0–1. */
const DIM = 0.62;
/** The night the colours are dimmed towards. */
const NIGHT = [7, 6, 13] as const;
const FALLBACK = ["#2a2440", "#6b5a7e", "#c9a27e"];

export interface Visual {
  /** Shows a scene's colours (#rrggbb, two or three), cross-fading from the last. */
  show(colors: readonly string[]): void;
  /** Lets the glows drift (true) or holds them still (false). */
  setPlaying(playing: boolean): void;
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
      if (!first) layers[front].classList.remove("is-shown");
      front = next;
    },
    setPlaying(playing) {
      root.classList.toggle("is-still", !playing);
    },
  };
}

/** A scene colour (#rrggbb) pulled towards the night sky, as the CSS rgb() the glows use. */
export function dim(hex: string): string {
  const channel = (i: number): number => {
    const value = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
    return Math.round(NIGHT[i] + (value - NIGHT[i]) * DIM);
  };
  return `rgb(${channel(0)} ${channel(1)} ${channel(2)})`;
}
