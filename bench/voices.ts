/**
 * `npm run bench:voices -- [TYPE…] [--seconds S] [--rounds N]`: the CPU each
 * voice type costs, alone at steady settings (level 0.8, its other
 * parameters 0.5), rendered by the product's engine on this thread
 * (renderSpan, 48 kHz, one window of S seconds, 30 by default), against the
 * same render with no voice (the shared reverb and master): milliseconds of
 * render per second of audio, the best of N rounds (3 by default). A
 * benchmark, not a test: it prints figures.
 */
import "../src/node/node-audio.ts";
import { Random } from "../src/core/random.ts";
import { renderSpan } from "../src/engine/offline.ts";
import { presetFromValue } from "../src/score/preset.ts";
import { planStory } from "../src/score/timeline.ts";
import { VOICE_PARAMS, VOICE_TYPES, type VoiceType } from "../src/score/voice-types.ts";

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? undefined : args[at + 1];
};
const SECONDS = Number(option("seconds") ?? 30);
const ROUNDS = Number(option("rounds") ?? 3);
const RATE = 48000;
const START = 20;
const named = args.filter((a, i) => !a.startsWith("--") && (i === 0 || !args[i - 1].startsWith("--")));
const types = (named.length > 0 ? named : VOICE_TYPES) as VoiceType[];
for (const type of types)
  if (!VOICE_TYPES.includes(type)) throw new Error(`unknown voice type "${type}" (known: ${VOICE_TYPES.join(", ")})`);

function planOf(type: VoiceType | undefined) {
  const params = type ? Object.fromEntries(Object.keys(VOICE_PARAMS[type]).map((name) => [name, name === "level" ? 0.8 : 0.5])) : {};
  const preset = presetFromValue(
    {
      id: "voice-cost",
      title: "one voice",
      storyLength: START + SECONDS + 10,
      voices: type ? { solo: { type } } : { solo: { type: "pad" } },
      beats: [{ id: "steady", caption: "steady", length: 1, transition: 0, targets: { solo: type ? params : { level: 0 } } }],
    },
    "bench/voices.ts",
  );
  const plan = planStory(preset, Random.fromSeed(7));
  // No voice at all: the same graph without the one voice.
  return type ? plan : { ...plan, preset: { ...plan.preset, voices: [] } };
}

async function cost(type: VoiceType | undefined): Promise<number> {
  const plan = planOf(type);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    await renderSpan(plan, { sampleRate: RATE, startFrame: START * RATE, frames: SECONDS * RATE });
    best = Math.min(best, performance.now() - t0);
  }
  return best / SECONDS;
}

const base = await cost(undefined);
console.log(`Reverie voice costs: ${SECONDS} s at ${RATE} Hz on this thread, best of ${ROUNDS}`);
console.log(`  ${"(no voice: reverb, master)".padEnd(28)} ${base.toFixed(1).padStart(6)} ms per audio second`);
for (const type of types) {
  const ms = await cost(type);
  console.log(
    `  ${type.padEnd(28)} ${(ms - base).toFixed(1).padStart(6)} ms per audio second (${ms.toFixed(1)} with the reverb and master)`,
  );
}
