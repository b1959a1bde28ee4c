/**
 * `npm run icons`: draws the app's icons into public/icons/ from the page's
 * own colours (the dream's first scene, dimmed as the sky dims it, with the
 * moon): 192 and 512 px for any use, 180 px for iOS's home screen, and a 512 px maskable one whose moon
 * stays inside the safe circle a launcher may crop to. The pictures are
 * src/web/pwa/artwork.ts's, the same painter as the lock screen's artwork;
 * the PNG encoder is this file's own (zlib from Node, one IDAT chunk).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";
import { paintArtwork } from "../src/web/pwa/artwork.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(ROOT, "public/icons");
const DREAM = JSON.parse(readFileSync(join(ROOT, "presets/dream.json"), "utf8")) as { beats: { colors?: string[] }[] };
const COLORS = DREAM.beats[0].colors ?? [];

/** Name, side in pixels, and the moon's radius as a fraction of the side. */
const ICONS: [string, number, number][] = [
  ["icon-192.png", 192, 0.24],
  ["icon-512.png", 512, 0.24],
  // iOS's home screen takes this one (it ignores the manifest's icons) and rounds its corners itself.
  ["apple-touch-icon.png", 180, 0.24],
  // The safe circle of a maskable icon is 40 % of the side in radius: the moon keeps well inside it.
  ["maskable-512.png", 512, 0.17],
];

/** An opaque RGB PNG of RGBA pixels, each row Paeth-filtered (smooth gradients then compress well). */
function encodePng(width: number, height: number, rgba: Uint8ClampedArray): Buffer {
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  const row = new Uint8Array(stride);
  const above = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) row[x * 3 + c] = rgba[4 * (y * width + x) + c];
    const at = y * (stride + 1);
    raw[at] = 4;
    for (let i = 0; i < stride; i++) {
      const a = i >= 3 ? row[i - 3] : 0;
      const b = above[i];
      const c = i >= 3 ? above[i - 3] : 0;
      raw[at + 1 + i] = (row[i] - paeth(a, b, c)) & 0xff;
    }
    above.set(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, adaptive filters, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

mkdirSync(OUT, { recursive: true });
for (const [name, size, moon] of ICONS) {
  const png = encodePng(size, size, paintArtwork(size, COLORS, { moon }));
  writeFileSync(join(OUT, name), png);
  console.log(`public/icons/${name}: ${size}×${size}, ${(png.length / 1024).toFixed(0)} KB`);
}
