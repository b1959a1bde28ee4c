/**
 * Measures how loud each voice type is alone at level 1, over a grid of its
 * brightness and density, and writes src/score/voice-loudness.json for the
 * score model of loudness normalisation.
 *
 *   npx tsx scripts/calibrate-loudness.ts [--types pad,motif]
 *
 * The energy stored is measured energy ÷ the mean level⁴ the score gave the
 * voice over the span, so it is the energy per unit of the model's own
 * level⁴ term, motion (gusts, breath) and all.
 */
import "../src/node/node-audio.ts";
import { writeFileSync } from "node:fs";
import { controlsAt } from "../src/score/controls.ts";
import { presetFromValue } from "../src/score/preset.ts";
import { Random } from "../src/core/random.ts";
import { planStory } from "../src/score/timeline.ts";
import { VOICE_PARAMS, VOICE_TYPES, type VoiceType } from "../src/score/voice-types.ts";
import { energyToLufs } from "../src/dsp/gating.ts";
import { KWeightedEnergy } from "../src/dsp/k-weighting.ts";
import { MODEL_STEP } from "../src/score/loudness-model.ts";
import { renderSpan } from "../src/engine/offline.ts";
import { VOICE_LOUDNESS, VOICE_LOUDNESS_RATE, type VoiceLoudness } from "../src/score/voice-loudness.ts";
import { VOICES } from "../src/score/voices/index.ts";

const GRID = [0, 0.5, 1];
/** Seconds measured per grid point: longer for voices whose sound comes in random events. */
const SECONDS: Partial<Record<VoiceType, number>> = { motif: 240, lake: 180, waves: 180 };
const DEFAULT_SECONDS = 60;
const START = 20;

async function measure(type: VoiceType, brightness: number, density: number, sampleRate: number): Promise<number> {
  const params = VOICE_PARAMS[type];
  const targets: Record<string, number> = { level: 1 };
  if (params.brightness) targets.brightness = brightness;
  if (params.density) targets.density = density;
  const seconds = SECONDS[type] ?? DEFAULT_SECONDS;
  const preset = presetFromValue(
    {
      id: "calibration",
      title: "calibration",
      storyLength: START + seconds + 60,
      voices: { solo: { type } },
      beats: [{ id: "held", caption: "held", length: 1, transition: 0, targets: { solo: targets } }],
    },
    "calibration",
  );
  const plan = planStory(preset, Random.fromSeed("calibration"), { fadeIn: 0, fadeOut: 0 });
  const energy = new KWeightedEnergy(sampleRate, 2);
  energy.push(await renderSpan(plan, { sampleRate, startFrame: START * sampleRate, frames: seconds * sampleRate }));
  let level4 = 0;
  const steps = Math.round(seconds / MODEL_STEP);
  for (let s = 0; s < steps; s++) {
    const level = Math.min(1.5, Math.max(0, controlsAt(plan, preset.voices[0], START + (s + 0.5) * MODEL_STEP).level));
    level4 += level ** 4 / steps;
  }
  return level4 > 0 ? energyToLufs(energy.mean() / level4) : -Infinity;
}

async function calibrate(type: VoiceType): Promise<VoiceLoudness> {
  const params = VOICE_PARAMS[type];
  const brightness = params.brightness ? GRID : [0.5];
  const density = params.density ? GRID : [0.5];
  const lufs: number[][] = [];
  for (const b of brightness) {
    const row: number[] = [];
    for (const d of density) {
      const lufs = await measure(type, b, d, VOICE_LOUDNESS_RATE);
      // Silent (no events at density 0): far below anything heard.
      row.push(Number.isFinite(lufs) ? Number(lufs.toFixed(2)) : -200);
    }
    lufs.push(row);
  }
  const mid = (a: number[]) => a[Math.floor(a.length / 2)];
  const at44 = await measure(type, mid(brightness), mid(density), 44100);
  const noise = at44 - lufs[Math.floor(brightness.length / 2)][Math.floor(density.length / 2)] > 0.18;
  process.stderr.write(`${type}: ${JSON.stringify(lufs)}${noise ? " (noise)" : ""}\n`);
  return { brightness, density, lufs, noise };
}

const typesArg = process.argv.indexOf("--types");
const types = (typesArg === -1 ? [...VOICE_TYPES] : process.argv[typesArg + 1].split(",")) as VoiceType[];
const table: Record<string, VoiceLoudness> = { ...VOICE_LOUDNESS.voices };
for (const type of types) {
  if (!VOICE_TYPES.includes(type)) throw new Error(`unknown voice type ${type}`);
  table[VOICES[type].calibration] = await calibrate(type);
}

// Laid out as Biome formats JSON, so the file passes the lint as written.
const list = (values: number[]) => `[${values.join(", ")}]`;
const entries = VOICE_TYPES.map((type) => VOICES[type].calibration)
  .filter((key) => table[key])
  .map((key) => {
    const t = table[key];
    const fields = [
      `"brightness": ${list(t.brightness)}`,
      `"density": ${list(t.density)}`,
      `"lufs": [${t.lufs.map(list).join(", ")}]`,
      `"noise": ${t.noise}`,
    ];
    return `    "${key}": {\n${fields.map((field) => `      ${field}`).join(",\n")}\n    }`;
  });
const path = new URL("../src/score/voice-loudness.json", import.meta.url);
writeFileSync(path, `{\n  "sampleRate": ${VOICE_LOUDNESS_RATE},\n  "voices": {\n${entries.join(",\n")}\n  }\n}\n`);
process.stderr.write(`wrote ${path.pathname}\n`);
