/**
 * How a long render is cut into windows: plain numbers, with no Tone.js, so
 * the command line's main thread, the render workers and the page share them.
 */

/**
 * Seconds of story time per window of a render, on the command line
 * (node/render-file.ts) and in the page's downloads alike. Shorter windows
 * hold less audio in memory at once (a window in flight is held about twice
 * over: the engine's output and its copy; with 2 jobs two render at once);
 * longer ones spend less on pre-roll. 20 s with a 3 s pre-roll: 15% more
 * audio rendered than written. Measured with `npm run bench:long -- --length
 * 10m --format pcm16 --jobs 2` (the dream): peak 225 MB PSS (354 MB RSS
 * summed over the processes) with 20 s windows, 259 MB (391 MB) with 30 s.
 */
export const WINDOW_SECONDS = 20;

/**
 * Seconds rendered before a window and thrown away. The reverb's tail is the
 * longest in the graph (-60 dB in 3.2 s, -90 dB in 4.8 s); after 3 s its
 * state is within -56 dB of a render that never stopped, under the dry
 * sound. Measured on the dream: joined windows differ from one pass by -84 dB
 * over the whole, -67 dB at worst in the second after a seam (2 s: -68 and
 * -51; 4 s gains nothing more: the rest is the order of float sums).
 */
export const PREROLL = 3;

/** Frames of a Web Audio render quantum. */
export const QUANTUM = 128;

/**
 * About `seconds` of frames, rounded to whole render quanta. Windows,
 * pre-rolls and the voices' buffers all have such lengths, so every buffer
 * source starts on a quantum of its context at any rate (at 48 kHz they are
 * exact seconds anyway; at 44.1 kHz a window is 20.0004 s): Node's engine
 * plays one that starts off a quantum by interpolating every sample, 15
 * times the cost (see kit.localFrame).
 */
export function quantumFrames(seconds: number, sampleRate: number): number {
  return Math.max(1, Math.round((seconds * sampleRate) / QUANTUM)) * QUANTUM;
}

/** Window boundaries in frames: fixed by the sample rate alone, never by how the work is shared. */
export function windows(totalFrames: number, sampleRate: number): { startFrame: number; frames: number }[] {
  const size = quantumFrames(WINDOW_SECONDS, sampleRate);
  const list = [];
  for (let start = 0; start < totalFrames; start += size) {
    list.push({ startFrame: start, frames: Math.min(size, totalFrames - start) });
  }
  return list;
}
