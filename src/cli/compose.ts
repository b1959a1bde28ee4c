/**
 * `reverie compose STORY.txt`: a story's text becomes a preset file, which
 * `reverie render --preset FILE` plays. The composer (src/compose) does the
 * reading; this reads the file, writes the preset and says what it did.
 */
import { readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { type BeatExplanation, compose, MAX_STORY_BYTES, StoryError, slug } from "../compose/compose.ts";
import { AtomicFile } from "../node/atomic-file.ts";
import { parseArgs, UsageError } from "./args.ts";

export const COMPOSE_HELP = `reverie compose: make a preset from a story (plain UTF-8 text, up to 100 kB)

Usage:
  reverie compose STORY.txt [--out PRESET.json] [--title TITLE] [--explain]

Options:
  --out FILE      where to write the preset; default STORY.json beside the story
  --title TITLE   the preset's title; default the story's title line, else its file name
  --explain       print, beat by beat, the caption and which words chose the voices,
                  their levels, the mood and the events

The same text gives the same preset, byte for byte. Play it with
  reverie render --preset STORY.json --length 30m --out story.ogg
`;

export async function composeCommand(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv, { values: ["out", "title"], flags: ["help", "explain"] }, "compose");
  if (options.has("help")) {
    process.stdout.write(COMPOSE_HELP);
    return 0;
  }
  if (positional.length === 0) throw new UsageError("compose needs a story file (reverie compose STORY.txt)");
  if (positional.length > 1) throw new UsageError(`unexpected argument "${positional[1]}" (see reverie compose --help)`);
  const file = positional[0];
  const title = options.get("title") as string | undefined;
  if (title !== undefined && (title.trim() === "" || title.length > 80)) throw new UsageError("--title must be 1 to 80 characters");
  const out = (options.get("out") as string | undefined) ?? join(dirname(file), `${basename(file, extname(file))}.json`);
  if (!out.endsWith(".json")) throw new UsageError(`--out must name a .json file, got "${out.slice(0, 60)}"`);

  const name = basename(file, extname(file));
  let composition: ReturnType<typeof compose>;
  try {
    composition = compose(readStory(file), { title, defaultTitle: titleFrom(name), id: slug(name) });
  } catch (error) {
    if (error instanceof StoryError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
  await writePreset(out, composition.json);

  const preset = composition.preset as { title: string; beats: unknown[]; voices: Record<string, unknown> };
  if (options.has("explain")) process.stdout.write(formatExplain(composition.explain));
  for (const note of composition.notes) process.stderr.write(`note: ${note}\n`);
  process.stderr.write(`wrote ${out}: "${preset.title}", ${preset.beats.length} beats, voices ${Object.keys(preset.voices).join(", ")}\n`);
  return 0;
}

/** The story's text; bad files become one clear UsageError each. */
function readStory(file: string): string {
  let size: number;
  try {
    const stats = statSync(file);
    if (stats.isDirectory()) throw new UsageError(`cannot read ${file}: it is a directory`);
    size = stats.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : (code ?? "unreadable")}`);
  }
  if (size > MAX_STORY_BYTES) {
    throw new UsageError(`${file}: is ${(size / 1000).toFixed(0)} kB; a story is at most ${MAX_STORY_BYTES / 1000} kB`);
  }
  const bytes = readFileSync(file);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${file}: is not UTF-8 text`);
  }
}

/** Writes the preset through the render's atomic writer: a reader never sees half a preset, and a failed write leaves no file. */
async function writePreset(path: string, text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  const file = await AtomicFile.open(path, (message) => new UsageError(message));
  await file.writeAt(bytes, 0);
  await file.finish(async () => ({ bytes: bytes.length, frames: 0 }));
}

function titleFrom(name: string): string {
  const words = name.replace(/[-_]+/g, " ").trim();
  return (words.charAt(0).toUpperCase() + words.slice(1)).slice(0, 80) || "A story";
}

/** The --explain text: per beat, its caption, then each voice's level and the words behind it, the mood, the events. */
export function formatExplain(beats: BeatExplanation[]): string {
  const lines: string[] = [];
  beats.forEach((beat, i) => {
    lines.push(`${i + 1}. ${beat.id}: "${beat.caption}"`);
    for (const v of beat.voices) {
      const why =
        v.words.length > 0
          ? `from ${[...new Set(v.words)].join(", ")}`
          : v.voice === "pad"
            ? "the harmony, in every beat"
            : v.level > 0
              ? "held from before"
              : "silent";
      const shades = v.shades.length > 0 ? `; shaded by ${[...new Set(v.shades)].join(", ")}` : "";
      lines.push(`   ${v.voice.padEnd(11)} level ${v.level.toFixed(2)}  ${why}${shades}`);
    }
    const feeling = [
      beat.feeling.positive.length > 0 ? `+ ${beat.feeling.positive.join(", ")}` : "",
      beat.feeling.negative.length > 0 ? `- ${beat.feeling.negative.join(", ")}` : "",
      beat.feeling.warm.length > 0 ? `warm ${beat.feeling.warm.join(", ")}` : "",
    ].filter(Boolean);
    lines.push(`   mood ${beat.mood.toFixed(2)}${feeling.length > 0 ? ` (${feeling.join("; ")})` : ""}`);
    for (const e of beat.events) lines.push(`   event ${e.type} on ${e.voice} at ${e.at.toFixed(2)}, from "${e.word}"`);
  });
  return `${lines.join("\n")}\n`;
}
