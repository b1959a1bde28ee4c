/**
 * `reverie`: render soundscapes to files, list and check presets.
 * Bad usage or input prints one line on stderr and exits with code 2;
 * a failure while rendering exits with 1; an interrupted render with 130.
 *
 * The audio engine is not loaded here (16 MB): the render workers load it
 * (node/pool.ts); this process plans, masters, encodes and writes.
 */
import { formatDuration } from "../core/duration.ts";
import { PresetError } from "../score/preset.ts";
import { Random } from "../core/random.ts";
import { planStory } from "../score/timeline.ts";
import { DEFAULT_TARGET } from "../score/loudness-model.ts";
import { renderToFile } from "../node/render-file.ts";
import { analyze } from "./analyze.ts";
import { loudnessNote, loudnessOption } from "./loudness.ts";
import { checkOutputPath, OutputPathError } from "../node/wav-file.ts";
import type { InputOfRender } from "../node/atomic-file.ts";
import { removeLeftovers } from "../node/files.ts";
import { STANDARD_OUTPUT, STANDARD_OUTPUT_NAME, standardOutputIsTerminal } from "../node/stdout-sink.ts";
import { tmpdir } from "node:os";
import { dirname } from "node:path";
import { printable } from "./printable.ts";
import { CODEC_EXTENSIONS, codecForPath } from "../node/encoders.ts";
import { defaultJobs, MAX_JOBS } from "../node/pool.ts";
import type { OutputFormat } from "../node/render-file.ts";
import { choiceOption, lengthOption, parseArgs, seedOption, UsageError } from "./args.ts";
import { loadPreset, loadPresetFile, presetNames, asUsageError } from "./presets.ts";
import { createProgress } from "./progress.ts";
import { composeCommand } from "./compose.ts";

const HELP = `reverie: a generative soundscape that follows a story, for sleep and meditation

Usage:
  reverie render [options]     render a soundscape to a WAV, Ogg Vorbis or MP3 file
  reverie presets              list the presets
  reverie validate FILE…       check preset files
  reverie analyze FILE.wav     loudness, true peak, DC and clipping of a WAV file (--json for scripts)
  reverie compose STORY.txt    make a preset from a story (reverie compose --help)
  reverie --help               this text; reverie render --help for the render options

Exit codes: 0 done, 1 failed while rendering, 2 bad usage or input, 130 interrupted.
`;

const RENDER_HELP = `reverie render: render a soundscape to a WAV, Ogg Vorbis or MP3 file (stereo)

Options:
  --preset NAME|PATH   a preset name (see reverie presets) or a .json file; default dream
  --length LENGTH      total length, e.g. 90s, 10m, 1h30m (at most 24h); default the story length
  --story LENGTH       story length; the beats scale to fit; default the preset's natural
                       length, capped at --length. After the story the last scene drifts on.
  --seed SEED          a number or a word; the same seed gives the same file; default 1
  --out FILE           where to write; default <preset>-<seed>.wav (or .ogg, .mp3). An existing
                       regular file is replaced if it is writable; a device, FIFO, socket,
                       read-only file or the preset itself is refused. - writes to standard
                       output (WAV by default, or --format ogg/mp3), e.g. --out - | aplay
  --format FORMAT      WAV: pcm16 (dithered), pcm24 or f32; compressed: ogg (Vorbis, about
                       115 kb/s) or mp3 (128 kb/s). Default by the extension of --out: .ogg,
                       .mp3, else pcm16 WAV. A format that contradicts the extension is an error.
  --jobs N             worker processes rendering in parallel, 1 to 64; default the number of
                       cores. At most 2 per core and one per 20 s window are started (the
                       file is the same for any number)
  --rate RATE          44100 or 48000; default 48000
  --loudness LUFS      target integrated loudness, from -40 to -10; default -23 (EBU R128).
                       The true peak is held at -1 dBTP.
  --quiet              no progress bar (it is never shown when stderr is not a terminal)

Example:
  npx reverie render --preset dream --length 10m --seed 7 --out dream.wav
  npx reverie render --preset dream --length 8h --out night.ogg
`;

async function render(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(
    argv,
    { values: ["preset", "length", "story", "seed", "out", "format", "rate", "loudness", "jobs"], flags: ["help", "quiet"] },
    "render",
  );
  if (options.has("help")) {
    process.stdout.write(RENDER_HELP);
    return 0;
  }
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}" (see reverie render --help)`);
  const text = (name: string) => options.get(name) as string | undefined;

  const formatFlag =
    text("format") === undefined
      ? undefined
      : choiceOption<OutputFormat>("format", text("format") as string, ["pcm16", "pcm24", "f32", "ogg", "mp3"]);
  const jobs = jobsOption(text("jobs"));
  const sampleRate = Number(choiceOption("rate", text("rate") ?? "48000", ["44100", "48000"]));
  const seed = seedOption(text("seed") ?? "1");
  const loudness = loudnessOption(text("loudness") ?? String(DEFAULT_TARGET));
  const length = text("length") === undefined ? undefined : lengthOption("length", text("length") as string);
  const storyOption = text("story") === undefined ? undefined : lengthOption("story", text("story") as string);
  if (text("out")?.trim() === "") throw new UsageError("--out needs a file name (or - for standard output)");
  const { preset, file: presetFile } = loadPresetFile(text("preset") ?? "dream");
  const out =
    text("out") ?? `${preset.id}-${seed}${formatFlag === "ogg" || formatFlag === "mp3" ? CODEC_EXTENSIONS[formatFlag][0] : ".wav"}`;
  const format = outputFormat(formatFlag, out);
  await checkTarget(out, presetFile);

  const total = length ?? storyOption ?? preset.storyLength;
  const story = Math.min(storyOption ?? preset.storyLength, total);
  const plan = planStory(preset, Random.fromSeed(seed), { story, total });
  const removed = await removeLeftovers(out === STANDARD_OUTPUT ? tmpdir() : dirname(out));
  if (removed.length > 0) {
    const names = removed.length > 3 ? `${removed.slice(0, 3).join(", ")}…` : removed.join(", ");
    process.stderr.write(`reverie: removed ${removed.length} temporary file(s) left by a render that was killed (${names})\n`);
  }

  const progress = createProgress(process.stderr, !options.has("quiet"));
  const started = performance.now();
  return withSignals(async (signal) => {
    try {
      const result = await renderToFile(plan, { out, sampleRate, format, jobs, loudness, signal, onProgress: progress.update });
      progress.done();
      const seconds = (performance.now() - started) / 1000;
      const where = out === STANDARD_OUTPUT ? STANDARD_OUTPUT_NAME : out;
      const summary =
        `wrote ${where}: ${formatDuration(total)} of "${preset.title}" (story ${formatDuration(story)}, seed ${seed}), ` +
        `${format} ${sampleRate} Hz, ${(result.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`;
      process.stderr.write(`${printable(summary)}\n${loudnessNote(loudness, result.loudness)}\n`);
      return 0;
    } catch (error) {
      progress.done();
      if (signal.aborted) {
        const what = out === STANDARD_OUTPUT ? "what went to standard output is incomplete" : "nothing was written";
        process.stderr.write(`reverie: interrupted; ${what}\n`);
        return 130;
      }
      throw error;
    }
  });
}

/**
 * Runs `task` with SIGINT and SIGTERM turned into its signal's abort. The
 * handlers stay for the life of the process, clean-up and exit included: a
 * later signal (a second Ctrl-C, or `timeout`, which signals the process and
 * then its group) must not end the process while it removes its temporary
 * files, as the default action would. They do not keep the process alive.
 */
function withSignals<T>(task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return task(controller.signal);
}

/** Refuses, before anything is rendered, an output the render may not write (see checkOutputPath). */
async function checkTarget(out: string, preset: InputOfRender): Promise<void> {
  if (out === STANDARD_OUTPUT) {
    if (standardOutputIsTerminal()) {
      throw new UsageError("--out - writes audio to standard output, which is a terminal; pipe it (--out - | aplay) or redirect it");
    }
    return;
  }
  try {
    await checkOutputPath(out, [preset]);
  } catch (error) {
    throw error instanceof OutputPathError ? new UsageError(error.message) : error;
  }
}

/**
 * The format of a render: --format if given, else the extension of --out.
 * A format at odds with a known extension (--format ogg --out x.wav) is bad
 * usage rather than a guess either way: a player trusts the extension, so
 * Ogg data in a .wav file (or WAV in a .mp3) would not play.
 */
function outputFormat(flag: OutputFormat | undefined, out: string): OutputFormat {
  const byExtension = codecForPath(out) ?? (/\.wave?$/i.test(out) ? "wav" : undefined);
  if (flag === undefined) return byExtension === "ogg" || byExtension === "mp3" ? byExtension : "pcm16";
  const family = flag === "ogg" || flag === "mp3" ? flag : "wav";
  if (byExtension !== undefined && byExtension !== family) {
    throw new UsageError(
      `--format ${flag} does not match the extension of ${out} (${byExtension === "wav" ? "WAV" : byExtension}); change one or leave --format out`,
    );
  }
  return flag;
}

function jobsOption(value: string | undefined): number {
  if (value === undefined) return Math.min(defaultJobs(), MAX_JOBS);
  const jobs = Number(value);
  if (!/^\d+$/.test(value) || jobs < 1 || jobs > MAX_JOBS)
    throw new UsageError(`--jobs must be a whole number from 1 to ${MAX_JOBS}, got "${value.slice(0, 20)}"`);
  return jobs;
}

function presets(): number {
  for (const name of presetNames()) {
    const preset = loadPreset(name);
    process.stdout.write(
      `${printable(`${name.padEnd(14)} ${preset.title} (${formatDuration(preset.storyLength)}, ${preset.beats.length} beats)`)}\n`,
    );
  }
  return 0;
}

function validate(files: string[]): number {
  if (files.length === 0) throw new UsageError("validate needs a preset file (reverie validate FILE…)");
  let failed = 0;
  for (const file of files) {
    try {
      const preset = loadPreset(file);
      process.stdout.write(
        `${printable(`${file}: ok, "${preset.title}", ${preset.beats.length} beats, ${preset.voices.length} voices`)}\n`,
      );
    } catch (error) {
      failed++;
      if (error instanceof PresetError) {
        for (const p of error.problems)
          process.stderr.write(`${printable(`${error.source}: ${p.path === "(root)" ? "" : `${p.path}: `}${p.message}`)}\n`);
      } else if (error instanceof UsageError) process.stderr.write(`reverie: ${printable(error.message)}\n`);
      else throw error;
    }
  }
  return failed > 0 ? 2 : 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case "--help":
      case "-h":
      case "help":
        process.stdout.write(HELP);
        return command === undefined ? 2 : 0;
      case "render":
        return await render(rest);
      case "presets":
        return presets();
      case "validate":
        return validate(rest);
      case "analyze":
        return await analyze(rest);
      case "compose":
        return await composeCommand(rest);
      default:
        throw new UsageError(`unknown command "${command}" (commands: render, presets, validate, analyze, compose; see reverie --help)`);
    }
  } catch (raw) {
    const error = asUsageError(raw);
    if (error instanceof UsageError) {
      process.stderr.write(`reverie: ${printable(error.message)}\n`);
      return error.exitCode;
    }
    process.stderr.write(`reverie: ${printable(error instanceof Error ? error.message : String(error))}\n`);
    if (process.env.REVERIE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
