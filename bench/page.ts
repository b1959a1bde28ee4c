/**
 * `npm run bench:page`: what the browser player costs while it plays. Builds
 * the page, opens it in headless Chromium at a phone's size, plays the dream
 * and reads the CPU time of every Chromium process (browser, renderer, GPU,
 * audio and network services) from /proc over a stretch of playing, with the
 * screen on: the controls awake (a pointer moves every few seconds) and then
 * resting. Prints the figure as a percentage of one core. A benchmark, not a
 * test: it prints figures.
 *
 * Three stretches: the first seconds after play (`starting`, the controls
 * awake), while the page's JavaScript is still being compiled to its fastest
 * (a voice's drawing runs once every few seconds, so this takes a minute or
 * so); then, from STEADY seconds after play, the steady state a night is
 * made of, `awake` and, once the controls have rested and dimmed, `resting`.
 * With the dream, all three fall in its first scene (to 181 s): a change of
 * scene cross-fades the sky, 72 steps over 9 s, which costs more while it
 * runs (see the README).
 *
 * With `--against REF` it first measures the page of another commit (taken
 * with `git archive`, built with this tree's packages), so one run prints
 * the before and the after on the same machine under the same load.
 *
 * `--no-sky` hides the sky, which tells the visuals' share from the sound's.
 *
 * `--live` (`npm run bench:live`) measures the sound alone: every visual is
 * off (the sky hidden, no animation or transition anywhere), one stretch of
 * playing, and the figure printed is the renderer's and the audio service's
 * (the page's JavaScript, which makes the textures' chunks, and the audio
 * rendering), besides the total. It first measures the floor under that:
 * a bare page that plays silence the way the player plays (a context with
 * the latency asked for, into its destination, and the same silent WAV
 * looping in an <audio> element beside it), what any page that plays as
 * media costs here.
 *
 * Usage: tsx bench/page.ts [--seconds 30] [--against main] [--preset dream] [--no-sky] [--live]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OUTPUT_LATENCY } from "../src/web/latency.ts";
import { silentLoop } from "../src/web/silent-loop.ts";
import { buildAndServe, launchChromium, ROOT } from "../tests/helpers/browser.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback?: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : args[at + 1];
};
const seconds = Number(option("seconds", "30"));
const against = option("against");
const preset = option("preset", "dream") as string;
/** Hides the sky, to tell the visuals' cost from the sound's. */
const live = args.includes("--live");
const noSky = live || args.includes("--no-sky");
/** Clock ticks per second of /proc/PID/stat's times. */
const TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
/** Seconds of playing before measuring: the fade in and the first soundscape's build. */
const WARM_UP = 6;
/** Seconds after play from which the page plays as it will all night (its JavaScript compiled, the horizon full). */
const STEADY = 60;
/**
 * Seconds untouched before the resting stretch: the controls rest 30 s after
 * the last touch (ui/rest.ts) and take 8 s to dim, in 64 steps that each
 * redraw most of the screen; the stretch measures what comes after.
 */
const UNTOUCHED = 40;
/** Milliseconds between the pointer moves that keep the controls awake. */
const NUDGE_MS = 5000;

interface Figures {
  starting: Share;
  awake: Share;
  resting: Share;
}

/** Parent pid and CPU ticks (user + system) of every process, from /proc. */
function processes(): Map<number, { parent: number; ticks: number }> {
  const table = new Map<number, { parent: number; ticks: number }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // The command name may hold spaces and parentheses: the fields start after its last ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      table.set(Number(name), { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // Exited while being read.
    }
  }
  return table;
}

/** A Chromium process's kind, from its --type and --utility-sub-type flags ("browser" without one). */
function kind(pid: number): string {
  // A zygote's children rewrite their command line as one string: split on spaces too.
  const flags = readFileSync(`/proc/${pid}/cmdline`, "utf8").split(/[\0 ]/);
  const value = (flag: string): string | undefined => flags.find((f) => f.startsWith(`--${flag}=`))?.slice(flag.length + 3);
  const type = value("type") ?? "browser";
  const sub = value("utility-sub-type");
  return sub ? sub.split(".")[0] : type;
}

/** CPU ticks of this process's Chromium descendants, by pid. */
function chromiumTicks(): Map<number, number> {
  const table = processes();
  const ours = new Map<number, number>();
  for (const [pid, { ticks }] of table) {
    let ancestor = table.get(pid)?.parent;
    while (ancestor && ancestor !== process.pid) ancestor = table.get(ancestor)?.parent;
    if (ancestor !== process.pid) continue;
    try {
      if (readlinkSync(`/proc/${pid}/exe`).includes("chrom")) {
        ours.set(pid, ticks);
        kinds.set(pid, kind(pid));
      }
    } catch {
      // Exited, or not ours to read.
    }
  }
  return ours;
}

/** CPU ticks of the renderer processes' threads, summed by thread name. */
function rendererThreads(): Map<string, number> {
  const byName = new Map<string, number>();
  for (const [pid] of chromiumTicks()) {
    if (kinds.get(pid) !== "renderer") continue;
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
        byName.set(name, (byName.get(name) ?? 0) + Number(fields[11]) + Number(fields[12]));
      }
    } catch {
      // Exited while being read.
    }
  }
  return byName;
}

/** Kinds of the Chromium processes seen, by pid. */
const kinds = new Map<number, string>();

interface Share {
  /** With --live: the renderer's threads by name, % of one core. */
  threads?: (readonly [string, number])[];
  total: number;
  /** Percentage by kind of process (renderer, gpu-process, audio, network…). */
  byKind: Map<string, number>;
}

/** Percentage of one core that the Chromium processes used between two readings. */
function percent(before: Map<number, number>, after: Map<number, number>, wall: number): Share {
  const byKind = new Map<string, number>();
  let total = 0;
  for (const [pid, now] of after) {
    const share = (100 * (now - (before.get(pid) ?? 0))) / TICKS / wall;
    const name = kinds.get(pid) ?? "?";
    byKind.set(name, (byKind.get(name) ?? 0) + share);
    total += share;
  }
  return { total, byKind };
}

async function measure(root: string): Promise<Figures> {
  const site = await buildAndServe("production", root);
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${site.url}?preset=${preset}`);
    await page.waitForSelector("#caption:not(:empty)");
    if (noSky) await page.addStyleTag({ content: "#sky { display: none !important; }" });
    if (live) await page.addStyleTag({ content: "*, *::before, *::after { animation: none !important; transition: none !important; }" });
    await page.click("#play");
    const played = performance.now();
    await page.waitForTimeout(WARM_UP * 1000);
    let nudges = 0;
    const nudge = () => page.mouse.move(20 + (nudges++ % 50) * 3, 700);
    const stretch = async (awake: boolean): Promise<Share> => {
      const threadsBefore = live ? rendererThreads() : undefined;
      const before = chromiumTicks();
      const start = performance.now();
      for (let t = 0; t < seconds * 1000; t += NUDGE_MS) {
        if (awake) await nudge();
        await page.waitForTimeout(Math.min(NUDGE_MS, seconds * 1000 - t));
      }
      const wall = (performance.now() - start) / 1000;
      const share = percent(before, chromiumTicks(), wall);
      if (threadsBefore) {
        const shares = [...rendererThreads()].map(
          ([name, ticks]) => [name, (100 * (ticks - (threadsBefore.get(name) ?? 0))) / TICKS / wall] as const,
        );
        share.threads = shares.filter(([, v]) => v >= 0.1).sort((a, b) => b[1] - a[1]);
      }
      return share;
    };
    const starting = await stretch(!live);
    // On to the steady state, the controls kept awake.
    for (let left = STEADY * 1000 - (performance.now() - played); left > 0; left = STEADY * 1000 - (performance.now() - played)) {
      if (!live) await nudge();
      await page.waitForTimeout(Math.min(NUDGE_MS, left));
    }
    const awake = await stretch(!live);
    if (live) return { starting, awake, resting: awake };
    // Untouched long enough for the controls to rest and to have dimmed.
    await page.waitForTimeout(UNTOUCHED * 1000);
    const resting = await stretch(false);
    return { starting, awake, resting };
  } finally {
    await browser.close();
    await site.close();
  }
}

/**
 * The floor of the sound's figure: a page that plays silence through the
 * player's output path (audio-output.ts), with nothing else on it.
 */
const FLOOR_PAGE = `<!doctype html><button id="play">play</button><script>
document.getElementById("play").onclick = () => {
  const context = new AudioContext({ latencyHint: ${OUTPUT_LATENCY} });
  const silence = context.createConstantSource();
  silence.offset.value = 0;
  silence.connect(context.destination);
  silence.start();
  const element = new Audio("data:audio/wav;base64,${Buffer.from(silentLoop()).toString("base64")}");
  element.loop = true;
  element.play();
};
</script>`;

async function measureFloor(): Promise<Share> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent(FLOOR_PAGE);
    await page.click("#play");
    await page.waitForTimeout(WARM_UP * 1000);
    const before = chromiumTicks();
    const start = performance.now();
    await page.waitForTimeout(seconds * 1000);
    return percent(before, chromiumTicks(), (performance.now() - start) / 1000);
  } finally {
    await browser.close();
  }
}

/** The renderer's and the audio service's share: the figure of --live. */
const soundShare = (share: Share): number => (share.byKind.get("renderer") ?? 0) + (share.byKind.get("audio") ?? 0);

/** Another commit's tree, with this tree's packages, in a temporary folder. */
function checkout(ref: string): string {
  const dir = mkdtempSync(join(tmpdir(), "reverie-bench-page-"));
  const archive = execFileSync("git", ["-C", ROOT, "archive", "--format=tar", ref], { maxBuffer: 1 << 30 });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}

const detail = (share: Share): string =>
  [...share.byKind]
    .filter(([, value]) => value >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([name, value]) => `${name} ${value.toFixed(1)}`)
    .join(", ");

function show(label: string, figures: Figures): void {
  if (live) {
    for (const [state, share] of [
      ["starting", figures.starting],
      ["playing", figures.awake],
    ] as const) {
      const audio = soundShare(share);
      const above = floor ? `, ${(audio - soundShare(floor)).toFixed(1)} above the floor` : "";
      console.log(
        `${label.padEnd(22)} ${state.padEnd(8)} audio ${audio.toFixed(1).padStart(5)} %${above}   (all processes ${share.total.toFixed(1)} %: ${detail(share)})`,
      );
      const threads = (share.threads ?? []).map(([name, value]) => `${name} ${value.toFixed(1)}`).join(", ");
      console.log(`${"".padEnd(31)} the renderer's threads: ${threads}`);
    }
    return;
  }
  for (const [state, share] of [
    ["starting", figures.starting],
    ["awake", figures.awake],
    ["resting", figures.resting],
  ] as const) {
    console.log(`${label.padEnd(22)} ${state.padEnd(8)} ${share.total.toFixed(1).padStart(5)} %   (${detail(share)})`);
  }
}

console.log(
  live
    ? `CPU of the sound in Chromium (renderer + audio service), % of one core, over ${seconds} s of playing "${preset}" with every visual off: from ${WARM_UP} s after play (starting) and from ${STEADY} s (playing)`
    : `CPU of all Chromium processes, % of one core, over ${seconds} s of playing "${preset}" at 360×740 (screen on): from ${WARM_UP} s after play (starting), from ${STEADY} s (awake), then resting`,
);
const floor = live ? await measureFloor() : undefined;
if (floor) {
  console.log(
    `${"floor (silence)".padEnd(31)} audio ${soundShare(floor).toFixed(1).padStart(5)} %   (all processes ${floor.total.toFixed(1)} %: ${detail(floor)})`,
  );
}
if (against) {
  const dir = checkout(against);
  try {
    show(`before (${against})`, await measure(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
show(against ? "after (this tree)" : "this tree", await measure(ROOT));
