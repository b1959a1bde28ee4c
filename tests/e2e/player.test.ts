// @module-tag browser
/**
 * The browser player, end to end: the built page served on localhost, driven
 * in headless Chromium, and judged by what reaches the speakers (an
 * AnalyserNode tap on the context's destination) and what the page shows.
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { analyzeWav } from "../../src/cli/analyze.ts";
import { compose } from "../../src/compose/compose.ts";
import { DEFAULT_TARGET } from "../../src/score/loudness-model.ts";
import { DEFAULT_CEILING } from "../../src/dsp/limiter.ts";
import { decodeSamples, parseWavHeader } from "../../src/pipeline/wav.ts";
import { parsePreset, PresetError } from "../../src/score/preset.ts";
import { Random } from "../../src/core/random.ts";
import { planStory } from "../../src/score/timeline.ts";
import { beatLabel } from "../../src/web/format.ts";
import { dim } from "../../src/web/visual.ts";
import {
  ARTIFACTS,
  buildAndServe,
  contextStates,
  interruptAudio,
  launchChromium,
  level,
  levelHistory,
  listen,
  loudness,
  lufs,
  openPage,
  type PageOptions,
  ROOT,
  type Site,
  starveMainThread,
  waitForLevel,
} from "../helpers/browser.ts";
import { reverie, tempDir } from "../helpers/cli.ts";

const DREAM_TEXT = readFileSync(join(ROOT, "presets/dream.json"), "utf8");
const DREAM = parsePreset(DREAM_TEXT, "presets/dream.json");
const SLEEP_DRIFT = parsePreset(readFileSync(join(ROOT, "presets/sleep-drift.json"), "utf8"), "presets/sleep-drift.json");
/** Below this, the page is silent (the analyser reads exact zeros as -Infinity). */
const SILENCE = -90;
/** Above this, the page is audibly playing (the dream at the default volume sits around -30 dBFS). */
const SOUND = -70;

let site: Site;
/** The page built with its test hooks, for the one test that needs a sleep timer of seconds. */
let hooked: Site;
let browser: Browser;
const opened: BrowserContext[] = [];

beforeAll(async () => {
  const [served, servedHooked, launched] = await Promise.allSettled([buildAndServe(), buildAndServe("e2e"), launchChromium()]);
  if (served.status === "fulfilled") site = served.value;
  if (servedHooked.status === "fulfilled") hooked = servedHooked.value;
  if (launched.status === "fulfilled") browser = launched.value;
  if (launched.status === "rejected") throw launched.reason;
  if (served.status === "rejected") throw served.reason;
  if (servedHooked.status === "rejected") throw servedHooked.reason;
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((context) => context.close()));
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await hooked?.close();
});

async function open(query = "", options: PageOptions = {}, on: Site = site): Promise<Page> {
  const { page, context } = await openPage(browser, `${on.url}${query}`, options);
  opened.push(context);
  return page;
}

/** The progress line's button for scene `index` (from 0) of the dream, or of `preset`. */
function scene(page: Page, index: number, preset = DREAM) {
  const name = `Scene ${index + 1} of ${preset.beats.length}: ${beatLabel(preset.beats[index].id)}`;
  return page.getByRole("button", { name, exact: true });
}

async function openPanel(page: Page, name: string): Promise<void> {
  await page.locator("summary", { hasText: name }).click();
}

/** Presses play and waits for the fade-in to be audible. */
async function play(page: Page): Promise<void> {
  await page.click("#play");
  await waitForLevel(page, (db) => db > SOUND, 10, "the soundscape to be heard");
}

describe("the browser player", () => {
  it("plays the dream when play is pressed: fading in from silence, the context running, the first scene's caption shown", async () => {
    const { page, requests, errors } = await openPage(browser, site.url);
    opened.push(page.context());
    expect(await contextStates(page)).not.toContain("running");
    expect(await page.textContent("#caption")).toBe(DREAM.beats[0].caption);

    await page.click("#play");
    const start = await loudness(page, 0.6);
    await waitForLevel(page, (db) => db > SOUND, 10, "the soundscape to be heard");
    await page.waitForTimeout(3000);
    const later = await loudness(page, 1);

    expect(await contextStates(page)).toContain("running");
    expect(later).toBeGreaterThan(SOUND);
    expect(start).toBeLessThan(later - 12);
    expect(await page.textContent("#caption")).toBe(DREAM.beats[0].caption);
    expect(await page.getAttribute("#play", "aria-label")).toBe("Pause");
    expect(requests.filter((url) => !url.startsWith(site.url) && !url.startsWith("blob:") && !url.startsWith("data:"))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("never starts loud: play in the middle of the story fades in over seconds", async () => {
    const page = await open();
    await scene(page, 1).click();
    await page.click("#play");
    const start = await loudness(page, 0.5);
    await page.waitForTimeout(4000);
    const settled = await loudness(page, 1);

    expect(settled).toBeGreaterThan(SOUND);
    expect(start).toBeLessThan(settled - 12);
  });

  it("pauses and plays again with the space bar: a fade out, then the context suspended", async () => {
    const page = await open();
    await page.keyboard.press("Space");
    await waitForLevel(page, (db) => db > SOUND, 10, "space to start the sound");

    await page.keyboard.press("Space");
    await page.waitForTimeout(400);
    expect(await level(page)).toBeGreaterThan(SILENCE);
    await expect.poll(() => contextStates(page), { timeout: 6000 }).toEqual(["suspended"]);
    expect(await level(page)).toBeLessThan(SILENCE);

    await page.keyboard.press("Space");
    await waitForLevel(page, (db) => db > SOUND, 10, "space to start the sound again");
    expect(await contextStates(page)).toEqual(["running"]);
  });

  it("seeks to a scene: its caption shows, the lock screen names it, and the sound carries on from there", async () => {
    const page = await open();
    await play(page);
    await scene(page, 5).click();
    await expect.poll(() => page.textContent("#caption")).toBe(DREAM.beats[5].caption);
    await page.waitForTimeout(3000);
    expect(await loudness(page, 1)).toBeGreaterThan(SOUND);
    const [minutes] = (await page.textContent("#elapsed"))?.split(":").map(Number) ?? [];
    const plan = planStory(DREAM, Random.fromSeed(1), { story: 1800 });
    expect(minutes).toBe(Math.floor(plan.beats[5].start / 60));
    const media = await page.evaluate(() => {
      const { metadata, playbackState } = navigator.mediaSession;
      return { title: metadata?.title, artist: metadata?.artist, state: playbackState };
    });
    expect(media).toEqual({ title: DREAM.title, artist: beatLabel(DREAM.beats[5].id), state: "playing" });
  });

  it("never stops at the end of the story: its last scene drifts on, even for a link that asks for no drift", async () => {
    const drifting = await open("?customLength=5s&drift=0");
    await play(drifting);

    await expect.poll(() => drifting.textContent("#total"), { timeout: 15_000 }).toBe(" · drifting on");
    expect(await loudness(drifting, 1)).toBeGreaterThan(SOUND);
    expect(await contextStates(drifting)).toEqual(["running"]);
  });

  it("keeps playing while the page's scripts are starved, as in a background tab: the sound is scheduled well ahead", async () => {
    const page = await open();
    // The second scene, past the story's fade-in, once the play fade is done: a steady level to compare with.
    await scene(page, 1).click();
    await play(page);
    await page.waitForTimeout(4500);
    const before = (await levelHistory(page)).slice(-20);
    const starvedFrom = before[before.length - 1].time;
    await starveMainThread(page, 10);
    await page.waitForTimeout(500);

    const during = (await levelHistory(page)).filter((entry) => entry.time > starvedFrom && entry.time < starvedFrom + 10);
    // Without the horizon, the noise voices fall silent a few seconds in (their 5 s buffers run out).
    expect(during.length).toBeGreaterThan(80);
    expect(meanDb(during.slice(-50))).toBeGreaterThan(meanDb(before) - 6);
  });

  it("turns the master volume on a perceptual curve: from 70 to 35 on the slider is about 18 dB quieter", async () => {
    const page = await open();
    await scene(page, 1).click();
    await play(page);
    await page.waitForTimeout(4500);
    const at70 = await loudness(page, 1.5);
    await page.locator("#volume").focus();
    for (let i = 0; i < 35; i++) await page.keyboard.press("ArrowLeft");
    expect(await page.inputValue("#volume")).toBe("35");
    await page.waitForTimeout(500);
    const at35 = await loudness(page, 1.5);

    // A cube: 3 × 20·log10(70/35) ≈ 18 dB (a square would be 12, a straight line 6).
    expect(at70 - at35).toBeGreaterThan(18 - 5);
    expect(at70 - at35).toBeLessThan(18 + 5);
    await expect.poll(() => new URL(page.url()).searchParams.get("volume")).toBe("35");
  });

  it("plays presets of very different loudness at about the same level: the dream and sleep drift within 4 LU (7 apart unnormalised), peaks under -1 dBFS", async () => {
    // The sixth scene of each, at their natural 30 minutes. Unnormalised, sleep drift is
    // 7 LU quieter than the dream. Normalised, 4–8 s into the scene read -24.1 LUFS (the dream)
    // and -22.8 (sleep drift) in the command line's render of seed 1, and live -25.9 and -22.8:
    // the dream's harmony carries that scene and is balanced lower since the voices became
    // textures, and the page normalises its endless plan (the last scene drifting on) where the
    // file normalises the story. So: within 4 LU of each other, and of the target.
    // At full volume, so the page's output is on the file's scale.
    const presets = [DREAM, SLEEP_DRIFT];
    const heard = await Promise.all(
      presets.map(async (preset) => {
        const page = await open(`?preset=${preset.id}&volume=100`);
        await scene(page, 5, preset).click();
        await play(page);
        await page.waitForTimeout(4000);
        return listen(page, 4);
      }),
    );
    const [dream, drift] = heard.map(lufs);
    const peaks = heard.map((readings) => Math.max(...readings.map((r) => r.peak)));

    expect(Math.min(...heard.map((readings) => readings.length))).toBeGreaterThan(30);
    expect(Math.abs(dream - drift)).toBeLessThan(4);
    expect(Math.abs(dream - DEFAULT_TARGET)).toBeLessThan(4);
    expect(Math.max(...peaks)).toBeLessThanOrEqual(DEFAULT_CEILING);
  });

  it("never peaks above -1 dBFS at full volume, even with a preset file whose splashes the loudness model does not hear", async () => {
    // The lake alone, quiet, with five leaps at full intensity in every scene:
    // the score model sees only the quiet water and turns it up by about 18 dB,
    // and without the page's limiter the splashes reach full scale.
    const raw = JSON.parse(DREAM_TEXT);
    raw.id = "leaps";
    raw.voices = { lake: raw.voices.lake };
    for (const beat of raw.beats) {
      beat.targets = { lake: { ...beat.targets.lake, level: 0.3 } };
      beat.events = [0.1, 0.3, 0.5, 0.7, 0.9].map((at) => ({ type: "leap", voice: "lake", at, intensity: 1 }));
    }
    const page = await open("?customLength=30s&volume=100");
    await openPanel(page, "Your own preset");
    await page.setInputFiles("#preset-file", {
      name: "leaps.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(raw)),
    });
    await expect.poll(() => page.textContent("#preset-ok")).toContain("Opened leaps.json");
    await play(page);
    const heard = await listen(page, 10);
    const peak = Math.max(...heard.map((r) => r.peak));

    expect(heard.length).toBeGreaterThan(80);
    expect(peak).toBeGreaterThan(-12);
    expect(peak).toBeLessThanOrEqual(DEFAULT_CEILING);
  });

  it("colours the sky with the scene's colours, drifting slowly, and holds it still for reduced motion", async () => {
    const glows = (page: Page) =>
      page.evaluate(() => {
        const layer = document.querySelector(".sky-layer.is-shown") as HTMLElement;
        const glow = layer.querySelector(".glow") as HTMLElement;
        return { color: layer.style.getPropertyValue("--glow-0"), animation: getComputedStyle(glow).animationName };
      });
    const page = await open();
    const first = await glows(page);
    await scene(page, 5).click();
    const sixth = await glows(page);
    const still = await glows(await open("", { reducedMotion: "reduce" }));

    expect(first.color).toBe(dim(DREAM.beats[0].colors[0]));
    expect(sixth.color).toBe(dim(DREAM.beats[5].colors[0]));
    expect(first.animation).toBe("drift");
    expect(still.animation).toBe("none");
  });

  it("drifts the sky while playing, a step every other second of the clock, and holds it still once paused", async () => {
    const page = await open();
    await play(page);
    // The drift's clock and the time shown, every 100 ms for 6.5 s.
    const samples = await page.evaluate(async () => {
      const glow = document.querySelector(".sky-layer.is-shown .glow") as HTMLElement;
      const seen: { drift: number; shown: string }[] = [];
      for (let i = 0; i < 65; i++) {
        seen.push({
          drift: Number(glow.getAnimations()[0]?.currentTime ?? -1),
          shown: document.getElementById("elapsed")?.textContent ?? "",
        });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return seen;
    });
    const steps = samples.filter((s, i) => i > 0 && s.drift !== samples[i - 1].drift);
    const ticks = samples.filter((s, i) => i > 0 && s.shown !== samples[i - 1].shown);
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    // Every other tick of the clock, each a step of about two seconds' drift, taken as the clock moved.
    expect(steps.length).toBeGreaterThanOrEqual(2);
    expect(steps.length).toBeLessThanOrEqual(Math.ceil(ticks.length / 2));
    for (const step of steps) expect(ticks).toContainEqual(step);
    const moved = samples[samples.length - 1].drift - samples[0].drift;
    expect(moved).toBeGreaterThan(3000);
    // About two seconds a step (a late tick makes a longer one), never a jump.
    expect(moved).toBeLessThan(10_000);

    await page.click("#play");
    await page.waitForTimeout(2000);
    const held = await page.evaluate(() =>
      Number((document.querySelector(".sky-layer.is-shown .glow") as HTMLElement).getAnimations()[0]?.currentTime),
    );
    await page.waitForTimeout(3000);
    expect(
      await page.evaluate(() =>
        Number((document.querySelector(".sky-layer.is-shown .glow") as HTMLElement).getAnimations()[0]?.currentTime),
      ),
    ).toBe(held);
  });

  it("cross-fades to a new scene's sky over nine seconds in a few steps a second, not at the screen's rate", async () => {
    const page = await open();
    await page.waitForTimeout(9500);
    await scene(page, 3).click();
    // The layers' opacity every 40 ms, and whether any animation or transition runs on them.
    const seen = await page.evaluate(async () => {
      const layers = [...document.querySelectorAll<HTMLElement>(".sky-layer")];
      const incoming = layers.findIndex((layer) => layer.classList.contains("is-shown"));
      const samples: { in: number; out: number; running: number }[] = [];
      for (let i = 0; i < 260; i++) {
        samples.push({
          in: Number(getComputedStyle(layers[incoming]).opacity),
          out: Number(getComputedStyle(layers[1 - incoming]).opacity),
          running: layers.reduce((n, layer) => n + layer.getAnimations().length, 0),
        });
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
      return samples;
    });
    const values = seen.map((s) => s.in);
    const changes = values.filter((v, i) => i > 0 && v !== values[i - 1]).length;
    expect(seen.every((s) => s.running === 0)).toBe(true);
    expect(values[0]).toBeLessThan(0.05);
    expect(values[values.length - 1]).toBe(1);
    expect(seen[seen.length - 1].out).toBe(0);
    expect(values.every((v, i) => i === 0 || v >= values[i - 1])).toBe(true);
    // Nine seconds at eight steps a second (a transition would change it every frame, 60 a second).
    const ended = values.indexOf(1) * 0.04;
    expect(ended).toBeGreaterThan(8);
    expect(ended).toBeLessThan(10);
    expect(changes).toBeGreaterThan(40);
    expect(changes).toBeLessThanOrEqual(9 * 8 + 6);
  });

  it("dims the controls after 30 s untouched, over eight seconds in a few steps a second, and brings them back on a touch", async () => {
    const page = await open();
    await play(page);
    await page.waitForFunction(() => document.body.classList.contains("is-resting"), undefined, { timeout: 40_000, polling: 100 });
    const seen = await page.evaluate(async () => {
      const masthead = document.querySelector(".masthead") as HTMLElement;
      const samples: { opacity: number; running: number }[] = [];
      for (let i = 0; i < 225; i++) {
        samples.push({ opacity: Number(getComputedStyle(masthead).opacity), running: masthead.getAnimations().length });
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
      return samples;
    });
    const values = seen.map((s) => s.opacity);
    const changes = values.filter((v, i) => i > 0 && v !== values[i - 1]).length;
    expect(seen.every((s) => s.running === 0)).toBe(true);
    expect(values[0]).toBeGreaterThan(0.95);
    expect(values[values.length - 1]).toBeCloseTo(0.1, 5);
    expect(values.every((v, i) => i === 0 || v <= values[i - 1])).toBe(true);
    const ended = values.findIndex((v) => Math.abs(v - 0.1) < 1e-6) * 0.04;
    expect(ended).toBeGreaterThan(7);
    expect(changes).toBeGreaterThan(30);
    // Eight seconds at eight steps a second, give or take the timer (sampled 25 times a second, a transition changes every sample).
    expect(changes).toBeLessThanOrEqual(8 * 8 + 6);

    await page.mouse.move(100, 100);
    await expect
      .poll(() => page.evaluate(() => Number(getComputedStyle(document.querySelector(".masthead") as HTMLElement).opacity)), {
        timeout: 5000,
      })
      .toBe(1);
  });

  it.each([
    ["on the audio thread (the mixer's worklet)", false],
    ["in native nodes, where the mixer's worklet cannot load", true],
  ])(
    "mutes a voice from the mixer %s: with the other voices at 0 from the link, one voice alone is heard, then nothing",
    async (_, noWorklet) => {
      // The loudest voice of the first scene.
      const [voice] = [...DREAM.beats[0].targets].sort(([, a], [, b]) => (b.level ?? 0) - (a.level ?? 0))[0];
      const others = DREAM.voices.filter((v) => v.name !== voice).map((v) => `mix.${v.name}=0`);
      const page = await open(`?${others.join("&")}`);
      if (noWorklet) await page.route("**/*live-mixer*", (route) => route.abort());
      const fetched: string[] = [];
      page.on("requestfinished", (request) => fetched.push(request.url()));
      page.on("requestfailed", (request) => fetched.push(`failed ${request.url()}`));
      await play(page);
      await expect.poll(() => fetched.find((url) => url.includes("live-mixer"))?.startsWith("failed")).toBe(noWorklet);
      await page.waitForTimeout(3000);
      const alone = await loudness(page, 1.5);
      expect(alone).toBeGreaterThan(SOUND);

      await openPanel(page, "Mixer");
      const slider = page.locator(`#mixer input[data-voice="${voice}"]`);
      await slider.focus();
      await page.keyboard.press("Home");
      expect(await slider.inputValue()).toBe("0");
      await page.waitForTimeout(3500);
      const muted = await loudness(page, 1);

      expect(muted).toBeLessThan(alone - 40);
      expect(await contextStates(page)).toEqual(["running"]);
      expect(page.url()).toContain(`mix.${voice}=0`);
    },
  );

  it("ends a sleep timer with a fade to silence, then suspends the context", async () => {
    const page = await open("?timerFade=2", {}, hooked);
    await play(page);
    await openPanel(page, "Sleep timer");
    await page.fill("#custom-timer-input", "6s");
    await page.click("#custom-timer button[type=submit]");
    await expect.poll(() => page.textContent("#timer-left")).toMatch(/^Sleep timer: 0:0\d left$/);

    await expect.poll(() => contextStates(page), { timeout: 15_000 }).toEqual(["suspended"]);

    // What the audio thread heard, every 0.1 s: sound, a fade of about 2 s, then silence until the suspension.
    const heard = await levelHistory(page);
    let silentFrom = heard.length;
    while (silentFrom > 0 && heard[silentFrom - 1].db < SILENCE) silentFrom--;
    expect(silentFrom).toBeLessThan(heard.length);
    const fadeEnd = heard[silentFrom].time;
    const before = heard.filter((entry) => entry.time > fadeEnd - 3.5 && entry.time < fadeEnd - 2.5);
    const fade = heard.filter((entry) => entry.time > fadeEnd - 2 && entry.time < fadeEnd);
    const fading = fade.filter((entry) => entry.db < meanDb(before) - 6 && entry.db > SILENCE);

    expect(meanDb(before)).toBeGreaterThan(SOUND);
    expect(fading.length).toBeGreaterThan(5);
    expect(await level(page)).toBeLessThan(SILENCE);
    expect(await page.getAttribute("#play", "aria-label")).toBe("Play");
    expect(await page.textContent("#notice-text")).toContain("sleep timer has ended");
  });

  it("leaves the test hooks out of the production page: its scripts lack them, and a link cannot shorten the sleep timer", async () => {
    const html = await (await fetch(site.url)).text();
    const scripts = [...html.matchAll(/src="\.\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(await (await fetch(`${site.url}${script}`)).text()).not.toContain("timerFade");
    const [plain, hookedLink] = await Promise.all([open(), open("?timerFade=2")]);
    expect(await hookedLink.textContent("#timer-note")).toBe(await plain.textContent("#timer-note"));
    expect(await hookedLink.textContent("#notice-text")).toBe("");
  });

  it("restores preset, seed, lengths, volume and mixer from a shared link, and gives a new seed for another variation", async () => {
    const [first, second, third] = DREAM.voices.map((v) => v.name);
    const query = `?preset=dream&seed=4242&story=10&volume=55&mix.${first}=30&mix.${second}=0`;
    const page = await open(query);
    expect(await page.textContent("#seed")).toBe("4242");
    expect(await page.isChecked('input[name="story"][value="600"]')).toBe(true);
    expect(await page.inputValue("#volume")).toBe("55");
    expect(await page.inputValue(`#mixer input[data-voice="${first}"]`)).toBe("30");
    expect(await page.inputValue(`#mixer input[data-voice="${second}"]`)).toBe("0");
    expect(await page.inputValue(`#mixer input[data-voice="${third}"]`)).toBe("100");
    expect(await page.textContent("#total")).toBe(" / 10:00");
    expect(new URL(page.url()).search).toBe(query);

    await openPanel(page, "Variation and sharing");
    await page.click("#variation");
    const seed = await page.textContent("#seed");
    expect(seed).not.toBe("4242");
    expect(seed).toMatch(/^\d+$/);
    await expect.poll(() => new URL(page.url()).searchParams.get("seed")).toBe(seed);
    expect(await page.textContent("#download-command")).toBe(`npx reverie render --preset dream --seed ${seed} --story 10m --length 10m`);
  });

  it("leaves out a link's bad parameters, with a notice shown as text naming them, and keeps the good ones", async () => {
    const page = await open("?seed=%3Cimg%20src%3Dx%3E&mix.leaves=loud&volume=40");
    const notice = await page.textContent("#notice-text");
    expect(notice).toContain("the variation and the volume of Leaves");
    expect(await page.locator("#notice img").count()).toBe(0);
    expect(await page.inputValue("#volume")).toBe("40");
    expect(await page.textContent("#seed")).toBe("1");
    expect(await page.inputValue(`#mixer input[data-voice="${DREAM.voices[0].name}"]`)).toBe("100");
  });

  it("downloads the chosen length as the command line renders it: -23 LUFS, true peak under -1 dBTP, the same sound", async () => {
    const page = await open("?customLength=20s&seed=7");
    await openPanel(page, "Download");
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 90_000 }), page.click("#download")]);
    expect(download.suggestedFilename()).toBe("dream-7-20s.wav");
    const path = await download.path();
    const bytes = new Uint8Array(readFileSync(path));

    const header = parseWavHeader(bytes, "download");
    expect(header).toMatchObject({ sampleRate: 48000, channels: 2, format: "pcm16", frames: 20 * 48000 });
    const [left] = decodeSamples(bytes.subarray(header.dataOffset, header.dataOffset + header.dataBytes), header);
    const report = await analyzeWav(path);
    expect(Math.abs(report.integrated - DEFAULT_TARGET)).toBeLessThan(0.5);
    expect(report.truePeak).toBeLessThanOrEqual(DEFAULT_CEILING);
    expect(report.clipped).toBe(0);

    // `reverie render` of the same preset, seed and story, in Node. Every voice and the reverb
    // are drawn in JavaScript, the same code in both (the engines only play the buffers and
    // apply the master's fades), so the page's file is the command line's to within the two
    // engines' rounding: measured, a correlation of 0.99999998 (0.73 when the voices were
    // native graphs), and against another seed's render none.
    const same = cliRender("7");
    const other = cliRender("8");
    const halfSeconds = Array.from({ length: 40 }, (_, i) => [i * 24000, (i + 1) * 24000] as const);
    const levelGaps = halfSeconds.map(([from, to]) => Math.abs(rmsDb(left.subarray(from, to)) - rmsDb(same.subarray(from, to))));
    expect(Math.max(...levelGaps)).toBeLessThan(0.1);
    expect(correlation(left, same)).toBeGreaterThan(0.999);
    expect(Math.abs(correlation(left, other))).toBeLessThan(0.1);
  });

  it("shows a bad preset file's errors, as the command line words them, while playback carries on", async () => {
    const page = await open();
    await play(page);
    const raw = JSON.parse(DREAM_TEXT);
    const [voice] = Object.keys(raw.beats[3].targets);
    raw.beats[3].targets[voice].level = "loud";
    const broken = JSON.stringify(raw, null, 2);
    const expected = problemsOf(broken, "broken.json");
    expect(expected).toEqual([`broken.json: beats[3].targets.${voice}.level: expected a number from 0 to 1, got "loud"`]);

    await openPanel(page, "Your own preset");
    await page.setInputFiles("#preset-file", { name: "broken.json", mimeType: "application/json", buffer: Buffer.from(broken) });
    await expect.poll(() => page.locator("#preset-error .problem").allTextContents()).toEqual(expected);
    await page.waitForTimeout(2500);

    expect(await loudness(page, 1)).toBeGreaterThan(SOUND);
    expect(await contextStates(page)).toEqual(["running"]);
    expect(await page.textContent("#title")).toBe(DREAM.title);
    expect(await page.textContent("#caption")).toBe(DREAM.beats[0].caption);
  });

  it("opens a good preset file and shows its text as text, never as HTML", async () => {
    const page = await open();
    const raw = JSON.parse(DREAM_TEXT);
    raw.id = "garden";
    raw.title = 'Night <b>garden</b><img src=x onerror="window.__pwned=1">';
    raw.beats[0].caption = "<script>window.__pwned = 2</script>A path of moss.";
    await openPanel(page, "Your own preset");
    await page.setInputFiles("#preset-file", {
      name: "garden.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(raw)),
    });

    await expect.poll(() => page.textContent("#title")).toBe(raw.title);
    expect(await page.textContent("#caption")).toBe(raw.beats[0].caption);
    expect(await page.locator("#title b, #title img, #caption script").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.textContent("#preset-ok")).toContain("Opened garden.json");
  });

  it("composes your own story: its scenes and captions listed, the first one shown, playing at once; a text that is no story says why", async () => {
    const story = readFileSync(join(ROOT, "tests/fixtures/stories/dream.txt"), "utf8");
    const captions = (compose(story).preset.beats as { caption: string }[]).map((b) => b.caption);
    const page = await open();
    await openPanel(page, "Your own story");
    await page.fill("#story-text", story);
    await page.click("#story-compose");

    await expect.poll(() => page.locator("#story-beats li").allTextContents()).toEqual(captions);
    expect(await page.textContent("#caption")).toBe(captions[0]);
    expect(await page.textContent("#story-notes")).toContain("11 scenes");
    await waitForLevel(page, (db) => db > SOUND, 10, "the story to be heard");

    await page.fill("#story-text", "  ");
    await page.click("#story-compose");
    await expect.poll(() => page.textContent("#story-error")).toBe("This story was not composed: it is empty.");
    expect(await page.textContent("#caption")).toBe(captions[0]);
  });

  it("comes back after the system suspends the audio, on the next touch anywhere", async () => {
    const page = await open();
    await play(page);
    await interruptAudio(page);
    await expect.poll(() => page.textContent("#status")).toContain("Paused by the system");
    expect(await page.getAttribute("#play", "aria-label")).toBe("Play");

    await page.click("#caption");
    await waitForLevel(page, (db) => db > SOUND, 10, "the sound to come back");
    expect(await contextStates(page)).toEqual(["running"]);
    expect(await page.getAttribute("#play", "aria-label")).toBe("Pause");
  });

  for (const viewport of [
    { width: 360, height: 740 },
    { width: 1280, height: 800 },
  ]) {
    it(`lays out at ${viewport.width}×${viewport.height}: nothing wider than the screen, every control visible, labelled and focusable`, async () => {
      const page = await open("", { viewport });
      const name = `${viewport.width}x${viewport.height}`;
      await page.screenshot({ path: join(ARTIFACTS, `player-${name}.png`) });
      for (const summary of await page.locator("summary").all()) await summary.click();
      await page.waitForTimeout(500); // the panels' chevrons turn
      await page.screenshot({ path: join(ARTIFACTS, `player-${name}-open.png`), fullPage: true });

      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const play = await page.locator("#play").boundingBox();
      expect(play && play.y + play.height <= viewport.height && play.width >= 88).toBe(true);

      const controls = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>("button, input, select, summary")].map((el) => {
          const box = el.getBoundingClientRect();
          const labels = (el as HTMLInputElement).labels;
          const name =
            el.getAttribute("aria-label") ??
            (labels && labels.length > 0 ? [...labels].map((l) => l.textContent).join(" ") : el.textContent);
          const target = el.closest("label") ?? el;
          const hit = target.getBoundingClientRect();
          return {
            id: el.id || el.getAttribute("data-voice") || (el as HTMLInputElement).value || el.textContent?.trim(),
            hidden: el.closest("[hidden]") !== null || (el as HTMLButtonElement).hidden,
            name: (name ?? "").trim(),
            right: box.right,
            hitHeight: hit.height,
          };
        }),
      );
      const shown = controls.filter((c) => !c.hidden);
      expect(shown.length).toBeGreaterThan(30);
      expect(shown.filter((c) => c.name === "").map((c) => c.id)).toEqual([]);
      expect(shown.filter((c) => c.right > viewport.width).map((c) => c.id)).toEqual([]);
      expect(shown.filter((c) => c.hitHeight < 44).map((c) => c.id)).toEqual([]);

      await page.locator("body").click({ position: { x: 5, y: 5 } });
      await page.keyboard.press("Tab");
      const outline = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement as Element);
        return `${style.outlineStyle} ${style.outlineWidth}`;
      });
      expect(outline).toBe("solid 2px");
    });
  }
});

/** Energy average of meter readings, in dBFS. */
function meanDb(readings: { db: number }[]): number {
  return 10 * Math.log10(readings.reduce((sum, r) => sum + 10 ** (r.db / 10), 0) / readings.length);
}

function rmsDb(x: Float32Array): number {
  let sum = 0;
  for (const v of x) sum += v * v;
  return 10 * Math.log10(sum / x.length);
}

function correlation(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

/** The left channel of `reverie render` of the dream's 20 s story with `seed`, as the page's download test asks for it. */
function cliRender(seed: string): Float32Array {
  const dir = tempDir();
  const out = join(dir, `dream-${seed}.wav`);
  const run = reverie("render", "--preset", "dream", "--seed", seed, "--story", "20s", "--length", "20s", "--out", out, "--quiet");
  if (run.code !== 0) throw new Error(`reverie render exited with ${run.code}: ${run.stderr}`);
  const bytes = new Uint8Array(readFileSync(out));
  rmSync(dir, { recursive: true, force: true });
  const header = parseWavHeader(bytes, out);
  return decodeSamples(bytes.subarray(header.dataOffset, header.dataOffset + header.dataBytes), header)[0];
}

/** The lines `reverie validate` prints for a preset text. */
function problemsOf(text: string, source: string): string[] {
  try {
    parsePreset(text, source);
    return [];
  } catch (error) {
    if (!(error instanceof PresetError)) throw error;
    return error.problems.map((p) => `${error.source}: ${p.path === "(root)" ? "" : `${p.path}: `}${p.message}`);
  }
}
