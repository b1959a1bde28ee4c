/**
 * The listener's volumes: one per voice (on top of the score's own
 * automation, through `soundscape.setMix`) and the master volume, both as
 * 0–100 sliders whose changes are ramped.
 */

/** Seconds over which a slider change is ramped (no zipper noise, nothing sudden). */
export const VOLUME_RAMP = 0.3;

/**
 * Master volume 0–100 to a gain factor, on a cubic curve: the slider's
 * middle is about −18 dB, which sounds like half as loud, and its lowest
 * steps are truly quiet rather than an abrupt drop to silence.
 */
export function volumeToGain(volume: number): number {
  const v = Math.min(100, Math.max(0, volume)) / 100;
  return v * v * v;
}

/** A voice's mixer volume 0–100 as `setMix` takes it (0–1; it applies its own curve). */
export function voiceLevel(volume: number): number {
  return Math.min(100, Math.max(0, volume)) / 100;
}
