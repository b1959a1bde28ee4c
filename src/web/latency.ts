/**
 * The output latency the page's context asks for, in seconds (its own
 * module, so the benchmark's floor (bench/page.ts) builds the same output
 * path without the player). A sleep soundscape's every change is a fade of
 * a second or more, so a fifth of a second of latency costs nothing
 * audible; the engine's buffers are then 8192 frames, where "playback" gives
 * 1024 in Chromium on Linux, so its audio thread and the audio service wake
 * an eighth as often (measured with a bare oscillator into the destination:
 * 1.0 % of a core in all, against 2.0 %).
 */
export const OUTPUT_LATENCY = 0.2;
