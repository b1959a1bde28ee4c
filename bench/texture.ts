/**
 * `npm run bench:texture -- [DIR] [--out OUTDIR] [--seconds S]`: how near each
 * nature voice is, as a texture, to real recordings of what it is named
 * (src/dsp/texture.ts). A benchmark, not a test: it prints figures and
 * writes pictures.
 *
 * Each nature voice is rendered alone, held at steady settings (level 0.8,
 * its other parameters at 0.5), through the product's own engine (renderSpan,
 * story time 20 s to 20 + S s, S = 45 by default), mixed to mono. For each
 * it prints a summary of its statistics and its distance to noise with its
 * own long-term spectrum. Given DIR, it reads every WAV there: either
 * DIR/KIND/*.wav, or DIR/KIND-anything.wav (the file name's first word, split
 * at - _ . or a space); KIND is a voice's name or one of ALIASES (any case).
 * Channels are mixed to mono; the first S seconds are analysed at the file's
 * own rate (the bands are defined in Hz; 44.1 and 48 kHz both hold them;
 * at 22.7 kHz or below a file is skipped). Then, per voice: its nearest
 * recordings, each with the distance of the voice's spectrum-matched noise
 * beside it; and for its own kind, the mean distance of the voice and of its
 * noise to those recordings and the spread (mean distance) between two of
 * them. A voice is right when it is nearer than its noise and within the
 * spread.
 *
 * Into OUTDIR (default a new temporary folder) it writes a spectrogram PNG
 * (sox, 0–12 kHz, 100 dB range) of each voice alone, of each recording, and of the first 2 minutes of
 * each preset rendered by the command line (seed 7), with the WAVs beside them.
 */
import "../src/node/node-audio.ts";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Random } from "../src/core/random.ts";
import { spectrumMatchedNoise, type TextureStatistics, textureStatistics } from "../src/dsp/texture.ts";
import { textureDistance } from "../src/dsp/texture-distance.ts";
import { renderSpan } from "../src/engine/offline.ts";
import { openWavWriter, readWavFile } from "../src/node/wav-file.ts";
import { presetFromValue } from "../src/score/preset.ts";
import { planStory } from "../src/score/timeline.ts";
import { VOICE_PARAMS, type VoiceType } from "../src/score/voice-types.ts";
import { presetNames } from "../src/cli/presets.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RATE = 48000;
const START = 20;

const NATURE: readonly VoiceType[] = ["waterfall", "leaves", "nightAir", "lake", "rain", "waves", "fire", "driftNoise"];
/** Other first words a recording's name or folder may use for a voice's kind. */
const ALIASES: Record<string, VoiceType> = {
  wind: "leaves",
  forest: "leaves",
  night: "nightAir",
  crickets: "nightAir",
  insects: "nightAir",
  water: "lake",
  shore: "lake",
  surf: "waves",
  sea: "waves",
  ocean: "waves",
  campfire: "fire",
  noise: "driftNoise",
};

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? undefined : args[at + 1];
};
const positional = args.filter((a, i) => !a.startsWith("--") && (i === 0 || !args[i - 1].startsWith("--")));
const DIR = positional[0];
const SECONDS = Number(option("seconds") ?? 45);
const OUT = option("out") ?? mkdtempSync(join(tmpdir(), "reverie-texture-"));
mkdirSync(OUT, { recursive: true });
const HAS_SOX = spawnSync("sox", ["--version"]).status === 0;

interface Sound {
  name: string;
  kind?: VoiceType;
  stats: TextureStatistics;
}

const kindOf = (word: string): VoiceType | undefined =>
  NATURE.find((v) => v.toLowerCase() === word.toLowerCase()) ?? ALIASES[word.toLowerCase()];

/** The voice alone at steady settings, story time [START, START + SECONDS), mixed to mono. */
async function renderVoice(type: VoiceType): Promise<Float32Array> {
  const params = Object.fromEntries(Object.keys(VOICE_PARAMS[type]).map((name) => [name, name === "level" ? 0.8 : 0.5]));
  const preset = presetFromValue(
    {
      id: `texture-${type.toLowerCase()}`,
      title: `${type} alone`,
      storyLength: START + SECONDS + 10,
      voices: { solo: { type } },
      beats: [{ id: "steady", caption: "steady", length: 1, transition: 0, targets: { solo: params } }],
    },
    "bench/texture.ts",
  );
  const plan = planStory(preset, Random.fromSeed(7));
  const [left, right] = await renderSpan(plan, { sampleRate: RATE, startFrame: START * RATE, frames: SECONDS * RATE });
  return Float32Array.from(left, (v, i) => 0.5 * (v + right[i]));
}

function spectrogram(wav: string, title: string, png = wav.replace(/\.wav$/i, ".png")): void {
  if (!HAS_SOX) return;
  const run = spawnSync("sox", [
    wav,
    "-n",
    "remix",
    "-",
    "rate",
    "24k",
    "spectrogram",
    "-x",
    "1200",
    "-y",
    "513",
    "-z",
    "100",
    "-t",
    title,
    "-o",
    png,
  ]);
  if (run.status !== 0) console.log(`  sox failed on ${wav}: ${run.stderr.toString().trim()}`);
}

async function writeMono(path: string, samples: Float32Array): Promise<void> {
  const writer = await openWavWriter(path, { sampleRate: RATE, channels: 1, format: "f32" });
  await writer.write([samples]);
  await writer.finish();
}

/** Every readable WAV in DIR, by kind: DIR/KIND/*.wav or DIR/KIND-….wav. */
function recordingFiles(dir: string): { path: string; name: string; kind?: VoiceType }[] {
  const found: { path: string; name: string; kind?: VoiceType }[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      for (const file of readdirSync(path).sort()) {
        if (/\.wav$/i.test(file)) found.push({ path: join(path, file), name: `${entry}/${file}`, kind: kindOf(entry) });
      }
    } else if (/\.wav$/i.test(entry)) {
      found.push({ path, name: entry, kind: kindOf(entry.split(/[-_. ]/)[0]) });
    }
  }
  return found;
}

async function readRecordings(dir: string): Promise<Sound[]> {
  const sounds: Sound[] = [];
  mkdirSync(join(OUT, "recordings"), { recursive: true });
  for (const file of recordingFiles(dir)) {
    try {
      const wav = await readWavFile(file.path);
      const frames = Math.min(wav.frames, Math.round(SECONDS * wav.sampleRate));
      const mono = new Float32Array(frames);
      for (const channel of wav.data) for (let i = 0; i < frames; i++) mono[i] += channel[i] / wav.data.length;
      sounds.push({ name: file.name, kind: file.kind, stats: textureStatistics(mono, wav.sampleRate) });
    } catch (err) {
      console.log(`skipped ${file.name}: ${(err as Error).message}`);
      continue;
    }
    spectrogram(file.path, file.name, join(OUT, "recordings", `${file.name.replace(/[/\\]/g, "-").replace(/\.wav$/i, "")}.png`));
  }
  return sounds;
}

const f2 = (x: number) => x.toFixed(2);
const median = (x: number[]) => [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)];

/** One line: spectral centroid, sparsity by register, the strongest modulation band, co-modulation. */
function summary(s: TextureStatistics): string {
  const power = Array.from(s.spectrum, (db) => 10 ** (db / 10));
  const centroid = power.reduce((sum, p, b) => sum + p * s.centres[b], 0) / power.reduce((a, b) => a + b, 0);
  const kurtosis = (lo: number, hi: number) => f2(median(Array.from(s.kurtosis).filter((_, b) => s.centres[b] >= lo && s.centres[b] < hi)));
  const shares = s.modulation[0].map((_, j) => s.modulation.reduce((sum, band) => sum + band[j], 0) / s.modulation.length);
  const top = shares.indexOf(Math.max(...shares));
  const adjacent = s.correlation.slice(0, -1).map((row, b) => row[b + 1]);
  const centres = [0.5, 1, 2, 4, 8, 16, 32, 64, 128];
  return (
    `centroid ${centroid.toFixed(0)} Hz · kurtosis <500 Hz ${kurtosis(0, 500)}, 0.5–2k ${kurtosis(500, 2000)}, 2–8k ${kurtosis(2000, 8000)}` +
    ` · modulation peak ${centres[top]} Hz (${f2(shares[top])}) · adjacent-band r ${f2(adjacent.reduce((a, b) => a + b, 0) / adjacent.length)}`
  );
}

function meanDistance(a: TextureStatistics, others: Sound[]): number {
  return others.reduce((sum, o) => sum + textureDistance(a, o.stats), 0) / others.length;
}

function compare(voice: VoiceType, stats: TextureStatistics, noise: TextureStatistics, recordings: Sound[]): void {
  const ranked = recordings.map((r) => ({ r, d: textureDistance(stats, r.stats) })).sort((a, b) => a.d - b.d);
  const nearest = ranked.slice(0, 3).map(({ r, d }) => `${r.name} ${f2(d)} (its noise ${f2(textureDistance(noise, r.stats))})`);
  console.log(`  nearest: ${nearest.join(" · ")}`);
  const own = recordings.filter((r) => r.kind === voice);
  if (own.length === 0) {
    console.log(`  no recordings of its kind (${voice}) in ${DIR}`);
    return;
  }
  const mine = meanDistance(stats, own);
  const its = meanDistance(noise, own);
  let spread = Number.NaN;
  if (own.length > 1) {
    let sum = 0;
    let pairs = 0;
    for (let i = 0; i < own.length; i++) {
      for (let j = i + 1; j < own.length; j++, pairs++) sum += textureDistance(own[i].stats, own[j].stats);
    }
    spread = sum / pairs;
  }
  const verdict = `nearer than its noise: ${mine < its ? "yes" : "no"}; within the spread: ${own.length > 1 ? (mine <= spread ? "yes" : "no") : "n/a (one recording)"}`;
  console.log(
    `  its kind (${own.length} recording${own.length === 1 ? "" : "s"}): voice ${f2(mine)}, its noise ${f2(its)}, spread ${own.length > 1 ? f2(spread) : "n/a"} → ${verdict}`,
  );
}

async function presetSpectrograms(): Promise<void> {
  for (const name of presetNames()) {
    const wav = join(OUT, `preset-${name}.wav`);
    const args = ["bin/reverie.js", "render", "--preset", name, "--length", "2m", "--seed", "7", "--out", wav, "--quiet"];
    const run = spawnSync(process.execPath, args, { cwd: ROOT });
    if (run.status !== 0) console.log(`  render of ${name} failed: ${run.stderr.toString().trim()}`);
    else spectrogram(wav, `${name}, first 2 minutes (seed 7)`);
  }
}

async function main(): Promise<void> {
  console.log(`bench:texture — ${SECONDS} s of each voice alone; pictures and WAVs in ${OUT}${HAS_SOX ? "" : " (no sox: no PNGs)"}`);
  const recordings = DIR ? await readRecordings(DIR) : [];
  if (DIR)
    console.log(
      `${recordings.length} recordings from ${basename(DIR)}: ${recordings.map((r) => `${r.name} [${r.kind ?? "?"}]`).join(", ")}`,
    );
  for (const voice of NATURE) {
    const samples = await renderVoice(voice);
    const wav = join(OUT, `voice-${voice}.wav`);
    await writeMono(wav, samples);
    spectrogram(wav, `${voice} alone, steady (level 0.8, other parameters 0.5)`);
    const stats = textureStatistics(samples, RATE);
    const noise = textureStatistics(spectrumMatchedNoise(samples, RATE, voice), RATE);
    console.log(`\n${voice}: ${summary(stats)}`);
    console.log(`  its spectrum-matched noise: ${summary(noise)}`);
    console.log(`  distance voice ↔ its spectrum-matched noise: ${f2(textureDistance(stats, noise))}`);
    if (recordings.length > 0) compare(voice, stats, noise, recordings);
  }
  console.log("\npresets (first 2 minutes):");
  await presetSpectrograms();
  console.log(`done: ${OUT}`);
}

await main();
