/**
 * The page side of the bench's Chromium baseline (bench/run.ts): the dream
 * rendered in one offline context of the whole span in Chromium, with
 * Reverie's own engine (the same voices, reverb and mix), as a Tone.js user
 * renders a file in a browser today: one OfflineAudioContext, no windows, no
 * workers.
 *
 * The context pauses every 5 s of audio to schedule what follows and let go
 * of what has ended (`renderSpan` over the whole span, no pre-roll), rather
 * than scheduling everything before it starts: every voice has a noise
 * stream of its own, and ten minutes of it made up front is about 1.6 GB of
 * buffers, which the page does not survive.
 */
import { renderSpan } from "../src/engine/offline.ts";
import { parsePreset } from "../src/score/preset.ts";
import { Random } from "../src/core/random.ts";
import { planStory } from "../src/score/timeline.ts";

/** Renders `seconds` of the preset in one offline context; resolves with the wall seconds it took. */
async function renderWhole(presetText: string, seconds: number, sampleRate: number): Promise<number> {
  const preset = parsePreset(presetText, "presets/dream.json");
  const plan = planStory(preset, Random.fromSeed(1), { story: seconds, total: seconds });
  const started = performance.now();
  const audio = await renderSpan(plan, {
    sampleRate,
    startFrame: 0,
    frames: Math.round(seconds * sampleRate),
    preroll: 0,
  });
  const elapsed = (performance.now() - started) / 1000;
  if (audio[0].length !== Math.round(seconds * sampleRate)) throw new Error(`rendered ${audio[0].length} frames of ${seconds} s`);
  return elapsed;
}

(window as unknown as { renderWhole: typeof renderWhole }).renderWhole = renderWhole;
