/**
 * Reverie's picture: the night sky of the page (three soft glows in a
 * scene's colours, dimmed, under a vignette) with a crescent moon, painted
 * pixel by pixel into RGBA bytes. One painter for two uses: the app's icons
 * (scripts/icons.ts encodes them as PNG files) and the artwork the system's
 * media controls show for the scene playing (media-session.ts draws it on a
 * canvas). Pure: no DOM.
 */
import { dimmed, FALLBACK, NIGHT } from "../visual.ts";

export interface ArtworkOptions {
  /** Radius of the moon as a fraction of the side; a maskable icon keeps it inside the safe circle. */
  moon?: number;
}

/** A soft round glow: centre and radii as fractions of the side, opacity 0–1, and which colour. */
interface Glow {
  x: number;
  y: number;
  rx: number;
  ry: number;
  opacity: number;
  color: number;
}

/** The sky's glows as sky.css lays them out on a square screen. */
const GLOWS: readonly Glow[] = [
  { x: 0.25, y: 0.1, rx: 0.6, ry: 0.5, opacity: 0.9, color: 0 },
  { x: 0.85, y: 0.95, rx: 0.5, ry: 0.45, opacity: 0.55, color: 1 },
  { x: 0.55, y: 0.45, rx: 0.28, ry: 0.28, opacity: 0.16, color: 2 },
];
/** The moon's colour: the play button's. */
const MOON = [216, 204, 239] as const;

/** Paints a `size`×`size` picture of the sky in `colors` (#rrggbb, two or three) as RGBA bytes. */
export function paintArtwork(size: number, colors: readonly string[], options: ArtworkOptions = {}): Uint8ClampedArray<ArrayBuffer> {
  const safe = colors.filter((c) => /^#[0-9a-fA-F]{6}$/.test(c));
  const palette = (safe.length >= 2 ? safe : FALLBACK).map(dimmed);
  const moon = options.moon ?? 0.2;
  const pixels = new Uint8ClampedArray(size * size * 4);
  const rgb = [0, 0, 0];
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      rgb[0] = NIGHT[0];
      rgb[1] = NIGHT[1];
      rgb[2] = NIGHT[2];
      for (const glow of GLOWS) {
        const d = Math.hypot((x - glow.x) / glow.rx, (y - glow.y) / glow.ry);
        if (d < 1) over(rgb, palette[Math.min(glow.color, palette.length - 1)], (1 - d) * glow.opacity);
      }
      // The page's vignette: clear to 35 % of the way to a corner, 60 % night at the corner.
      const v = Math.hypot(x - 0.5, y - 0.4) / Math.hypot(0.5, 0.6);
      if (v > 0.35) over(rgb, NIGHT, (0.6 * (v - 0.35)) / 0.65);
      if (moon > 0) over(rgb, MOON, crescent(x, y, moon, size));
      const at = 4 * (py * size + px);
      pixels[at] = rgb[0];
      pixels[at + 1] = rgb[1];
      pixels[at + 2] = rgb[2];
      pixels[at + 3] = 255;
    }
  }
  return pixels;
}

/** Blends `color` over `rgb` with opacity `alpha`, in place. */
function over(rgb: number[], color: readonly number[], alpha: number): void {
  for (let i = 0; i < 3; i++) rgb[i] += (color[i] - rgb[i]) * alpha;
}

/** How much of the pixel at (x, y) the crescent covers, 0–1: a disc less a disc shifted up and right, edges a pixel soft. */
function crescent(x: number, y: number, radius: number, size: number): number {
  const edge = 1 / size;
  const inside = (d: number): number => Math.min(1, Math.max(0, (radius - d) / edge + 0.5));
  const lit = inside(Math.hypot(x - 0.5, y - 0.5));
  const shade = inside(Math.hypot(x - 0.5 - radius * 0.45, y - 0.5 + radius * 0.3));
  return lit * (1 - shade) * 0.92;
}
