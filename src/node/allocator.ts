/**
 * The native engine's memory allocator, tuned before the engine loads.
 *
 * node-web-audio-api's binary allocates with mimalloc 2.2 (statically
 * linked), which reads its options from the environment once, when the
 * binary is loaded. With its defaults a freed page is given back to the
 * system only after a delay (10 ms, ×10 in its arenas), checked when the
 * same thread allocates again: the engine's threads finish a window and go
 * idle, so the pages the window freed stay resident. Measured on a loop of
 * 30 s dream windows in one process: 208 → 254 MB RSS over 100 windows and
 * still climbing (the JavaScript heap and external memory flat), against
 * 202–229 MB over 160 windows with pages purged as soon as they are free.
 *
 * This module only sets environment variables, so it must be evaluated
 * before `node-web-audio-api` is first imported in the process:
 * node-audio.ts imports it first. A value the user set is kept.
 */

/** mimalloc's options as Reverie sets them (environment name → value). */
export const ALLOCATOR_OPTIONS: Readonly<Record<string, string>> = {
  // Purge (decommit) freed OS pages at once instead of after a delay nobody waits for.
  MIMALLOC_PURGE_DELAY: "0",
};

for (const [name, value] of Object.entries(ALLOCATOR_OPTIONS)) {
  if (process.env[name] === undefined) process.env[name] = value;
}
