/** Whether a texture joins its chunks seamlessly: two seconds in one stretch against two chunks of one second. */
import { Random } from "../../src/core/random.ts";
import type { Preset } from "../../src/score/preset.ts";
import { planStory } from "../../src/score/timeline.ts";
import { type TextureFactory, textureScore } from "../../src/synth/texture.ts";

/** The largest difference between rendering story seconds [at, at + 2) of the preset's first voice at once and a second at a time. */
export function seam<O>(make: TextureFactory<O>, preset: Preset, at: number, rate = 48000): number {
  const plan = planStory(preset, Random.fromSeed(7));
  const texture = make({ rate, rng: Random.fromSeed(7).fork("seam"), score: textureScore(plan, plan.preset.voices[0]) }, {});
  const stretch = (from: number, seconds: number) => {
    const out = [new Float32Array(seconds * rate), new Float32Array(seconds * rate)] as const;
    texture.render(out, from * rate);
    return out;
  };
  const whole = stretch(at, 2);
  const [first, second] = [stretch(at, 1), stretch(at + 1, 1)];
  let worst = 0;
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < rate; i++)
      worst = Math.max(worst, Math.abs(whole[c][i] - first[c][i]), Math.abs(whole[c][rate + i] - second[c][i]));
  }
  return worst;
}
