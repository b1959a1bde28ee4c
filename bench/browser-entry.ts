/**
 * The page side of the bench's Chromium baseline (bench/run.ts): the dream
 * rendered the way a Tone.js user renders a file today, one Tone.Offline of
 * the whole span, with Reverie's own engine (the same voices, reverb and mix)
 * and everything scheduled before the render starts.
 */
import * as Tone from "tone";
import { createSoundscape } from "../src/mix/soundscape.ts";
import { parsePreset } from "../src/score/preset.ts";
import { Random } from "../src/score/random.ts";
import { planStory } from "../src/score/timeline.ts";

/** Renders `seconds` of the preset in one offline context; resolves with the wall seconds it took. */
async function renderWhole(presetText: string, seconds: number, sampleRate: number): Promise<number> {
  const preset = parsePreset(presetText, "presets/dream.json");
  const plan = planStory(preset, Random.fromSeed(1), { story: seconds, total: seconds });
  const started = performance.now();
  const buffer = await Tone.Offline(
    (context) => {
      const scape = createSoundscape(context, plan, { origin: 0, start: 0 });
      scape.output.connect(context.destination);
      scape.schedule(0, seconds);
    },
    seconds,
    2,
    sampleRate,
  );
  const elapsed = (performance.now() - started) / 1000;
  if (buffer.duration < seconds - 0.01) throw new Error(`rendered ${buffer.duration} s of ${seconds}`);
  return elapsed;
}

(window as unknown as { renderWhole: typeof renderWhole }).renderWhole = renderWhole;
