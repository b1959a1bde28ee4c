// @module-tag browser
/**
 * The player on a phone at night, in headless Chromium at phone sizes: the
 * keyboard and screen readers (axe-core finds no violation), links with a bad
 * part, the soundscape cards, what is remembered across visits, and the
 * downloads in each format.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hashString, mix, Random } from "../../src/core/random.ts";
import { parseWavHeader } from "../../src/pipeline/wav.ts";
import { parsePreset } from "../../src/score/preset.ts";
import { planStory } from "../../src/score/timeline.ts";
import { beatLabel } from "../../src/web/format.ts";
import {
  buildAndServe,
  contextStates,
  launchChromium,
  openPage,
  type PageOptions,
  ROOT,
  type Site,
  waitForLevel,
} from "../helpers/browser.ts";

const DREAM = parsePreset(readFileSync(join(ROOT, "presets/dream.json"), "utf8"), "presets/dream.json");
const PHONE = { width: 360, height: 740 };
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
/** Above this, the page is audibly playing. */
const SOUND = -70;

let site: Site;
let browser: Browser;
const opened: BrowserContext[] = [];

beforeAll(async () => {
  const [served, launched] = await Promise.allSettled([buildAndServe(), launchChromium()]);
  if (served.status === "fulfilled") site = served.value;
  if (launched.status === "fulfilled") browser = launched.value;
  if (launched.status === "rejected") throw launched.reason;
  if (served.status === "rejected") throw served.reason;
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((context) => context.close()));
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function open(query = "", options: PageOptions = {}): Promise<Page> {
  const { page, context } = await openPage(browser, `${site.url}${query}`, { viewport: PHONE, ...options });
  opened.push(context);
  return page;
}

/** Whether the player wants sound (its button offers to pause). */
async function playing(page: Page): Promise<boolean> {
  return (await page.getAttribute("#play", "aria-label")) === "Pause";
}

/** axe-core's violations on the page as it is, each as its rule and the elements it names. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  return violations;
}

describe("the player on a phone", () => {
  it("keeps Space for playing and pausing after a pointer has clicked any control", async () => {
    const page = await open();
    await page.click("#play");
    await waitForLevel(page, (db) => db > SOUND, 10, "the soundscape to be heard");
    await page.locator("summary", { hasText: "Variation and sharing" }).click();
    await page.click("#variation");
    const seed = await page.textContent("#seed");

    await page.keyboard.press("Space");
    await expect.poll(() => playing(page)).toBe(false);
    expect(await page.textContent("#seed")).toBe(seed);

    const scene = page.getByRole("button", { name: `Scene 3 of ${DREAM.beats.length}: ${beatLabel(DREAM.beats[2].id)}`, exact: true });
    await scene.click();
    await page.keyboard.press("Space");
    await expect.poll(() => playing(page)).toBe(true);
    await page.keyboard.press("Space");
    await expect.poll(() => playing(page)).toBe(false);
    expect(await page.locator("details[open] summary", { hasText: "Variation and sharing" }).count()).toBe(1);
  });

  it("lets a keyboard user reach Play first and press any control with Space or Enter", async () => {
    const page = await open();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to Play");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("play");
    await page.keyboard.press("Space");
    await expect.poll(() => playing(page)).toBe(true);
    expect(await contextStates(page)).toContain("running");

    // Tabbing on to a panel's heading: Space opens it, and Enter on the button inside presses it.
    const summary = page.locator("summary", { hasText: "Variation and sharing" });
    await summary.focus();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Space");
    expect(await page.locator("details[open] summary", { hasText: "Variation and sharing" }).count()).toBe(1);
    expect(await playing(page)).toBe(true);
    const seed = await page.textContent("#seed");
    await page.locator("#variation").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.textContent("#seed")).not.toBe(seed);
    const next = await page.textContent("#seed");
    await page.keyboard.press("Space");
    await expect.poll(() => page.textContent("#seed")).not.toBe(next);
    expect(await playing(page)).toBe(true);
  });

  it("announces a new scene's caption politely", async () => {
    const page = await open();
    expect(await page.textContent("#scene-news")).toBe("");
    expect(await page.getAttribute("#scene-news", "aria-live")).toBe("polite");
    await page.getByRole("button", { name: `Scene 4 of ${DREAM.beats.length}: ${beatLabel(DREAM.beats[3].id)}`, exact: true }).click();
    await expect.poll(() => page.textContent("#scene-news")).toBe(`${beatLabel(DREAM.beats[3].id)}. ${DREAM.beats[3].caption}`);
  });

  it("changes nothing on the page each second of playing but the clock and the scene's fill: no write that changes nothing", async () => {
    const page = await open();
    await page.click("#play");
    await waitForLevel(page, (db) => db > SOUND, 15, "the soundscape to be heard");
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "Playing");
    // Once the sky has faded in after loading (a change of its own, in steps).
    await page.waitForFunction(
      () => (document.querySelector(".sky-layer.is-shown") as HTMLElement | null)?.style.opacity === "1",
      undefined,
      {
        timeout: 15_000,
      },
    );
    const changed = await page.evaluate(async () => {
      const seen = new Set<string>();
      const name = (node: Node | null): string => {
        const element = node instanceof Element ? node : (node?.parentElement ?? null);
        return element
          ? `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}${element.className ? `.${element.className}` : ""}`
          : "?";
      };
      const observer = new MutationObserver((records) => {
        for (const record of records)
          seen.add(`${name(record.target)} ${record.type}${record.attributeName ? ` ${record.attributeName}` : ""}`);
      });
      observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      // Four ticks of the player.
      await new Promise((resolve) => setTimeout(resolve, 4500));
      observer.disconnect();
      return [...seen].sort();
    });
    expect(changed).toEqual(["button.beat attributes style", "span#elapsed childList"]);
  });

  it("passes axe-core with no violation, every panel open", async () => {
    const page = await open();
    for (const summary of await page.locator("summary").all()) await summary.click();
    await page.waitForTimeout(500);
    expect(await axeViolations(page)).toEqual([]);
  });

  it("gives every scene a target of at least 44 px at 360 px wide", async () => {
    const page = await open();
    const boxes = await page.locator(".beat").evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().toJSON()));
    expect(boxes).toHaveLength(DREAM.beats.length);
    for (const box of boxes) {
      expect(box.width).toBeGreaterThanOrEqual(44);
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.right).toBeLessThanOrEqual(PHONE.width);
    }
  });

  it("clips no text at 200 % on a 320 px screen", async () => {
    const page = await open("", { viewport: { width: 320, height: 640 } });
    await page.addStyleTag({ content: ":root { font-size: 34px !important; }" });
    for (const summary of await page.locator("summary").all()) await summary.click();
    await page.waitForTimeout(500);
    const clipped = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const scrolls = (el: Element): boolean => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
      /** Inside a row that scrolls sideways (the cards), past the screen's edge is a swipe away, not cut. */
      const scrolled = (el: Element): boolean => {
        for (let up = el.parentElement; up; up = up.parentElement) if (scrolls(up)) return true;
        return false;
      };
      const cut = [...document.querySelectorAll<HTMLElement>("body *")]
        // Seen elements only: not the file input under its button, nor the sky's glows, which run past the screen by design.
        .filter((el) => el.offsetParent !== null && el.clientWidth > 1 && el.closest(".visually-hidden, .skip, #sky") === null)
        .filter((el) => {
          const past = el.getBoundingClientRect().right > width + 1 && !scrolled(el);
          const hides = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible" && !scrolls(el);
          return past || hides;
        })
        .map((el) => el.id || el.className || el.tagName);
      return { overflow: document.documentElement.scrollWidth - width, cut };
    });
    expect(clipped).toEqual({ overflow: 0, cut: [] });
  });

  it("keeps a link's good settings beside a bad one, says what it left out, and leaves Play on the first screen", async () => {
    const page = await open("?seed=%3Cb%3E&volume=40&mix.leaves=loud&mix.owl=3");
    const notice = await page.textContent("#notice-text");
    expect(notice).toContain("the variation");
    expect(notice).toContain("the volume of Leaves");
    expect(notice).toContain("a voice this soundscape does not have");
    expect(notice).not.toMatch(/[\^$[\]{}]/);
    expect(await page.inputValue("#volume")).toBe("40");
    const play = await page.locator("#play").boundingBox();
    expect(play && play.y + play.height).toBeLessThanOrEqual(PHONE.height);
  });

  it("shows the soundscapes as cards on the first screen, in plain words, and plays the one chosen", async () => {
    const page = await open();
    const cards = page.locator("#cards .card");
    expect(await cards.count()).toBe(4);
    const dream = page.getByRole("button", { name: /^The Dream/ });
    expect(await dream.getAttribute("aria-pressed")).toBe("true");
    expect(await dream.textContent()).toBe("The DreamTwilight by a distant waterfall");
    const first = await cards.first().boundingBox();
    expect(first?.y).toBeLessThan(PHONE.height - 40);
    expect(await page.locator("select").count()).toBe(0);

    const main = await page.evaluate(() => {
      // biome-ignore lint/performance/useDomNodeTextContent: the text as shown, without what is hidden
      const seen = [...document.querySelectorAll<HTMLElement>(".listen, .footer")].map((el) => el.innerText).join(" ");
      return seen.toLowerCase();
    });
    for (const word of ["seed", "pad", "motif", "npx"]) expect(main).not.toMatch(new RegExp(`\\b${word}\\b`));

    // Voices by the names the preset gives listeners.
    expect(await page.locator("#mixer .slider-label").allTextContents()).toEqual(DREAM.voices.map((v) => v.label));
    expect(DREAM.voices.map((v) => v.label)).toEqual(expect.arrayContaining(["Harmony", "Melody", "Night air"]));

    await page.getByRole("button", { name: /^The Night Shore/ }).click();
    expect(await page.textContent("#title")).toBe("The Night Shore");
    await expect.poll(() => new URL(page.url()).searchParams.get("preset")).toBe("ocean-shore");
    await page.keyboard.press("Space");
    await waitForLevel(page, (db) => db > SOUND, 10, "the chosen soundscape to be heard");
  });

  it("remembers the soundscape, volume, mixer and timer across visits, and named mixes", async () => {
    const page = await open();
    await page.getByRole("button", { name: /^The Night Shore/ }).click();
    await page.locator("#volume").fill("35");
    await page.locator("summary", { hasText: "Mixer" }).click();
    const slider = page.locator("#mixer input").first();
    const voice = await slider.getAttribute("data-voice");
    await slider.fill("20");
    await page.fill("#mix-name", "Low sea");
    await page.click("#save-mix button[type=submit]");
    await slider.fill("80");
    await page.locator("summary", { hasText: "Sleep timer" }).click();
    await page.locator('label.chip:has(input[name="timer"][value="45"])').click();
    await page.waitForTimeout(600);

    // A new visit, from the bare address.
    await page.goto(site.url);
    await page.waitForSelector("#caption:not(:empty)");
    expect(await page.textContent("#title")).toBe("The Night Shore");
    expect(await page.inputValue("#volume")).toBe("35");
    expect(await page.inputValue(`#mixer input[data-voice="${voice}"]`)).toBe("80");
    expect(await page.isChecked('input[name="timer"][value="45"]')).toBe(true);
    await page.locator("summary", { hasText: "Mixer" }).click();
    await page.getByRole("button", { name: "Use the mix Low sea" }).click();
    expect(await page.inputValue(`#mixer input[data-voice="${voice}"]`)).toBe("20");
  });

  it("keeps the listener's own preset across a reload, listed with the built-in ones", async () => {
    const page = await open();
    const raw = JSON.parse(readFileSync(join(ROOT, "presets/dream.json"), "utf8"));
    raw.id = "garden";
    raw.title = "Night Garden";
    await page.locator("summary", { hasText: "Your own preset" }).click();
    await page.setInputFiles("#preset-file", {
      name: "garden.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(raw)),
    });
    await expect.poll(() => page.textContent("#title")).toBe("Night Garden");
    await page.waitForTimeout(600);

    await page.reload();
    await page.waitForSelector("#caption:not(:empty)");
    await expect.poll(() => page.textContent("#title")).toBe("Night Garden");
    expect(await page.textContent("#notice-text")).toBe("");
    expect(await page.locator("#cards .card").count()).toBe(5);
    expect(await page.getByRole("button", { name: /^Night Garden/ }).getAttribute("aria-pressed")).toBe("true");

    await page.goto(site.url);
    await page.waitForSelector("#caption:not(:empty)");
    await expect.poll(() => page.textContent("#title")).toBe("Night Garden");
  });

  for (const format of ["wav", "ogg", "mp3"] as const) {
    it(`downloads as ${format}, named after the soundscape, the variation and the length`, async () => {
      const page = await open("?customLength=20s&seed=7");
      await page.locator("summary", { hasText: "Download" }).click();
      await page.locator(`label.chip:has(input[name="format"][value="${format}"])`).click();
      expect(await page.textContent("#download")).toBe(`Download ${{ wav: "WAV", ogg: "Ogg", mp3: "MP3" }[format]}`);
      const [download] = await Promise.all([page.waitForEvent("download", { timeout: 120_000 }), page.click("#download")]);
      expect(download.suggestedFilename()).toBe(`dream-7-20s.${format}`);
      const bytes = new Uint8Array(readFileSync(await download.path()));
      const frames = 20 * 48000;
      if (format === "wav") {
        expect(parseWavHeader(bytes, "download")).toMatchObject({ sampleRate: 48000, channels: 2, format: "pcm16", frames });
      } else if (format === "ogg") {
        const view = new DataView(bytes.buffer, bytes.byteOffset);
        expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe("OggS");
        // The command line's serial for this seed, on every page; the last page's granule is the exact length.
        const serial = mix(planStory(DREAM, Random.fromSeed("7"), { story: 20, total: 20 }).random.key, hashString("ogg")) >>> 0;
        expect(view.getUint32(14, true)).toBe(serial);
        const last = lastIndexOf(bytes, [0x4f, 0x67, 0x67, 0x53]);
        expect(Number(view.getBigUint64(last + 6, true))).toBe(frames);
        expect(bytes.length).toBeLessThan(frames * 4 * 0.15);
      } else {
        // MPEG-1 layer III frames from the first byte (no ID3 tag), at 128 kb/s: about 16 kB a second.
        expect(bytes[0]).toBe(0xff);
        expect(bytes[1] & 0xe0).toBe(0xe0);
        expect(bytes.length).toBeGreaterThan(20 * 15_000);
        expect(bytes.length).toBeLessThan(21 * 17_000);
      }
    });
  }

  // Two phases, timed apart by the progress shown: rendering and metering each 20 s window (up
  // to 95 % for a 2-minute story), then mastering and encoding the windows kept in memory, which
  // held the page for the whole of it (2.5 s for 10 minutes) and now gives way every 40 ms. In the
  // first, the textures and the reverb are drawn a second of story at a time, the page's turn
  // between (engine/offline.ts, PAGE_SCHEDULE_STEP): measured at a load of 5 on two cores, 50–100 ms
  // a pause, and 230 ms for the first, where the code is still being compiled (650 ms when five
  // seconds were drawn at once); the bound allows for a busier machine.
  it("never freezes the page for long while rendering a download, and for under 200 ms while mastering it", async () => {
    const page = await open("?customLength=2m&seed=3");
    await page.evaluate(() => {
      const seen = { tasks: [] as [number, number][], mastering: Number.POSITIVE_INFINITY };
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) seen.tasks.push([entry.startTime, entry.duration]);
      }).observe({ type: "longtask" });
      const percent = document.getElementById("download-percent") as HTMLElement;
      new MutationObserver(() => {
        const done = Number(/\d+/.exec(percent.textContent ?? "")?.[0] ?? 0);
        if (done >= 96) seen.mastering = Math.min(seen.mastering, performance.now());
      }).observe(percent, { childList: true, characterData: true, subtree: true });
    });
    await page.locator("summary", { hasText: "Download" }).click();
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 240_000 }), page.click("#download")]);
    expect(download.suggestedFilename()).toBe("dream-3-2m.wav");
    const { tasks, mastering } = await page.evaluate(
      () => (window as unknown as { __seen: { tasks: [number, number][]; mastering: number } }).__seen,
    );
    expect(Number.isFinite(mastering)).toBe(true);
    const longest = (from: number) => Math.max(0, ...tasks.filter(([start]) => start >= from).map(([, duration]) => duration));
    expect(longest(mastering)).toBeLessThan(200);
    expect(longest(0)).toBeLessThan(400);
  });
});

/** Where the last occurrence of `pattern` starts in `bytes`. */
function lastIndexOf(bytes: Uint8Array, pattern: number[]): number {
  for (let at = bytes.length - pattern.length; at >= 0; at--) if (pattern.every((byte, i) => bytes[at + i] === byte)) return at;
  return -1;
}
