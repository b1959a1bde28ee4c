/**
 * The silence the page's media element loops beside the sound
 * (audio-output.ts), as WAV bytes: made rather than fetched, so it also
 * plays offline, and so bench:page's floor plays the very same file.
 */
import { buildWavHeader } from "../pipeline/wav.ts";

/**
 * The loop's length: over the 5 s under which Chrome on Android takes media
 * for a short sound (a transient focus, and no notification).
 */
const LOOP_SECONDS = 10;
/**
 * The loop's rate: the lowest a browser is sure to play, and the cheapest
 * to play (measured in Chromium: a 48 kHz loop cost half a point of a core more).
 */
const LOOP_RATE = 8000;

/** Ten seconds of digital silence, mono 16-bit at 8 kHz: 160 kB. */
export function silentLoop(): Uint8Array<ArrayBuffer> {
  const frames = LOOP_SECONDS * LOOP_RATE;
  const header = buildWavHeader({ sampleRate: LOOP_RATE, channels: 1, format: "pcm16" }, { dataBytes: frames * 2, frames });
  const file = new Uint8Array(header.length + frames * 2);
  file.set(header);
  return file;
}
