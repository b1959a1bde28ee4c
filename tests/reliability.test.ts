/**
 * The command line as an unlucky user or an attacker meets it (issue 14):
 * it never replaces what is not its to replace, never hangs on endless
 * input or allocates what a header claims, answers signals at any moment,
 * leaves nothing behind (and cleans up after a render that was killed), and
 * says in plain words what went wrong. Device nodes, FIFOs and sockets are
 * made in temporary folders (mknod, mkfifo, a listening socket): no test
 * touches a real system path.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseDuration } from "../src/core/duration.ts";
import { Random } from "../src/core/random.ts";
import { readWavBlocks } from "../src/node/wav-file.ts";
import { parseWavHeader } from "../src/pipeline/wav.ts";
import { probeLoudness } from "../src/pipeline/probe.ts";
import { RenderPool } from "../src/node/pool.ts";
import { renderToFile } from "../src/node/render-file.ts";
import { parsePreset } from "../src/score/preset.ts";
import { planStory } from "../src/score/timeline.ts";
import { entries, reverie, tempDir } from "./helpers/cli.ts";
import { EVENT_TYPES, VOICE_PARAMS, VOICE_TYPES } from "../src/score/voice-types.ts";

/** The largest preset the schema allows: 16 voices, 64 beats of 1000 each, every parameter targeted, 32 events a beat. */
function largestPreset(): unknown {
  const types = Array.from({ length: 16 }, (_, i) => VOICE_TYPES[i % VOICE_TYPES.length]);
  const voices = Object.fromEntries(types.map((type, i) => [`v${i}`, { type }]));
  const events = Object.entries(EVENT_TYPES);
  const beats = Array.from({ length: 64 }, (_, b) => ({
    id: `b${b}`,
    caption: `beat ${b}`,
    length: 1000,
    transition: 600,
    targets: Object.fromEntries(
      types.map((type, i) => [
        `v${i}`,
        Object.fromEntries(Object.keys(VOICE_PARAMS[type]).map((param) => [param, ((b * 7 + i) % 10) / 10])),
      ]),
    ),
    events: Array.from({ length: 32 }, (_, e) => {
      const [type, spec] = events[e % events.length];
      return { type, voice: `v${types.findIndex((t) => (spec.voices as readonly string[]).includes(t))}`, at: e / 32 };
    }),
  }));
  return { id: "largest", title: "Largest", storyLength: 36000, voices, beats };
}

const BIN = new URL("../bin/reverie.js", import.meta.url).pathname;
const DREAM = new URL("../presets/dream.json", import.meta.url).pathname;

/** Runs the command line with a deadline: a hang shows as code null. */
function run(args: string[], timeout = 60_000) {
  const result = spawnSync(process.execPath, [BIN, ...args], { timeout });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.toString() };
}

/** A folder holding one of each thing that is not a regular file, made here. */
let odd: { dir: string; server: Server };

beforeAll(async () => {
  const dir = tempDir();
  execFileSync("mknod", [join(dir, "null"), "c", "1", "3"]);
  execFileSync("mknod", [join(dir, "zero"), "c", "1", "5"]);
  execFileSync("mknod", [join(dir, "loop"), "b", "7", "0"]);
  execFileSync("mkfifo", [join(dir, "fifo")]);
  mkdirSync(join(dir, "folder"));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(join(dir, "socket"), resolve));
  odd = { dir, server };
});

afterAll(() => odd.server.close());

/** What is at a path: its kind and mode, to check it was left alone. */
function kindOf(path: string): string {
  const stats = statSync(path);
  const kind = stats.isCharacterDevice() ? "c" : stats.isBlockDevice() ? "b" : stats.isFIFO() ? "p" : stats.isSocket() ? "s" : "f";
  return `${kind}${(stats.mode & 0o777).toString(8)}`;
}

describe("a render never replaces what is not its to replace", () => {
  it.each([
    ["a character device", "null", /it is a character device, not a regular file/],
    ["a block device", "loop", /it is a block device, not a regular file/],
    ["a FIFO", "fifo", /it is a FIFO \(named pipe\), not a regular file/],
    ["a socket", "socket", /it is a socket, not a regular file/],
  ])("refuses %s with exit 2 and one line, before rendering, and leaves it as it was", (_kind, name, message) => {
    const target = join(odd.dir, name);
    const before = kindOf(target);
    const result = run(["render", "--length", "3s", "--out", target]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`^reverie: cannot write ${target}: ${message.source}`));
    expect(kindOf(target)).toBe(before);
    expect(entries(odd.dir).filter((entry) => entry.startsWith("."))).toEqual([]);
  });

  it("refuses a symbolic link to a device as the device", () => {
    const dir = tempDir();
    symlinkSync(join(odd.dir, "null"), join(dir, "out.wav"));
    const result = run(["render", "--length", "3s", "--out", join(dir, "out.wav")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/it is a character device, not a regular file/);
    expect(kindOf(join(odd.dir, "null"))).toBe("c644");
  });

  it("refuses to write over the preset it reads", () => {
    const dir = tempDir();
    const preset = join(dir, "my.json");
    writeFileSync(preset, readFileSync(DREAM));
    const result = run(["render", "--length", "3s", "--preset", preset, "--out", preset]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`reverie: cannot write ${preset}: it is the preset being read (${preset})`);
    expect(readFileSync(preset)).toEqual(readFileSync(DREAM));
  });

  it("refuses a file no one may write (mode 444), even as root, and leaves it as it was", () => {
    const dir = tempDir();
    const target = join(dir, "kept.wav");
    writeFileSync(target, "keep me");
    chmodSync(target, 0o444);
    const result = run(["render", "--length", "3s", "--out", target]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `reverie: cannot write ${target}: it is read-only (mode 0444); make it writable or choose another name`,
    );
    expect(readFileSync(target, "utf8")).toBe("keep me");
    expect(kindOf(target)).toBe("f444");
  });

  it("refuses an empty --out at once", () => {
    const result = run(["render", "--length", "3s", "--out", ""]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("reverie: --out needs a file name (or - for standard output)");
  });

  it("replaces an existing regular file it may write, as sox and ffmpeg -y do", () => {
    const dir = tempDir();
    const target = join(dir, "old.wav");
    writeFileSync(target, "old");
    const result = run(["render", "--length", "3s", "--out", target, "--quiet"]);
    expect(result.code).toBe(0);
    expect(readFileSync(target).subarray(0, 4).toString()).toBe("RIFF");
    expect(entries(dir)).toEqual(["old.wav"]);
  });
});

describe("--out - writes to standard output", () => {
  it("a WAV with its final header first, the same bytes as the file, and the messages on stderr", () => {
    const dir = tempDir();
    const piped = run(["render", "--length", "3s", "--seed", "4", "--out", "-"]);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toMatch(/^wrote standard output: 3s of "The Dream"/m);
    const file = run(["render", "--length", "3s", "--seed", "4", "--out", join(dir, "x.wav"), "--quiet"]);
    expect(file.code).toBe(0);
    expect(piped.stdout.equals(readFileSync(join(dir, "x.wav")))).toBe(true);
    const header = parseWavHeader(new Uint8Array(piped.stdout), "stdout");
    expect(header.frames).toBe(3 * 48000);
    expect(entries(dir)).toEqual(["x.wav"]);
  });

  it("an Ogg Vorbis stream with --format ogg", () => {
    const piped = run(["render", "--length", "3s", "--format", "ogg", "--out", "-", "--quiet"]);
    expect(piped.code).toBe(0);
    expect(piped.stdout.subarray(0, 4).toString()).toBe("OggS");
    expect(piped.stdout.length).toBeGreaterThan(10_000);
  });
});

describe("inputs must be regular files, read within their limit", () => {
  const cases: [string, string, string][] = [
    ["a FIFO", "fifo", "a FIFO (named pipe)"],
    ["a character device", "zero", "a character device"],
    ["a socket", "socket", "a socket"],
    ["a directory", "folder", "a directory"],
  ];
  it.each(cases)("validate refuses %s at once, naming it", (_kind, name, what) => {
    const path = join(odd.dir, name);
    const result = run(["validate", path], 20_000);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`reverie: cannot read preset ${path}: it is ${what}, not a regular file`);
  });

  it.each(cases)("render --preset refuses %s at once, naming it", (_kind, name, what) => {
    const path = join(odd.dir, name);
    const result = run(["render", "--preset", path, "--out", join(tempDir(), "x.wav")], 20_000);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`reverie: cannot read preset ${path}: it is ${what}, not a regular file`);
  });

  it.each(cases)("analyze refuses %s at once, naming it", (_kind, name, what) => {
    const path = join(odd.dir, name);
    const result = run(["analyze", path], 20_000);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`reverie: cannot read ${path}: it is ${what}, not a regular file`);
  });

  it("refuses a preset over the limit, giving both sizes in bytes", () => {
    const path = join(tempDir(), "big.json");
    writeFileSync(path, " ".repeat(1_200_000));
    const result = run(["validate", path]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`reverie: preset ${path}: is 1,200,000 bytes; a preset is at most 1,000,000 bytes`);
  });

  it("reads a preset saved with a byte-order mark", () => {
    const path = join(tempDir(), "bom.json");
    writeFileSync(path, `\ufeff${readFileSync(DREAM, "utf8")}`);
    const result = run(["validate", path]);
    expect(result.stderr).toBe("");
    expect(result.stdout.toString()).toMatch(/: ok, "The Dream"/);
  });
});

/** A WAV header (PCM, 16-bit) declaring what it is told, then `dataBytes` of zeros; `chunks` empty JUNK chunks before fmt. */
function wavBytes(channels: number, sampleRate: number, dataBytes: number, chunks = 0): Buffer {
  const parts: Buffer[] = [];
  const riff = Buffer.alloc(12);
  riff.write("RIFF", 0);
  riff.write("WAVE", 8);
  parts.push(riff);
  const junk = Buffer.alloc(8);
  junk.write("JUNK", 0);
  for (let i = 0; i < chunks; i++) parts.push(junk);
  const fmt = Buffer.alloc(24);
  fmt.write("fmt ", 0);
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(1, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(sampleRate, 12);
  fmt.writeUInt32LE((sampleRate * channels * 2) % 2 ** 32, 16);
  fmt.writeUInt16LE(channels * 2, 20);
  fmt.writeUInt16LE(16, 22);
  const data = Buffer.alloc(8);
  data.write("data", 0);
  data.writeUInt32LE(dataBytes, 4);
  parts.push(fmt, data, Buffer.alloc(dataBytes));
  const bytes = Buffer.concat(parts);
  bytes.writeUInt32LE(bytes.length - 8, 4);
  return bytes;
}

describe("a WAV's format is checked from its header, before anything is allocated", () => {
  it("refuses 32,767 channels before reading a block", async () => {
    const path = join(tempDir(), "wide.wav");
    writeFileSync(path, wavBytes(32767, 48000, 32767 * 2 * 100));
    await expect(readWavBlocks(path).next()).rejects.toThrow(
      `cannot read ${path}: it has 32767 channels; only mono and stereo files are read`,
    );
  });

  it.each([1, 4_294_967_295])("refuses a sample rate of %d Hz, naming the file", (rate) => {
    const path = join(tempDir(), "rate.wav");
    writeFileSync(path, wavBytes(2, rate, 4000));
    const result = run(["analyze", path]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`reverie: cannot read ${path}: its sample rate is ${rate} Hz; only 8000 to 384000 Hz is read`);
  });

  it("walks 500,000 empty chunks in a few reads", async () => {
    const path = join(tempDir(), "chunks.wav");
    writeFileSync(path, wavBytes(2, 48000, 4 * 4800, 500_000));
    const handle = await open(path, "r");
    await handle.close();
    const proto = Object.getPrototypeOf(handle) as FileHandle;
    const reads = vi.spyOn(proto, "read");
    try {
      let frames = 0;
      for await (const block of readWavBlocks(path)) frames += block.data[0].length;
      expect(frames).toBe(4800);
      expect(reads.mock.calls.length).toBeLessThan(200);
    } finally {
      reads.mockRestore();
    }
  });
});

describe("a long render answers a signal at any moment", () => {
  it("the loudness model of 24 hours of the largest preset lets an abort in within a second", async () => {
    const preset = parsePreset(JSON.stringify(largestPreset()), "largest.json");
    const plan = planStory(preset, Random.fromSeed("1"), { story: preset.storyLength, total: 24 * 3600 });
    const controller = new AbortController();
    const frames = 24 * 3600 * 48000;
    const probing = probeLoudness(plan, {
      sampleRate: 48000,
      windows: [{ startFrame: 0, frames }],
      signal: controller.signal,
      render: () => {
        throw new Error("the model is not done: nothing is rendered yet");
      },
    });
    const asked = await new Promise<number>((resolve) =>
      setTimeout(() => {
        controller.abort(new Error("stopped"));
        resolve(performance.now());
      }, 300),
    );
    await expect(probing).rejects.toThrow("stopped");
    expect(performance.now() - asked).toBeLessThan(1000);
  }, 60_000);
});

/** Resolves once `dir` holds a file whose name ends so. */
async function holds(dir: string, suffix: string): Promise<void> {
  while (!entries(dir).some((name) => name.endsWith(suffix))) await new Promise((resolve) => setTimeout(resolve, 50));
}

function ended(child: ChildProcess): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const said: string[] = [];
  child.stderr!.on("data", (chunk: Buffer) => said.push(chunk.toString()));
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal, stderr: said.join("") })));
}

describe("a render leaves nothing behind", () => {
  // `timeout` signals the process, then its group; an impatient user presses Ctrl-C again and again.
  // The signals keep coming every few milliseconds until the process has ended, so some reach it
  // during its clean-up (which takes a few milliseconds), whenever that is.
  it.each([
    ["timeout's SIGTERM to the process, then to its group", "SIGTERM", "process"],
    ["repeated Ctrl-C", "SIGINT", "group"],
  ] as const)(
    "finishes its clean-up through %s",
    async (_how, signal, first) => {
      const dir = tempDir();
      const child = spawn(process.execPath, [BIN, "render", "--length", "10m", "--jobs", "1", "--out", join(dir, "night.wav")], {
        detached: true,
      });
      const exit = ended(child);
      await holds(dir, ".spool");
      await new Promise((resolve) => setTimeout(resolve, 1000));
      let gone = false;
      void exit.then(() => (gone = true));
      const send = (pid: number) => {
        try {
          process.kill(pid, signal);
        } catch {
          gone = true; // It has ended between two signals.
        }
      };
      send(first === "process" ? child.pid! : -child.pid!);
      while (!gone) {
        send(-child.pid!);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const { code, signal: killedBy, stderr } = await exit;
      expect(entries(dir)).toEqual([]);
      expect(stderr).toMatch(/reverie: interrupted; nothing was written/);
      // A signal that lands as Node tears itself down, after the clean-up, meets the default action.
      expect([130, signal]).toContain(code ?? killedBy);
    },
    60_000,
  );

  it("removes what a killed render left, named as Reverie's with its process id, at the next render in the folder", async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [BIN, "render", "--length", "10m", "--jobs", "1", "--out", join(dir, "night.wav")]);
    const exit = ended(child);
    await holds(dir, ".spool");
    child.kill("SIGKILL");
    await exit;
    const left = entries(dir);
    expect(left.length).toBeGreaterThan(0);
    for (const name of left) expect(name).toMatch(new RegExp(`^\\.night\\.wav\\.reverie-${child.pid}-\\d+-[0-9a-z]+\\.(part|spool)$`));
    // A file of a live process (this one) and one not named as a render's stay.
    const live = `.night.wav.reverie-${process.pid}-1-abc.part`;
    writeFileSync(join(dir, live), "");
    writeFileSync(join(dir, ".notes.part"), "");
    const next = run(["render", "--length", "3s", "--out", join(dir, "short.wav"), "--quiet"]);
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(/^reverie: removed \d temporary file\(s\) left by a render that was killed/);
    expect(entries(dir)).toEqual([live, ".notes.part", "short.wav"].sort());
  }, 60_000);
});

describe("--jobs is capped", () => {
  it("by the windows of the render: a 3 s render starts one worker whatever is asked", async () => {
    const preset = parsePreset(readFileSync(DREAM, "utf8"), "dream.json");
    const plan = planStory(preset, Random.fromSeed("1"), { story: 3, total: 3 });
    const out = join(tempDir(), "short.wav");
    const result = await renderToFile(plan, { out, sampleRate: 48000, format: "pcm16", jobs: 64 });
    expect(result.jobs).toBe(1);
  }, 60_000);

  it("by twice the cores", async () => {
    const preset = parsePreset(readFileSync(DREAM, "utf8"), "dream.json");
    const plan = planStory(preset, Random.fromSeed("1"), { story: 60, total: 60 });
    const pool = await RenderPool.start(plan, { sampleRate: 48000, jobs: 64 });
    try {
      expect(pool.jobs).toBe(Math.min(64, 2 * availableParallelism()));
    } finally {
      await pool.close(true);
    }
  });

  it("and --help says so", () => {
    expect(reverie("render", "--help").stdout).toMatch(/At most 2 per core and one per 20 s window are started/);
  });
});

describe("messages name the file and the real cause", () => {
  it("a disk out of inodes is full, not unwritable", () => {
    const disk = join(tempDir(), "disk");
    mkdirSync(disk);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m,nr_inodes=1", "tmpfs", disk]);
    try {
      const result = run(["render", "--length", "3s", "--out", join(disk, "x.wav")]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(`reverie: cannot write ${join(disk, "x.wav")}: the disk is full (ENOSPC)`);
    } finally {
      execFileSync("umount", [disk]);
    }
  });

  it("clock lengths with 60 or more minutes or seconds are refused", () => {
    for (const bad of ["1:60", "1:99:99", "0:60:00"]) expect(() => parseDuration(bad)).toThrow(/minutes and seconds run from 00 to 59/);
    expect(parseDuration("90:00")).toBe(5400);
    expect(parseDuration("1:59:59")).toBe(7199);
  });

  it("a preset's escape sequences are shown, not sent to the terminal", () => {
    const path = join(tempDir(), "escape.json");
    const preset = JSON.parse(readFileSync(DREAM, "utf8"));
    preset.title = "\u001b]0;owned\u0007\u001b[2JDream";
    writeFileSync(path, JSON.stringify(preset));
    const ok = run(["validate", path]);
    expect(ok.stdout.toString()).toBe(
      `${path}: ok, "\\x1b]0;owned\\x07\\x1b[2JDream", ${preset.beats.length} beats, ${Object.keys(preset.voices).length} voices\n`,
    );
    preset.beats[0].targets["\u001b[31mred"] = {};
    writeFileSync(path, JSON.stringify(preset));
    const bad = run(["validate", path]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.includes("\u001b")).toBe(false);
    // JSON.parse's message quotes the text it stumbled on, raw.
    writeFileSync(path, "\u001b[2J\u001b[31m{}");
    const broken = run(["validate", path]);
    expect(broken.code).toBe(2);
    expect(broken.stderr.includes("\u001b")).toBe(false);
    expect(broken.stderr).toMatch(/is not valid JSON .*\\x1b/);
  });

  it("a render the limiter keeps from its target says the loudness reached", () => {
    const dir = tempDir();
    const result = run(["render", "--length", "20s", "--loudness", "-10", "--out", join(dir, "loud.wav")]);
    expect(result.code).toBe(0);
    const reached = Number(/loudness: (-[\d.]+) LUFS reached of the -10 LUFS asked, the limiter holding it back/.exec(result.stderr)?.[1]);
    expect(reached).toBeLessThan(-10.5);
    const analysed = JSON.parse(run(["analyze", join(dir, "loud.wav"), "--json"]).stdout.toString());
    expect(Math.abs(analysed.integrated - reached)).toBeLessThan(0.1);
  }, 60_000);
});
