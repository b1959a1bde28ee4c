/**
 * The page: index.html's elements bound to the app. Gestures become calls on
 * the app; `render()` shows the app's state, touching the DOM only where
 * something changed. Text that comes from a preset or a link (titles,
 * captions, names, messages) is only ever set as textContent.
 */
import { formatDuration } from "../core/duration.ts";
import { PresetError } from "../score/preset.ts";
import type { Plan } from "../score/timeline.ts";
import type { App } from "./app.ts";
import { commandLine, DOWNLOAD_FORMAT, downloadBytes, MAX_DOWNLOAD_SECONDS } from "./download.ts";
import { STORY_MINUTES } from "./link.ts";
import { connectMediaSession } from "./media-session.ts";
import { voiceLabel } from "./mixer.ts";
import { parseTimer, TIMER_MINUTES } from "./sleep-timer.ts";
import { beatLabel, clock, spoken } from "./format.ts";
import { createVisual } from "./visual.ts";

/** Seconds without a touch or a key, while playing, before the controls dim. */
const REST_AFTER = 30;

export function bindUi(app: App): void {
  const $ = <T extends HTMLElement>(id: string): T => {
    const element = document.getElementById(id);
    if (!element) throw new Error(`index.html has no #${id}`);
    return element as T;
  };
  const el = {
    title: $("title"),
    notice: $("notice"),
    noticeText: $("notice-text"),
    noticeClose: $<HTMLButtonElement>("notice-close"),
    scene: $("scene"),
    caption: $("caption"),
    beats: $<HTMLOListElement>("beats"),
    elapsed: $("elapsed"),
    total: $("total"),
    play: $<HTMLButtonElement>("play"),
    status: $("status"),
    volume: $<HTMLInputElement>("volume"),
    volumeValue: $<HTMLOutputElement>("volume-value"),
    timerLeft: $("timer-left"),
    lengths: $("lengths"),
    drift: $<HTMLInputElement>("drift"),
    timers: $("timers"),
    customTimer: $<HTMLFormElement>("custom-timer"),
    customTimerInput: $<HTMLInputElement>("custom-timer-input"),
    customTimerError: $("custom-timer-error"),
    timerNote: $("timer-note"),
    mixer: $("mixer"),
    preset: $<HTMLSelectElement>("preset"),
    seed: $<HTMLOutputElement>("seed"),
    variation: $<HTMLButtonElement>("variation"),
    copyLink: $<HTMLButtonElement>("copy-link"),
    shareNote: $("share-note"),
    downloadAbout: $("download-about"),
    download: $<HTMLButtonElement>("download"),
    downloadCancel: $<HTMLButtonElement>("download-cancel"),
    downloadProgress: $("download-progress"),
    downloadBar: $<HTMLProgressElement>("download-bar"),
    downloadPercent: $("download-percent"),
    downloadError: $("download-error"),
    downloadCommand: $("download-command"),
    presetFile: $<HTMLInputElement>("preset-file"),
    presetError: $("preset-error"),
    presetOk: $("preset-ok"),
  };

  const visual = createVisual($("sky"));
  const media = connectMediaSession({
    play: () => app.player.play(),
    pause: () => app.player.pause(),
    previousScene: () => app.stepScene(-1),
    nextScene: () => app.stepScene(1),
  });

  // ---- Transport and story
  el.play.addEventListener("click", () => app.togglePlay());
  el.volume.addEventListener("input", () => app.setVolume(el.volume.valueAsNumber));
  el.noticeClose.addEventListener("click", () => app.dismissNotice());

  let beatsFor: Plan | null = null;
  let beatButtons: HTMLButtonElement[] = [];
  const buildBeats = (plan: Plan): void => {
    beatsFor = plan;
    const story = plan.story;
    beatButtons = plan.beats.map((planned) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "beat";
      button.setAttribute("aria-label", `Scene ${planned.index + 1} of ${plan.beats.length}: ${beatLabel(planned.beat.id)}`);
      button.title = beatLabel(planned.beat.id);
      const fill = document.createElement("span");
      fill.className = "beat-fill";
      button.append(fill);
      button.addEventListener("click", () => app.seekBeat(planned.index));
      return button;
    });
    el.beats.replaceChildren(
      ...beatButtons.map((button, i) => {
        const item = document.createElement("li");
        const planned = plan.beats[i];
        item.style.flexGrow = String((planned.end - planned.start) / story);
        item.append(button);
        return item;
      }),
    );
  };

  // ---- Length
  const lengthInputs = new Map<number, HTMLInputElement>();
  const customLength = chip(el.lengths, "story", "", "custom");
  for (const minutes of STORY_MINUTES) {
    const input = chip(el.lengths, "story", `${minutes} min`, String(minutes * 60));
    lengthInputs.set(minutes * 60, input);
    input.addEventListener("change", () => input.checked && app.setStory(minutes * 60));
  }
  el.drift.addEventListener("change", () => app.setDrift(el.drift.checked));

  // ---- Sleep timer
  let timerChoice: number | "custom" | null = null;
  const timerInputs = new Map<number | null, HTMLInputElement>();
  const offInput = chip(el.timers, "timer", "Off", "off");
  timerInputs.set(null, offInput);
  offInput.addEventListener("change", () => {
    timerChoice = null;
    app.setTimer(null);
  });
  for (const minutes of TIMER_MINUTES) {
    const input = chip(el.timers, "timer", `${minutes} min`, String(minutes));
    timerInputs.set(minutes, input);
    input.addEventListener("change", () => {
      timerChoice = minutes;
      app.setTimer(minutes * 60);
    });
  }
  el.customTimer.addEventListener("submit", (event) => {
    event.preventDefault();
    try {
      const seconds = parseTimer(el.customTimerInput.value, app.shortestTimer);
      timerChoice = "custom";
      el.customTimerError.hidden = true;
      app.setTimer(seconds);
    } catch (error) {
      el.customTimerError.textContent = `Not set: ${(error as Error).message}.`;
      el.customTimerError.hidden = false;
    }
  });
  el.timerNote.textContent = `The sound fades out over the last ${spoken(app.timer.fade)}, then stops. The timer counts only while playing.`;

  // ---- Mixer
  let mixerFor = "";
  const mixerInputs = new Map<string, { input: HTMLInputElement; value: HTMLOutputElement }>();
  const buildMixer = (): void => {
    mixerFor = app.state.presetId;
    mixerInputs.clear();
    const rows = app.preset.voices.map((voice) => {
      const row = document.createElement("label");
      row.className = "slider";
      const name = document.createElement("span");
      name.className = "slider-label";
      name.textContent = voiceLabel(voice.name);
      const input = document.createElement("input");
      input.type = "range";
      input.min = "0";
      input.max = "100";
      input.step = "1";
      input.dataset.voice = voice.name;
      input.setAttribute("aria-label", `${voiceLabel(voice.name)} volume`);
      const value = document.createElement("output");
      value.className = "muted";
      input.addEventListener("input", () => app.setVoiceVolume(voice.name, input.valueAsNumber));
      row.append(name, input, value);
      mixerInputs.set(voice.name, { input, value });
      return row;
    });
    el.mixer.replaceChildren(...rows);
  };

  // ---- Variation and sharing
  el.preset.addEventListener("change", () => app.setPreset(el.preset.value));
  el.variation.addEventListener("click", () => app.newVariation());
  const shareDefault = el.shareNote.textContent ?? "";
  let shareMessage: string | null = null;
  el.copyLink.addEventListener("click", async () => {
    const link = app.link;
    try {
      await navigator.clipboard.writeText(link);
      shareMessage = "Link copied. Whoever opens it hears the same soundscape.";
    } catch {
      // No clipboard (an insecure origin, a refusal): the link itself, to copy by hand.
      shareMessage = `Copy this link: ${link}`;
    }
    render();
  });

  // ---- Download
  el.download.addEventListener("click", () => {
    el.downloadError.hidden = true;
    app.startDownload().catch((error: unknown) => {
      if (error instanceof DOMException && error.name === "AbortError") return;
      el.downloadError.textContent = `The download failed: ${error instanceof Error ? error.message : String(error)}`;
      el.downloadError.hidden = false;
    });
  });
  el.downloadCancel.addEventListener("click", () => app.cancelDownload());

  // ---- Your own preset
  el.presetFile.addEventListener("change", async () => {
    const file = el.presetFile.files?.[0];
    el.presetFile.value = "";
    if (!file) return;
    try {
      const preset = await app.openPresetFile(file);
      el.presetError.hidden = true;
      el.presetError.replaceChildren();
      el.presetOk.textContent = `Opened ${file.name}: "${preset.title}", ${preset.beats.length} scenes, ${preset.voices.length} voices.`;
    } catch (error) {
      el.presetOk.textContent = "";
      const lines =
        error instanceof PresetError
          ? error.problems.map((p) => `${error.source}: ${p.path === "(root)" ? "" : `${p.path}: `}${p.message}`)
          : [`${file.name}: ${error instanceof Error ? error.message : String(error)}`];
      const intro = document.createElement("p");
      intro.textContent = "This preset was not opened; the player carries on with what it had.";
      el.presetError.replaceChildren(
        intro,
        ...lines.map((line) => {
          const p = document.createElement("p");
          p.className = "problem";
          p.textContent = line;
          return p;
        }),
      );
      el.presetError.hidden = false;
    }
  });

  // ---- Keyboard, gestures, visibility
  document.addEventListener("keydown", (event) => {
    if (event.key !== " " || event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
    if (ownsSpace(event.target)) return;
    event.preventDefault();
    app.togglePlay();
  });
  // After a system interruption, the next gesture anywhere brings the sound back
  // (the play button does so by itself; iOS only allows a resume inside a gesture).
  const resumeOnGesture = (event: Event): void => {
    if (app.player.state !== "interrupted") return;
    if (event.target instanceof Node && el.play.contains(event.target)) return;
    if (event instanceof KeyboardEvent && event.key === " ") return;
    app.player.play();
  };
  for (const type of ["click", "touchend", "keydown"]) document.addEventListener(type, resumeOnGesture, { capture: true });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") app.player.retry();
  });

  // Lying in the dark: while playing and untouched, the controls dim to almost nothing.
  let restTimer: ReturnType<typeof setTimeout> | undefined;
  const wake = (): void => {
    document.body.classList.remove("is-resting");
    clearTimeout(restTimer);
    restTimer = setTimeout(() => {
      if (app.player.state === "playing") document.body.classList.add("is-resting");
    }, REST_AFTER * 1000);
  };
  for (const type of ["pointerdown", "pointermove", "keydown", "focusin", "wheel"])
    document.addEventListener(type, wake, { passive: true });
  wake();

  // ---- Showing the state
  const render = (): void => {
    const { state, player, plan, preset } = app;
    const beat = app.beat;
    const playing = player.state === "playing";

    setText(el.title, preset.title);
    document.title = `${preset.title} · Reverie`;
    el.notice.hidden = app.notice === null;
    setText(el.noticeText, app.notice ?? "");

    setText(el.scene, `Scene ${beat.index + 1} of ${plan.beats.length} · ${beatLabel(beat.beat.id)}`);
    setText(el.caption, beat.beat.caption);
    visual.show(beat.beat.colors);
    visual.setPlaying(playing);

    if (beatsFor !== plan) buildBeats(plan);
    const position = player.position;
    beatButtons.forEach((button, i) => {
      const planned = plan.beats[i];
      const fill = Math.min(1, Math.max(0, (position - planned.start) / (planned.end - planned.start)));
      button.style.setProperty("--fill", fill.toFixed(3));
      if (i === beat.index) button.setAttribute("aria-current", "step");
      else button.removeAttribute("aria-current");
    });
    setText(el.elapsed, clock(position));
    setText(el.total, position > plan.story ? " · drifting on" : ` / ${clock(plan.story)}`);

    el.play.dataset.playing = String(playing);
    el.play.setAttribute("aria-label", playing ? "Pause" : "Play");
    setText(el.status, statusText(player.state, position));
    if (document.activeElement !== el.volume) el.volume.value = String(state.volume);
    setText(el.volumeValue, String(state.volume));

    const remaining = app.timer.remaining();
    if (remaining === null && timerChoice !== null) timerChoice = null;
    el.timerLeft.hidden = remaining === null;
    setText(el.timerLeft, remaining === null ? "" : `Sleep timer: ${clock(remaining)} left`);
    for (const [minutes, input] of timerInputs) input.checked = minutes === timerChoice;

    const listed = lengthInputs.get(state.story);
    for (const input of lengthInputs.values()) input.checked = input === listed;
    const customChip = customLength.parentElement as HTMLElement;
    customChip.hidden = listed !== undefined;
    customLength.checked = listed === undefined;
    setText(customChip.querySelector("span") as HTMLElement, `${formatDuration(state.story)} (from the link)`);
    el.drift.checked = state.drift;

    if (mixerFor !== state.presetId) buildMixer();
    for (const [voice, { input, value }] of mixerInputs) {
      const volume = app.voiceVolume(voice);
      if (document.activeElement !== input) input.value = String(volume);
      setText(value, String(volume));
    }

    const ids = [...app.presets.keys()];
    if (el.preset.options.length !== ids.length) {
      el.preset.replaceChildren(
        ...ids.map((id) => {
          const option = document.createElement("option");
          option.value = id;
          const p = app.presets.get(id);
          option.textContent = app.ownPresets.has(id) ? `${p?.title} (your file)` : (p?.title ?? id);
          return option;
        }),
      );
    }
    el.preset.value = state.presetId;
    setText(el.seed, state.seed);
    setText(
      el.shareNote,
      app.ownPresets.has(state.presetId)
        ? "A link carries only the built-in soundscapes: send your preset file along with it."
        : (shareMessage ?? shareDefault),
    );

    const story = spoken(state.story);
    const megabytes = Math.round(downloadBytes(state.story) / 1e6);
    setText(
      el.downloadAbout,
      app.canDownload
        ? `The story (${story}) as a WAV file (${DOWNLOAD_FORMAT.sampleRate / 1000} kHz, 16-bit stereo, about ${megabytes} MB), rendered here in your browser.` +
            (state.drift ? " The endless drift plays only here." : "")
        : `A browser holds at most ${spoken(MAX_DOWNLOAD_SECONDS)} of audio for a download; render this length from the command line.`,
    );
    el.download.disabled = !app.canDownload || app.download !== null;
    el.downloadCancel.hidden = app.download === null;
    el.downloadProgress.hidden = app.download === null;
    if (app.download) {
      el.downloadBar.value = app.download.fraction;
      setText(el.downloadPercent, `Rendering… ${Math.floor(app.download.fraction * 100)} %`);
    }
    const presetArg = app.ownPresets.has(state.presetId) ? "your-preset.json" : preset.id;
    showCommand(el.downloadCommand, commandLine(presetArg, state.seed, state.story));

    media.update({ title: preset.title, scene: beatLabel(beat.beat.id), playing });
    if (!playing) document.body.classList.remove("is-resting");
  };

  app.subscribe(render);
  render();
}

function statusText(state: App["player"]["state"], position: number): string {
  switch (state) {
    case "playing":
      return position < 1 ? "Starting softly…" : "Playing";
    case "interrupted":
      return "Paused by the system. Touch anywhere to carry on.";
    case "ended":
      return "The story has ended.";
    default:
      return position > 0 ? "Paused" : "Press play, and close your eyes.";
  }
}

/** Adds a radio chip (a label around a radio input) and returns the input. */
function chip(group: HTMLElement, name: string, text: string, value: string): HTMLInputElement {
  const label = document.createElement("label");
  label.className = "chip";
  const input = document.createElement("input");
  input.type = "radio";
  input.name = name;
  input.value = value;
  const span = document.createElement("span");
  span.textContent = text;
  label.append(input, span);
  group.append(label);
  return input;
}

/** Whether the space bar already means something where the key was pressed. */
function ownsSpace(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement) return target.type !== "range";
  return target.closest("button, summary, select, textarea, a[href]") !== null;
}

/** A command line, wrapped between its options rather than inside one (`--seed` never splits at its hyphens). */
function showCommand(element: HTMLElement, command: string): void {
  if (element.textContent === command) return;
  const parts = command.split(/ (?=--)/).map((part) => {
    const span = document.createElement("span");
    span.className = "arg";
    span.textContent = part;
    return span;
  });
  element.replaceChildren(...parts.flatMap((span, i) => (i === 0 ? [span] : [" ", span])));
}

function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}
