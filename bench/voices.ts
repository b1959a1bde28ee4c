/**
 * `npm run bench:voices -- [TYPE…] [--seconds S] [--rounds N]`: the CPU each
 * voice type costs, alone at steady settings (level 0.8, its other
 * parameters 0.5), rendered by the product's engine on this thread
 * (renderSpan, 48 kHz, one window of S seconds, 30 by default), against the
 * same render with no voice (the shared reverb and master): milliseconds of
 * render per second of audio, the best of N rounds (3 by default). For a
 * texture (a voice drawn in JavaScript) it also prints what the drawing
 * alone costs: its chunks rendered one after another, with no engine. The
 * difference is the engine's share, most of it the reverb and master, which
 * cost little with silence going in and several milliseconds with any sound.
 * A benchmark, not a test: it prints figures.
 */
import "../src/node/node-audio.ts";
import { Random } from "../src/core/random.ts";
import { renderSpan } from "../src/engine/offline.ts";
import type { VoiceContext } from "../src/engine/kit.ts";
import { createVoice } from "../src/engine/voices/index.ts";
import { textureScore } from "../src/synth/texture.ts";
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

/** CPU ms per audio second of drawing the voice's texture alone, chunk by chunk; undefined for a voice with a graph. */
function drawing(type: VoiceType): number | undefined {
  const plan = planOf(type);
  const spec = plan.preset.voices[0];
  // A texture voice touches its context only when it is played: a bare one will do here.
  const vc = { context: { sampleRate: RATE }, origin: 0, start: 0, live: false, pools: new Set() } as unknown as VoiceContext;
  const voice = createVoice(type, vc, {}, plan.random.fork(`voice:${spec.name}`), textureScore(plan, spec));
  if (!("texture" in voice)) return undefined;
  const texture = (voice as { texture: { render(out: [Float32Array, Float32Array], start: number): void } }).texture;
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.cpuUsage();
    for (let s = 0; s < SECONDS; s++) texture.render([new Float32Array(RATE), new Float32Array(RATE)], (START + s) * RATE);
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best / SECONDS;
}

const base = await cost(undefined);
console.log(`Reverie voice costs: ${SECONDS} s at ${RATE} Hz on this thread, best of ${ROUNDS}`);
console.log(`  ${"(no voice: reverb, master)".padEnd(28)} ${base.toFixed(1).padStart(6)} ms per audio second`);
for (const type of types) {
  const ms = await cost(type);
  const drawn = drawing(type);
  const own = drawn === undefined ? "a native graph" : `drawing it alone ${drawn.toFixed(1)} ms of CPU`;
  console.log(
    `  ${type.padEnd(28)} ${(ms - base).toFixed(1).padStart(6)} ms per audio second (${ms.toFixed(1)} with the reverb and master; ${own})`,
  );
}
