/**
 * How a long render is cut into windows: plain numbers, with no Tone.js, so
 * the command line's main thread, the render workers and the page share them.
 */

/**
 * Seconds of story time per window of a long render (render.ts), here where
 * the page's downloads can share it. Shorter windows hold less audio in
 * memory at once (a window in flight is held about three times over: the
 * engine's output, its copy, the master's); longer ones spend less on
 * pre-roll. 30 s with a 3 s pre-roll: 10% more audio rendered than written.
 */
export const WINDOW_SECONDS = 30;

/**
 * Seconds rendered before a window and thrown away. The reverb's tail is the
 * longest in the graph (-60 dB in 3.2 s, -90 dB in 4.8 s); after 3 s its
 * state is within -56 dB of a render that never stopped, under the dry
 * sound. Measured on the dream: joined windows differ from one pass by -84 dB
 * over the whole, -67 dB at worst in the second after a seam (2 s: -68 and
 * -51; 4 s gains nothing more: the rest is the order of float sums).
 */
export const PREROLL = 3;

/** Window boundaries in frames: fixed by the sample rate alone, never by how the work is shared. */
export function windows(totalFrames: number, sampleRate: number): { startFrame: number; frames: number }[] {
  const size = WINDOW_SECONDS * sampleRate;
  const list = [];
  for (let start = 0; start < totalFrames; start += size) {
    list.push({ startFrame: start, frames: Math.min(size, totalFrames - start) });
  }
  return list;
}
