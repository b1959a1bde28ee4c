/**
 * The page's state and what the listener can do with it: the settings a link
 * carries, the presets (built in, opened from a file or composed from a
 * story), the plan they make, and the player, sleep timer and download that
 * act on it. No DOM here beyond the address bar; ui.ts shows it all and
 * turns gestures into calls.
 */
import { type Composition, compose } from "../compose/compose.ts";
import { type Preset, PresetError, MAX_PRESET_BYTES, parsePreset, presetFromValue } from "../score/preset.ts";
import { hashString, Random } from "../core/random.ts";
import { beatAt, planStory, type Plan, type PlannedBeat } from "../score/timeline.ts";
import { formatDuration } from "../core/duration.ts";
import { type DownloadFormat, MAX_DOWNLOAD_SECONDS, renderDownload, saveFile } from "./download.ts";
import { DEFAULT_VOICE_VOLUME, defaultState, type ListenState, readLink, writeLink } from "./link.ts";
import { forgetMix, recall, type Remembered, remember, type SavedMix, saveMix, savedMixes } from "./memory.ts";
import { Player } from "./player.ts";
import { storedPresets, storePreset } from "./preset-store.ts";
import { builtInPresets, DEFAULT_PRESET_ID } from "./presets.ts";
import { SLEEP_FADE, SleepTimer } from "./sleep-timer.ts";
import { readTestHooks, TEST_HOOKS_ON, type TestHooks } from "./test-hooks.ts";

/** Milliseconds after the last change before the address is rewritten. */
const ADDRESS_DELAY = 250;

/** A download in progress. */
export interface DownloadProgress {
  /** 0–1. */
  fraction: number;
  controller: AbortController;
}

export class App {
  readonly presets: Map<string, Preset>;
  /** Ids of presets opened from files (a link cannot carry them). */
  readonly ownPresets = new Set<string>();
  state: ListenState;
  /** The end-to-end build's test hooks, or null (always, in the production build). */
  private readonly hooks: TestHooks | null;
  /** A notice for the listener (a bad link, the timer's end), or null. */
  notice: string | null;
  plan: Plan;
  readonly player: Player;
  readonly timer: SleepTimer;
  download: DownloadProgress | null = null;
  /** The format the next download is made in. */
  downloadFormat: DownloadFormat = "wav";
  /** The sleep timer last chosen, in seconds (null for none), remembered for the next visit. */
  timerChoice: number | null = null;
  /** Mixes saved by name, for every soundscape. */
  mixes: SavedMix[] = savedMixes();
  /** Each soundscape's mixer as last left, remembered for the next visit. */
  private readonly lastMixes: Remembered["mixes"];
  private readonly listeners = new Set<() => void>();
  private addressTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(search: string) {
    this.presets = builtInPresets();
    const fallback = this.presets.get(DEFAULT_PRESET_ID) ?? this.presets.values().next().value;
    if (!fallback) throw new Error("no preset could be loaded");
    const link = readLink(search, this.presets, fallback);
    const last = recall();
    this.lastMixes = last?.mixes ?? {};
    this.state = link.given || !last ? link.state : this.lastVisit(last, link.state);
    this.hooks = TEST_HOOKS_ON ? readTestHooks(search) : null;
    // A soundscape the link names may be one of the listener's own, read from storage in a moment.
    this.notice = link.missingPreset === null ? link.notice : null;
    this.plan = this.livePlan();
    this.player = new Player({
      plan: this.plan,
      volume: this.state.volume,
      voiceVolumes: this.state.voiceVolumes,
      onChange: () => this.changed(),
    });
    this.timer = new SleepTimer(this.player, this.hooks?.sleepFade ?? SLEEP_FADE, () => {
      this.notice = "The sleep timer has ended. Sleep well.";
      this.changed();
    });
    if (last?.timer) this.setTimer(last.timer);
    this.writeAddress();
    void this.restoreOwnPresets(link.missingPreset === null ? null : search, link.given ? null : (last?.presetId ?? null));
  }

  get preset(): Preset {
    return this.presets.get(this.state.presetId) as Preset;
  }

  /** The beat at the playhead. */
  get beat(): PlannedBeat {
    return beatAt(this.plan, this.player.position);
  }

  /** Shortest custom sleep timer, in seconds. */
  get shortestTimer(): number {
    return this.hooks?.sleepFade ?? 120;
  }

  /** Calls `listener` whenever anything shown may have changed; returns a function that stops it. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  togglePlay(): void {
    if (this.player.state === "playing") this.player.pause();
    else this.player.play();
  }

  seekBeat(index: number): void {
    const beat = this.plan.beats[Math.min(Math.max(0, index), this.plan.beats.length - 1)];
    this.player.seek(beat.start);
  }

  /** Moves to the previous (-1) or next (+1) scene; "previous" restarts the current one if well into it. */
  stepScene(direction: -1 | 1): void {
    const beat = this.beat;
    const into = this.player.position - beat.start;
    this.seekBeat(direction < 0 && into > 10 ? beat.index : beat.index + direction);
  }

  /** A new story length in seconds: the playhead keeps its place in the story. */
  setStory(seconds: number): void {
    if (seconds === this.state.story) return;
    const fraction = this.player.position / this.state.story;
    this.state = { ...this.state, story: seconds };
    this.replan(fraction * seconds);
  }

  /** Another seed, derived from the time and the last seed by the seeded hash. */
  newVariation(now = Date.now()): void {
    const seed = String(hashString(`variation:${this.state.seed}:${now}`) % 100000);
    this.state = { ...this.state, seed };
    this.replan(this.player.position);
  }

  /** Switches to a soundscape, with its mixer as the listener last left it. */
  setPreset(id: string): void {
    const preset = this.presets.get(id);
    if (!preset || id === this.state.presetId) return;
    const voiceVolumes = fitMix(this.lastMixes[id] ?? {}, preset);
    this.state = { ...this.state, presetId: id, voiceVolumes };
    this.player.resetVoiceVolumes(voiceVolumes);
    this.replan(0);
  }

  /** Saves the mixer under a name, for this soundscape. */
  saveMix(name: string): void {
    this.mixes = saveMix({ name, presetId: this.state.presetId, voiceVolumes: { ...this.state.voiceVolumes } });
    this.changed();
  }

  forgetMix(mix: SavedMix): void {
    this.mixes = forgetMix(mix.name, mix.presetId);
    this.changed();
  }

  /** Sets the mixer to a saved mix of this soundscape. */
  applyMix(mix: SavedMix): void {
    if (mix.presetId !== this.state.presetId) return;
    for (const voice of this.preset.voices) this.setVoiceVolume(voice.name, mix.voiceVolumes[voice.name] ?? DEFAULT_VOICE_VOLUME);
  }

  setVoiceVolume(voice: string, volume: number): void {
    const voiceVolumes = { ...this.state.voiceVolumes, [voice]: volume };
    if (volume === DEFAULT_VOICE_VOLUME) delete voiceVolumes[voice];
    this.state = { ...this.state, voiceVolumes };
    this.player.setVoiceVolume(voice, volume);
    this.writeAddress();
    this.changed();
  }

  voiceVolume(voice: string): number {
    return this.state.voiceVolumes[voice] ?? DEFAULT_VOICE_VOLUME;
  }

  setVolume(volume: number): void {
    this.state = { ...this.state, volume };
    this.player.setVolume(volume);
    this.writeAddress();
    this.changed();
  }

  /** Sets the sleep timer to `seconds` of playing, or cancels it with null. */
  setTimer(seconds: number | null): void {
    if (seconds === null) this.timer.cancel();
    else this.timer.set(seconds);
    this.timerChoice = seconds;
    this.writeAddress();
    this.changed();
  }

  /**
   * Reads a preset file and switches to it. A bad file throws a PresetError
   * (the command line's messages) and changes nothing.
   */
  async openPresetFile(file: File): Promise<Preset> {
    if (file.size > MAX_PRESET_BYTES) {
      throw new PresetError(file.name, [{ path: "(root)", message: `is ${(file.size / 1e6).toFixed(1)} MB; a preset is at most 1 MB` }]);
    }
    const text = await file.text();
    return this.addOwnPreset(parsePreset(text, file.name), { name: file.name, text });
  }

  /**
   * Composes a preset from a story's text (src/compose, as `reverie compose`
   * does) and switches to it. Text that is not a story throws a StoryError
   * and changes nothing.
   */
  openStory(text: string, title: string): { preset: Preset; composition: Composition } {
    const composition = compose(text, { defaultTitle: title });
    const preset = presetFromValue(composition.preset, title);
    return { preset: this.addOwnPreset(preset, { name: title, text: JSON.stringify(composition.preset) }), composition };
  }

  /** Lists a preset of the listener's own and switches to it; `source` (its text) is kept for later visits. */
  private addOwnPreset(preset: Preset, source: { name: string; text: string }): Preset {
    // A file's id may repeat a built-in one: it gets its own slot rather than replacing it.
    let id = preset.id;
    while (this.presets.has(id) && !this.ownPresets.has(id)) id = `${id}-own`;
    const own: Preset = { ...preset, id };
    this.presets.set(id, own);
    this.ownPresets.add(id);
    this.state = { ...this.state, presetId: "" };
    this.setPreset(id);
    void storePreset({ id, ...source });
    return own;
  }

  /**
   * The preset files kept from earlier visits, listed again; then the link
   * (`search`, when it names a soundscape not built in) read again with them,
   * or the last visit's soundscape, if it was one of them.
   */
  private async restoreOwnPresets(search: string | null, lastPresetId: string | null): Promise<void> {
    for (const stored of await storedPresets()) {
      if (this.presets.has(stored.id)) continue;
      try {
        this.presets.set(stored.id, { ...parsePreset(stored.text, stored.name), id: stored.id });
        this.ownPresets.add(stored.id);
      } catch {
        // No longer a valid preset (the format moved on): left out.
      }
    }
    if (search !== null) {
      const link = readLink(search, this.presets, this.preset);
      this.notice = link.notice;
      if (link.missingPreset === null) {
        this.state = link.state;
        this.player.resetVoiceVolumes(link.state.voiceVolumes);
        this.player.setVolume(link.state.volume);
        this.replan(0);
      }
    } else if (lastPresetId !== null && this.ownPresets.has(lastPresetId)) this.setPreset(lastPresetId);
    this.changed();
  }

  /** The last visit's settings, where they still fit (a soundscape that is gone, a voice it no longer has). */
  private lastVisit(last: Remembered, fromLink: ListenState): ListenState {
    const preset = this.presets.get(last.presetId);
    if (!preset) return { ...fromLink, volume: last.volume };
    return { ...defaultState(preset), volume: last.volume, voiceVolumes: fitMix(last.mixes[preset.id] ?? {}, preset) };
  }

  setDownloadFormat(format: DownloadFormat): void {
    this.downloadFormat = format;
    this.changed();
  }

  /** Renders the story (at most MAX_DOWNLOAD_SECONDS) as the command line does, normalised and limited, and saves it in the chosen format. */
  async startDownload(): Promise<void> {
    if (this.download) return;
    const plan = this.downloadPlan();
    const controller = new AbortController();
    this.download = { fraction: 0, controller };
    this.changed();
    try {
      const blob = await renderDownload(plan, this.downloadFormat, {
        signal: controller.signal,
        onProgress: (done, total) => {
          if (this.download) this.download.fraction = done / total;
          this.changed();
        },
      });
      saveFile(blob, this.downloadName);
    } finally {
      this.download = null;
      this.changed();
    }
  }

  cancelDownload(): void {
    this.download?.controller.abort();
  }

  /** Whether the story is short enough to download. */
  get canDownload(): boolean {
    return this.state.story <= MAX_DOWNLOAD_SECONDS;
  }

  /** The file's name: the soundscape, the variation and the length, as in `dream-7-30m.ogg`. */
  get downloadName(): string {
    return `${this.preset.id}-${this.state.seed}-${formatDuration(this.state.story)}.${this.downloadFormat}`;
  }

  /** The address of these settings. */
  get link(): string {
    return `${location.origin}${location.pathname}${writeLink(this.state)}${this.hooks?.query ?? ""}`;
  }

  dismissNotice(): void {
    this.notice = null;
    this.changed();
  }

  /** The plan the command line makes for `--story S --length S` (the drift after it plays only live). */
  downloadPlan(): Plan {
    return planStory(this.preset, Random.fromSeed(this.state.seed), { story: this.state.story, total: this.state.story });
  }

  /** The story, then its last scene drifting on until the sleep timer (or the listener) stops it: the end of the story never stops the sound. */
  private livePlan(): Plan {
    const { story, seed } = this.state;
    return planStory(this.preset, Random.fromSeed(seed), { story, total: Number.POSITIVE_INFINITY });
  }

  private replan(position: number): void {
    this.plan = this.livePlan();
    this.player.setPlan(this.plan, position);
    this.writeAddress();
    this.changed();
  }

  /**
   * Keeps the address (and what is remembered for the next visit) in step
   * with the settings, a moment after the last change: a dragged slider
   * changes them many times a second, and Safari refuses more than 100
   * history updates in 10 s.
   */
  private writeAddress(): void {
    clearTimeout(this.addressTimer);
    this.addressTimer = setTimeout(() => {
      try {
        history.replaceState(null, "", `${writeLink(this.state)}${this.hooks?.query ?? ""}`);
      } catch {
        // Refused (too many updates): the next change writes it again.
      }
      this.lastMixes[this.state.presetId] = this.state.voiceVolumes;
      remember({ presetId: this.state.presetId, volume: this.state.volume, mixes: this.lastMixes, timer: this.timerChoice });
    }, ADDRESS_DELAY);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** The voice volumes of `volumes` that name a voice of `preset`. */
function fitMix(volumes: Record<string, number>, preset: Preset): Record<string, number> {
  const voices = new Set(preset.voices.map((v) => v.name));
  return Object.fromEntries(Object.entries(volumes).filter(([voice]) => voices.has(voice)));
}
