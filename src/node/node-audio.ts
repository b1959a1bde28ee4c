/**
 * Web Audio for Node: puts node-web-audio-api's classes where Tone.js and
 * standardized-audio-context look for them. Import this module before `tone`
 * (the CLI, the render workers and Vitest's setupFiles do).
 *
 * `self` deliberately lacks `AudioContext`: with it, importing Tone opens a
 * realtime context, which needs an audio device this machine may not have.
 */
// First: the engine's allocator reads its options from the environment as the engine loads.
import "./allocator.ts";
import * as webAudio from "node-web-audio-api";

const g = globalThis as Record<string, unknown>;
if (!g.__reverieNodeAudio) {
  for (const [name, value] of Object.entries(webAudio)) {
    if (!(name in g)) g[name] = value;
  }
  g.window = { ...webAudio, isSecureContext: true, TONE_SILENCE_LOGGING: true };
  g.self = {
    BaseAudioContext: webAudio.BaseAudioContext,
    AudioWorkletNode: webAudio.AudioWorkletNode,
    TONE_SILENCE_LOGGING: true,
  };

  g.__reverieNodeAudio = true;
}
