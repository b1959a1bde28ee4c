// @module-tag browser
/**
 * The player as a phone app, end to end in headless Chromium: installable
 * (Chromium's own check, in a persistent profile, since an incognito context
 * is never installable), working offline once visited, taking a new version
 * on the next start without interrupting the night, playing through a media
 * element, and showing the scene and its picture on the system's media
 * controls, whose actions it obeys. The sound is judged by what reaches the
 * speakers (the tap follows the chain into the media element's stream).
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Random } from "../../src/core/random.ts";
import { parsePreset } from "../../src/score/preset.ts";
import { planStory } from "../../src/score/timeline.ts";
import { beatLabel } from "../../src/web/format.ts";
import { paintArtwork } from "../../src/web/pwa/artwork.ts";
import {
  buildAndServe,
  CHROMIUM_ARGS,
  chromiumPath,
  contextStates,
  installTap,
  level,
  ROOT,
  type Site,
  waitForLevel,
} from "../helpers/browser.ts";

const DREAM = parsePreset(readFileSync(join(ROOT, "presets/dream.json"), "utf8"), "presets/dream.json");
/** The dream's plan at the page's defaults (seed 1, 30 minutes). */
const PLAN = planStory(DREAM, Random.fromSeed(1), { story: 1800 });
/** Above this, the page is audibly playing; below SILENCE it is silent. */
const SOUND = -70;
const SILENCE = -90;

/**
 * Runs before the page's scripts: keeps every media element the page plays,
 * and every media session action handler it sets, where the test can reach them.
 */
const CAPTURE_SCRIPT = `(() => {
  window.__media = { elements: [], handlers: {} };
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (...args) {
    if (!window.__media.elements.includes(this)) window.__media.elements.push(this);
    return play.apply(this, args);
  };
  if ("mediaSession" in navigator) {
    const set = MediaSession.prototype.setActionHandler;
    MediaSession.prototype.setActionHandler = function (action, handler) {
      window.__media.handlers[action] = handler;
      return set.call(this, action, handler);
    };
  }
})();`;

type Captured = { elements: HTMLMediaElement[]; handlers: Record<string, (details: object) => void> };

let site: Site;
const profiles: string[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  site = await buildAndServe();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

afterAll(async () => {
  await site?.close();
  for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
});

/** A browser with a profile of its own on disk (as an installed app has), the tap and the capture installed. */
async function persistent(): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), "reverie-profile-"));
  profiles.push(profile);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 360, height: 740 },
  });
  contexts.push(context);
  await installTap(context);
  await context.addInitScript(CAPTURE_SCRIPT);
  return context;
}

/** Opens the page and waits until its service worker is active and controls it (a reload after the first visit). */
async function visit(context: BrowserContext, url = site.url): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  await page.waitForSelector("#caption:not(:empty)");
  return page;
}

async function play(page: Page): Promise<void> {
  await page.click("#play");
  await waitForLevel(page, (db) => db > SOUND, 15, "the soundscape to be heard");
}

/** Mean brightness of what the page shows, 0–255, from a screenshot decoded by the page itself. */
async function brightness(page: Page): Promise<number> {
  const shot = (await page.screenshot()).toString("base64");
  return page.evaluate(async (data) => {
    const image = await createImageBitmap(await (await fetch(`data:image/png;base64,${data}`)).blob());
    const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext("2d") as OffscreenCanvasRenderingContext2D;
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, image.width, image.height).data;
    let sum = 0;
    for (let i = 0; i < pixels.length; i += 4) sum += (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3;
    return sum / (pixels.length / 4);
  }, shot);
}

function media(page: Page): Promise<{ title?: string; artist?: string; album?: string; artwork: MediaImage[]; state: string }> {
  return page.evaluate(() => {
    const { metadata, playbackState } = navigator.mediaSession;
    return {
      title: metadata?.title,
      artist: metadata?.artist,
      album: metadata?.album,
      artwork: [...(metadata?.artwork ?? [])],
      state: playbackState,
    };
  });
}

function invoke(page: Page, action: string, details: object = {}): Promise<void> {
  return page.evaluate(
    ([name, more]) => (window as unknown as { __media: Captured }).__media.handlers[name as string]({ action: name, ...(more as object) }),
    [action, details] as const,
  );
}

describe("the player as an app", () => {
  it("is installable: a manifest with its icons and a service worker, and Chromium's own check finds nothing missing", async () => {
    const context = await persistent();
    const page = await visit(context);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: unknown[] };
    expect(installabilityErrors).toEqual([]);

    const manifest = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
      return link ? await (await fetch(link.href)).json() : null;
    });
    expect(manifest).toMatchObject({
      name: "Reverie",
      short_name: "Reverie",
      display: "standalone",
      theme_color: "#07060d",
      background_color: "#07060d",
    });
    const icons = manifest.icons as { src: string; sizes: string; purpose: string }[];
    expect(icons.map((icon) => `${icon.sizes} ${icon.purpose}`).sort()).toEqual(["192x192 any", "512x512 any", "512x512 maskable"]);
    for (const icon of icons) {
      const size = await page.evaluate(async (src) => {
        const image = await createImageBitmap(await (await fetch(src)).blob());
        return `${image.width}x${image.height}`;
      }, new URL(icon.src, site.url).href);
      expect(size).toBe(icon.sizes);
    }
    expect(await page.getAttribute('link[rel="apple-touch-icon"]', "href")).toBeTruthy();
  });

  it("opens, plays and downloads with the network gone, once visited, and never shows a white page", async () => {
    const offline = await buildAndServe();
    try {
      const context = await persistent();
      await visit(context, `${offline.url}?customLength=5s`);
      await context.setOffline(true);
      // Gone altogether: nothing can come from the server any more.
      await offline.close();
      const page = context.pages()[0];
      await page.reload();
      await page.waitForSelector("#caption:not(:empty)");
      expect(page.url()).toContain(offline.url);
      expect(await page.textContent("#caption")).toBe(DREAM.beats[0].caption);
      expect(await brightness(page)).toBeLessThan(40);

      await play(page);
      expect(await contextStates(page)).toEqual(["running"]);

      await page.locator("summary", { hasText: "Download" }).click();
      const [download] = await Promise.all([page.waitForEvent("download", { timeout: 90_000 }), page.click("#download")]);
      expect(await download.failure()).toBeNull();

      // Another address of the page, never visited, opens from the cache too.
      await page.goto(`${offline.url}?preset=ocean-shore`);
      await page.waitForSelector("#caption:not(:empty)");
      expect(await brightness(page)).toBeLessThan(40);
    } finally {
      await offline.close().catch(() => undefined);
    }
  });

  it("takes a new version on the next start, not in the middle of a night's playing", async () => {
    const context = await persistent();
    const page = await visit(context);
    await play(page);
    await page.evaluate(() => {
      (window as unknown as { __night: boolean }).__night = true;
    });
    // A new version: any byte of the service worker changed.
    appendFileSync(join(site.outDir, "sw.js"), "\n// a new version\n");
    const waiting = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      await registration.update();
      const worker = registration.installing ?? registration.waiting;
      if (worker && worker.state !== "installed") {
        await new Promise<void>((resolve) => worker.addEventListener("statechange", () => worker.state === "installed" && resolve()));
      }
      return registration.waiting !== null;
    });
    expect(waiting).toBe(true);
    await page.waitForTimeout(2000);
    // The same page, still playing.
    expect(await page.evaluate(() => (window as unknown as { __night?: boolean }).__night)).toBe(true);
    expect(await level(page)).toBeGreaterThan(SOUND);

    // The next start: every page of the old version closed, then the app opened again. The old
    // page unloads a moment after it closes, and a start in that moment is still the old
    // version's: the app is opened again (a page of its own each time) until the new one has taken over.
    const blank = await context.newPage();
    await page.close();
    let after: { waiting: boolean; active?: string } = { waiting: true };
    for (let start = 0; start < 10 && after.waiting; start++) {
      const next = await context.newPage();
      await next.goto(site.url);
      await next.waitForSelector("#caption:not(:empty)");
      after = await next.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        return { waiting: registration.waiting !== null, active: registration.active?.state };
      });
      await next.close();
      if (after.waiting) await blank.waitForTimeout(1000);
    }
    expect(after).toEqual({ waiting: false, active: "activated" });
  });
});

describe("on the lock screen", () => {
  it("plays as media: a media element loops silence beside the sound, stops with it, and a pause by the system stops the sound", async () => {
    const context = await persistent();
    const page = await visit(context);
    await play(page);
    const element = await page.evaluate(async () => {
      const [audio] = (window as unknown as { __media: Captured }).__media.elements;
      const before = audio.currentTime;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // What the element plays, decoded: it must be silence (the sound is the context's).
      const decoded = await new OfflineAudioContext(1, 1, 8000).decodeAudioData(await (await fetch(audio.currentSrc)).arrayBuffer());
      let peak = 0;
      for (const x of decoded.getChannelData(0)) peak = Math.max(peak, Math.abs(x));
      return {
        count: (window as unknown as { __media: Captured }).__media.elements.length,
        paused: audio.paused,
        loop: audio.loop,
        duration: audio.duration,
        advanced: audio.currentTime - before,
        peak,
      };
    });
    expect(element).toMatchObject({ count: 1, paused: false, loop: true, peak: 0 });
    // Android gives media under 5 s only a transient focus, and no notification.
    expect(element.duration).toBeGreaterThan(5);
    expect(element.advanced).toBeGreaterThan(1);

    await page.click("#play");
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __media: Captured }).__media.elements[0].paused), { timeout: 10_000 })
      .toBe(true);
    await expect.poll(() => contextStates(page), { timeout: 10_000 }).toEqual(["suspended"]);

    // Played again, then paused by the system (another app's audio, headphones out): the sound stops too.
    await play(page);
    await page.evaluate(() => (window as unknown as { __media: Captured }).__media.elements[0].pause());
    await expect.poll(() => contextStates(page), { timeout: 10_000 }).toEqual(["suspended"]);
    await expect.poll(() => page.textContent("#status"), { timeout: 10_000 }).toMatch(/Paused by the system/);
  });

  it("shows the preset, the scene and a 512 px picture in the scene's colours, and obeys play, pause, stop, next, previous and seek", async () => {
    const context = await persistent();
    const page = await visit(context);
    await play(page);
    await expect.poll(async () => (await media(page)).artwork.length, { timeout: 10_000 }).toBe(1);
    const shown = await media(page);
    expect(shown).toMatchObject({ title: DREAM.title, artist: beatLabel(DREAM.beats[0].id), album: "Reverie", state: "playing" });
    expect(shown.artwork[0]).toMatchObject({ sizes: "512x512", type: "image/png" });
    const picture = await page.evaluate(async (src) => {
      const image = await createImageBitmap(await (await fetch(src)).blob());
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext("2d") as OffscreenCanvasRenderingContext2D;
      context.drawImage(image, 0, 0);
      return { width: image.width, height: image.height, pixels: [...context.getImageData(0, 0, image.width, image.height).data] };
    }, shown.artwork[0].src);
    expect([picture.width, picture.height]).toEqual([512, 512]);
    // Exactly the sky painted in the first scene's colours (a PNG is lossless).
    const expected = paintArtwork(512, DREAM.beats[0].colors);
    for (const [x, y] of [
      [128, 51],
      [435, 486],
      [282, 230],
      [20, 500],
    ]) {
      const at = 4 * (y * 512 + x);
      expect(picture.pixels.slice(at, at + 3)).toEqual([...expected.slice(at, at + 3)]);
    }

    const caption = () => page.textContent("#caption");
    await invoke(page, "nexttrack");
    await expect.poll(caption, { timeout: 10_000 }).toBe(DREAM.beats[1].caption);
    await expect.poll(async () => (await media(page)).artist).toBe(beatLabel(DREAM.beats[1].id));
    await expect.poll(async () => (await media(page)).artwork[0]?.src, { timeout: 10_000 }).not.toBe(shown.artwork[0].src);

    await invoke(page, "seekto", { seekTime: PLAN.beats[4].start + 20 });
    await expect.poll(caption, { timeout: 10_000 }).toBe(DREAM.beats[4].caption);
    await invoke(page, "previoustrack");
    await expect.poll(caption, { timeout: 10_000 }).toBe(DREAM.beats[3].caption);
    await waitForLevel(page, (db) => db > SOUND, 15, "the sound after the seeks");
    // The seek's fade in, under way.
    await page.waitForTimeout(2000);

    await invoke(page, "pause");
    await expect.poll(async () => (await media(page)).state).toBe("paused");
    await waitForLevel(page, (db) => db < SILENCE, 15, "the pause to reach silence");
    await invoke(page, "play");
    await waitForLevel(page, (db) => db > SOUND, 15, "play from the lock screen");
    expect((await media(page)).state).toBe("playing");
    await invoke(page, "stop");
    await expect.poll(async () => (await media(page)).state).toBe("paused");
    await expect.poll(() => contextStates(page), { timeout: 10_000 }).toEqual(["suspended"]);
  });
});
