/**
 * The end-to-end kit: build the page with Vite's JS API, serve the built
 * files with `preview()` on a free port, drive Debian's Chromium headless with
 * playwright-core (never a downloaded browser), and listen to what the page
 * actually plays through an AnalyserNode tap installed before any page script
 * runs, rather than trusting what the page says about itself.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { build, preview } from "vite";
import { KWeightingFilter, kWeightingCoefficients } from "../../src/dsp/k-weighting.ts";
import { energyToLufs } from "../../src/dsp/gating.ts";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Where screenshots go (gitignored). */
export const ARTIFACTS = join(ROOT, "test-artifacts");

/** The Chromium to drive: $CHROME_PATH, else Debian's. Throws, saying how to install one, when there is none. */
export function chromiumPath(): string {
  const path = process.env.CHROME_PATH || "/usr/bin/chromium";
  if (!existsSync(path)) {
    throw new Error(
      `The browser tests need Chromium, and there is none at ${path}. ` +
        "Install it with `apt-get install -y chromium` (Debian, Ubuntu), or set CHROME_PATH to a Chrome or Chromium binary.",
    );
  }
  return path;
}

export interface Site {
  /** The served page, ending in "/". */
  url: string;
  /** The folder of the built files being served. */
  outDir: string;
  close(): Promise<void>;
}

/**
 * Builds the page into a temporary folder and serves the built files on
 * localhost: the production page, or with `mode: "e2e"` the page with its
 * test hooks (src/web/test-hooks.ts). `root` is the source tree (this one,
 * or another commit's for a benchmark's comparison).
 */
export async function buildAndServe(mode: "production" | "e2e" = "production", root = ROOT): Promise<Site> {
  const outDir = await mkdtemp(join(tmpdir(), "reverie-e2e-"));
  const configFile = join(root, "vite.config.ts");
  await build({ root, configFile, mode, logLevel: "warn", build: { outDir, emptyOutDir: true } });
  const port = await freePort();
  const server = await preview({
    root,
    configFile,
    logLevel: "warn",
    build: { outDir },
    preview: { port, strictPort: true, host: "127.0.0.1", open: false },
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    outDir,
    async close() {
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

/** Chromium's flags that work on these machines. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Launches headless Chromium with the flags that work on these machines. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}

/** The K-weighting filters of the loudness meter at the rates a context may run at, for the tap's meter. */
const K_WEIGHTING = JSON.stringify(Object.fromEntries([44100, 48000, 88200, 96000].map((rate) => [rate, kWeightingCoefficients(rate)])));

/**
 * The tap's audio-thread meter, as a module. Every 0.1 s it posts to the page
 * (so a stretch when the page's own scripts could not run is measured too):
 * the RMS level of the left channel, its sample peak, and the K-weighted
 * energy of both channels as BS.1770 sums it, through the loudness meter's
 * own filter class (src/dsp/k-weighting.ts), its source injected as is.
 */
const METER = `const K = ${K_WEIGHTING}[sampleRate];
const KWeightingFilter = ${String(KWeightingFilter)};
registerProcessor("reverie-tap-meter", class extends AudioWorkletProcessor {
  constructor() { super(); this.sum = 0; this.peak = 0; this.k = 0; this.frames = 0; this.filter = K && new KWeightingFilter(K, 2); }
  process(inputs) {
    const input = inputs[0];
    if (input[0]) for (const x of input[0]) { this.sum += x * x; if (Math.abs(x) > this.peak) this.peak = Math.abs(x); }
    for (let c = 0; c < Math.min(2, input.length) && K; c++) {
      this.k = this.filter.sumOfSquares(c, input[c], 0, input[c].length, this.k);
    }
    this.frames += 128;
    if (this.frames >= sampleRate / 10) {
      this.port.postMessage({
        time: currentTime,
        db: 10 * Math.log10(this.sum / this.frames),
        peak: 20 * Math.log10(this.peak),
        energy: this.k / this.frames,
      });
      this.sum = 0;
      this.peak = 0;
      this.k = 0;
      this.frames = 0;
    }
    return true;
  }
});`;

/**
 * Runs in the page before its own scripts: anything connected to a realtime
 * context's destination, or to a MediaStreamAudioDestinationNode (whose
 * stream a media element plays), is also connected to an AnalyserNode, one
 * per context, which the tests read, and to the audio-thread meter.
 */
const TAP_SCRIPT = `(() => {
  const METER = ${JSON.stringify(METER)};
  const meterUrl = URL.createObjectURL(new Blob([METER], { type: "text/javascript" }));
  const taps = new Map();
  const history = [];
  const connect = AudioNode.prototype.connect;
  const tapFor = (context) => {
    let tap = taps.get(context);
    if (tap) return tap;
    tap = { analyser: context.createAnalyser(), meter: null, sources: [] };
    tap.analyser.fftSize = 4096;
    taps.set(context, tap);
    context.audioWorklet.addModule(meterUrl).then(() => {
      const meter = new AudioWorkletNode(context, "reverie-tap-meter");
      meter.port.onmessage = (event) => history.push(event.data);
      connect.call(meter, context.destination);
      for (const [node, output] of tap.sources) connect.call(node, meter, output);
      tap.meter = meter;
    }, () => {});
    return tap;
  };
  AudioNode.prototype.connect = function (...args) {
    const result = connect.apply(this, args);
    const destination = args[0];
    // The speakers: the context's destination, or the stream a media element plays.
    const speakers = destination instanceof AudioDestinationNode || destination instanceof MediaStreamAudioDestinationNode;
    if (speakers && destination.context instanceof AudioContext) {
      const tap = tapFor(destination.context);
      const output = args[1] ?? 0;
      connect.call(this, tap.analyser, output);
      tap.sources.push([this, output]);
      if (tap.meter) connect.call(this, tap.meter, output);
    }
    return result;
  };
  const open = () => [...taps.entries()].filter(([context]) => context.state !== "closed");
  window.__tap = {
    // RMS of the last 4096 frames reaching the destination of the loudest open context, in dBFS.
    level() {
      let power = 0;
      for (const [, tap] of open()) {
        const data = new Float32Array(tap.analyser.fftSize);
        tap.analyser.getFloatTimeDomainData(data);
        let sum = 0;
        for (const x of data) sum += x * x;
        power = Math.max(power, sum / data.length);
      }
      return 10 * Math.log10(power);
    },
    // Every 0.1 s of sound the meters have heard: context time and dBFS.
    history() {
      return history.slice();
    },
    states() {
      return open().map(([context]) => context.state);
    },
    // Suspends every context, as the system does for a phone call.
    async interrupt() {
      for (const [context] of open()) await context.suspend();
    },
  };
})();`;

export interface OpenPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught errors and console errors seen so far. */
  errors: string[];
  /** Every URL the page asked for. */
  requests: string[];
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  reducedMotion?: "reduce" | "no-preference";
}

/** Opens `url` in a fresh browser context with the audio tap installed. */
export async function openPage(browser: Browser, url: string, options: PageOptions = {}): Promise<OpenPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    reducedMotion: options.reducedMotion ?? "no-preference",
    acceptDownloads: true,
  });
  await installTap(context);
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    // Tone creates a context when imported, before any gesture: Chromium's autoplay warning about it is expected.
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(url);
  await page.waitForSelector("#caption:not(:empty)");
  return { page, context, errors, requests };
}

/** Installs the audio tap in every page `context` opens from now on. */
export async function installTap(context: BrowserContext): Promise<void> {
  await context.addInitScript(TAP_SCRIPT);
}

/** What the tap's audio-thread meter heard in 0.1 s. */
export interface Reading {
  /** Context time at the end of it, in seconds. */
  time: number;
  /** RMS level of the left channel, in dBFS. */
  db: number;
  /** Sample peak of the left channel, in dBFS. */
  peak: number;
  /** K-weighted mean square of both channels, summed (BS.1770's energy; see {@link lufs}). */
  energy: number;
}

type Tap = {
  level(): number;
  history(): Reading[];
  states(): string[];
  interrupt(): Promise<void>;
};

/** Loudness reaching the speakers now, in dBFS. */
export function level(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __tap: Tap }).__tap.level());
}

/** Mean loudness over `seconds` (energy average of a reading every 100 ms), in dBFS. */
export async function loudness(page: Page, seconds: number): Promise<number> {
  return page.evaluate(async (ms) => {
    const tap = (window as unknown as { __tap: Tap }).__tap;
    let power = 0;
    let count = 0;
    for (let t = 0; t < ms; t += 100) {
      power += 10 ** (tap.level() / 10);
      count++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return 10 * Math.log10(power / count);
  }, seconds * 1000);
}

/** States of the page's open audio contexts ("running", "suspended"). */
export function contextStates(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __tap: Tap }).__tap.states());
}

/** What the audio-thread meter heard, every 0.1 s. */
export function levelHistory(page: Page): Promise<Reading[]> {
  return page.evaluate(() => (window as unknown as { __tap: Tap }).__tap.history());
}

/** What the audio-thread meter hears over the next `seconds`. */
export async function listen(page: Page, seconds: number): Promise<Reading[]> {
  const before = await levelHistory(page);
  const from = before.length > 0 ? before[before.length - 1].time : 0;
  await page.waitForTimeout(seconds * 1000);
  return (await levelHistory(page)).filter((reading) => reading.time > from);
}

/** Loudness of a stretch of readings, in LUFS (BS.1770's sum, ungated: for a stretch of steady sound). */
export function lufs(readings: readonly Reading[]): number {
  return energyToLufs(readings.reduce((sum, r) => sum + r.energy, 0) / readings.length);
}

/** Blocks the page's main thread for `seconds`, as a starved background tab is. */
export function starveMainThread(page: Page, seconds: number): Promise<void> {
  return page.evaluate((ms) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      // Nothing else on the main thread runs meanwhile: no timers, no messages.
    }
  }, seconds * 1000);
}

/** Suspends the page's audio contexts from outside, as a phone call would. */
export function interruptAudio(page: Page): Promise<void> {
  return page.evaluate(() => (window as unknown as { __tap: Tap }).__tap.interrupt());
}

/** Waits until the page's loudness satisfies `ok` (checked every 100 ms), or throws after `seconds`. */
export async function waitForLevel(page: Page, ok: (db: number) => boolean, seconds: number, what: string): Promise<number> {
  const until = Date.now() + seconds * 1000;
  let last = Number.NaN;
  while (Date.now() < until) {
    last = await level(page);
    if (ok(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`waited ${seconds} s for ${what}; the level stayed at ${last.toFixed(1)} dBFS`);
}

/** A free TCP port on localhost. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
