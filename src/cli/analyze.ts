/**
 * `reverie analyze FILE.wav`: how loud a WAV file is and whether it is clean,
 * measured the way broadcast engineers do (ITU-R BS.1770-4 / EBU R128):
 * integrated loudness, loudness range, true and sample peak, short-term
 * maximum, DC offset per channel and clipped samples. Reads the file in
 * blocks, so an 8-hour file takes flat memory. `--json` prints one object.
 */
import { LoudnessMeter } from "../dsp/meter.ts";
import { formatDuration } from "../core/duration.ts";
import { readWavBlocks, type WavInfo } from "../node/wav-file.ts";
import { parseArgs, UsageError } from "./args.ts";

const ANALYZE_HELP = `reverie analyze: loudness and cleanliness of a WAV file (mono or stereo)

Usage:
  reverie analyze FILE.wav [--json]

Prints integrated loudness (LUFS), loudness range (LU), true peak (dBTP),
sample peak (dBFS), the short-term maximum (LUFS), DC offset per channel,
clipped samples and duration. --json prints one JSON object instead
(figures of silence, minus infinity, are null).

A clipped sample is one at full scale or beyond: a 16- or 24-bit sample at
its largest or smallest code, a float sample beyond ±1.
`;

/** What `reverie analyze` measures in a WAV file. */
export interface WavAnalysis {
  file: string;
  sampleRate: number;
  channels: number;
  format: WavInfo["format"];
  /** Seconds. */
  duration: number;
  /** Integrated loudness, in LUFS. */
  integrated: number;
  /** Loudness range, in LU. */
  loudnessRange: number;
  /** In dBTP. */
  truePeak: number;
  /** In dBFS. */
  samplePeak: number;
  /** Highest short-term (3 s) loudness, in LUFS. */
  shortTermMax: number;
  /** Highest momentary (400 ms) loudness, in LUFS. */
  momentaryMax: number;
  /** Mean of each channel (full scale = 1). */
  dc: number[];
  /** Samples at full scale or beyond, all channels together. */
  clipped: number;
}

/** Magnitude from which a sample counts as clipped: the extreme codes of PCM, beyond ±1 for float. */
function clipLevel(format: WavInfo["format"]): number {
  if (format === "pcm16") return 32767 / 32768;
  if (format === "pcm24") return 8388607 / 8388608;
  return 1 + 1e-7;
}

/** Measures a WAV file. Throws a UsageError with one sentence if it cannot be read. */
export async function analyzeWav(file: string): Promise<WavAnalysis> {
  let meter: LoudnessMeter | undefined;
  let info: WavInfo | undefined;
  let sums: number[] = [];
  let clipped = 0;
  let limit = 1;
  try {
    for await (const block of readWavBlocks(file)) {
      if (!meter) {
        info = block.info;
        if (info.channels > 2)
          throw new UsageError(`cannot analyze ${file}: it has ${info.channels} channels; analyze reads mono and stereo`);
        meter = new LoudnessMeter(info.sampleRate, info.channels);
        sums = new Array<number>(info.channels).fill(0);
        limit = clipLevel(info.format);
      }
      meter.push(block.data);
      block.data.forEach((channel, c) => {
        let sum = 0;
        for (const x of channel) {
          sum += x;
          if (x >= limit || x <= -limit) clipped++;
        }
        sums[c] += sum;
      });
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (!meter || !info) throw new UsageError(`cannot analyze ${file}: it holds no audio`);
  const r = meter.result();
  const frames = info.frames;
  return {
    file,
    sampleRate: info.sampleRate,
    channels: info.channels,
    format: info.format,
    duration: frames / info.sampleRate,
    integrated: r.integrated,
    loudnessRange: r.loudnessRange,
    truePeak: r.truePeak,
    samplePeak: r.samplePeak,
    shortTermMax: r.shortTermMax,
    momentaryMax: r.momentaryMax,
    dc: sums.map((sum) => sum / frames),
    clipped,
  };
}

/** `reverie analyze` on the command line; returns the exit code. */
export async function analyze(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv, { values: [], flags: ["json", "help"] }, "analyze");
  if (options.has("help")) {
    process.stdout.write(ANALYZE_HELP);
    return 0;
  }
  if (positional.length !== 1) {
    throw new UsageError(
      positional.length === 0 ? "analyze needs a WAV file (reverie analyze FILE.wav)" : "analyze takes one WAV file at a time",
    );
  }
  const a = await analyzeWav(positional[0]);
  if (options.has("json")) {
    // JSON has no infinities: silence reads null.
    process.stdout.write(`${JSON.stringify(a, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v))}\n`);
    return 0;
  }
  const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "-inf");
  const above = Number.isFinite(a.shortTermMax - a.integrated)
    ? ` (${a.shortTermMax - a.integrated >= 0 ? "+" : ""}${f(a.shortTermMax - a.integrated)} LU)`
    : "";
  const names = a.channels === 2 ? ["L", "R"] : [""];
  const rows: [string, string][] = [
    ["integrated loudness", `${f(a.integrated)} LUFS`],
    ["loudness range", `${f(a.loudnessRange)} LU`],
    ["true peak", `${f(a.truePeak)} dBTP`],
    ["sample peak", `${f(a.samplePeak)} dBFS`],
    ["short-term max", `${f(a.shortTermMax)} LUFS${above}`],
    ["DC offset", a.dc.map((dc, c) => `${names[c]} ${dc.toFixed(6)}`.trim()).join("  ")],
    ["clipped samples", String(a.clipped)],
    ["duration", `${formatDuration(a.duration)} (${a.duration.toFixed(3)} s)`],
  ];
  process.stdout.write(
    `${a.file}: ${a.channels === 2 ? "stereo" : "mono"}, ${a.sampleRate} Hz, ${a.format}\n` +
      rows.map(([name, value]) => `  ${name.padEnd(20)} ${value}\n`).join(""),
  );
  return 0;
}
