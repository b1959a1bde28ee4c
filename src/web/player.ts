/**
 * Live playback of a plan. The soundscape is built at the playhead and
 * scheduled ahead of it in contiguous spans, from a worker-driven tick, far
 * enough ahead that a throttled background tab keeps playing. Play and pause
 * are fades around a running or suspended context (story time stands still
 * while the context is suspended, so a pause needs no rebuilding); a seek or
 * a new plan is a fade out, a new soundscape at the new story time, a fade in.
 *
 * Every plan plays at the same loudness: its soundscape's gain is the score
 * model's normalisation gain (score/loudness-model.ts) to the command line's target,
 * for the plan itself (its preset, seed, length and drift) and the context's
 * sample rate. A new plan's gain arrives with its soundscape, behind the fade.
 */
import { createSoundscape, type Soundscape } from "../engine/soundscape.ts";
import { DEFAULT_TARGET, normalisationGain } from "../score/loudness-model.ts";
import type { Plan } from "../score/timeline.ts";
import { type AudioOutput, createAudioOutput, glide } from "./audio-output.ts";
import { type Heartbeat, startHeartbeat } from "./heartbeat.ts";
import { VOLUME_RAMP, voiceLevel, volumeToGain } from "./volume.ts";

/** Seconds of story scheduled ahead of the playhead (a hidden tab may tick rarely). */
export const HORIZON = 25;
/** Milliseconds between scheduler ticks. */
const TICK_MS = 1000;
/** Seconds between building a soundscape and its first sound. */
const LEAD = 0.25;
/** Seconds scheduled when a soundscape is built, so starting stays quick. */
const FIRST_SPAN = 3;
/**
 * Most seconds of story scheduled by one tick: the horizon fills over a few
 * ticks (each adds this much while a second passes) rather than in one long
 * stall of the main thread, which a phone would feel.
 */
const MAX_STEP = 6;
/**
 * Fewest seconds a tick schedules once the horizon is full (unless the
 * playhead comes within {@link FIRST_SPAN} of the end of what is scheduled,
 * or the story ends sooner): the soundscape plays what one call schedules as
 * one buffer, and every buffer waiting ahead costs the audio thread in every
 * render quantum until it starts (measured in Chromium: a second a buffer
 * kept 25 of them waiting, 0.8 % of a core of the audio thread's 4.4 %).
 */
const BLOCK = 4;
/** Fade lengths, in seconds. */
export const FADES = { play: 4, pause: 2, seekOut: 1.2, seekIn: 3 } as const;

/**
 * - `paused`: silent, context suspended (or never created).
 * - `playing`: the listener wants sound and the context runs.
 * - `interrupted`: the listener wants sound but the system suspended the
 *   context (a phone call, Safari's "interrupted"); the next gesture resumes.
 * - `ended`: the story (without drift) played to its end.
 */
export type PlayerState = "paused" | "playing" | "interrupted" | "ended";

interface Live {
  scape: Soundscape;
  /** Story time at context time 0. */
  origin: number;
  /** Story time the soundscape started at. */
  start: number;
  /** Story time scheduled up to. */
  scheduledTo: number;
  plan: Plan;
}

export interface PlayerOptions {
  plan: Plan;
  /** Master volume, 0–100. */
  volume: number;
  /** Voice → volume 0–100. */
  voiceVolumes: Record<string, number>;
  /** Called when the state or the position changes by itself or by a call. */
  onChange: () => void;
}

export class Player {
  private current: PlayerState = "paused";
  private audio: AudioOutput | null = null;
  private live: Live | null = null;
  private plan: Plan;
  /** The last normalisation gain worked out, and what for. */
  private gain: { plan: Plan; sampleRate: number; factor: number } | null = null;
  private volume: number;
  private readonly voiceVolumes = new Map<string, number>();
  /** Story time while nothing is live. */
  private held = 0;
  /** Where a seek in progress is going. */
  private seekTarget: number | null = null;
  /** Bumped by every action, so a fade's follow-up that has been overtaken does nothing. */
  private generation = 0;
  /** True while a suspension is ours (pause, timer, end), false while the listener wants sound. */
  private expectSuspended = true;
  private heartbeat: Heartbeat | null = null;
  /** True once the output's mixer has loaded (or failed to): soundscapes are built from then on. */
  private mixerSettled = false;
  private readonly tickListeners = new Set<() => void>();
  private readonly onChange: () => void;

  constructor(options: PlayerOptions) {
    this.plan = options.plan;
    this.volume = options.volume;
    for (const [voice, volume] of Object.entries(options.voiceVolumes)) this.voiceVolumes.set(voice, volume);
    this.onChange = options.onChange;
  }

  get state(): PlayerState {
    return this.current;
  }

  /** The audio output, once the first play has created it. */
  get output(): AudioOutput | null {
    return this.audio;
  }

  /** Story time now, in seconds (where a seek is going, while it fades). */
  get position(): number {
    if (this.seekTarget !== null) return this.seekTarget;
    if (!this.live || !this.audio) return this.held;
    return Math.max(this.live.start, this.audio.context.currentTime + this.live.origin);
  }

  /** Calls `listener` on every scheduler tick while playing. */
  onTick(listener: () => void): void {
    this.tickListeners.add(listener);
  }

  /**
   * Starts or resumes, fading in. Call it from a user gesture: the context is
   * created or resumed synchronously inside it, as autoplay rules (and iOS) require.
   */
  play(): void {
    if (this.current === "playing") return;
    const output = this.ensureOutput();
    this.expectSuspended = false;
    const generation = ++this.generation;
    const check = (): void => {
      if (generation === this.generation && this.current === "playing" && output.raw.state !== "running") this.interrupt();
    };
    // The raw context's resume (through the output, which plays its element too), not Tone's: Tone skips a context in Safari's "interrupted" state.
    output.resume().then(check, check);
    if (this.current === "ended") {
      this.dropLive();
      this.held = 0;
    }
    this.takeSeekTarget();
    if (!this.live) this.build(this.held);
    glide(output.fade.gain, 1, FADES.play);
    this.heartbeat ??= startHeartbeat(() => this.tick(), TICK_MS);
    this.setState("playing");
  }

  /** Fades out, then suspends the context. */
  pause(): void {
    if (this.current !== "playing" && this.current !== "interrupted") return;
    const generation = ++this.generation;
    this.setState("paused");
    const output = this.audio;
    if (!output) return;
    if (output.raw.state !== "running") {
      this.suspend();
      return;
    }
    glide(output.fade.gain, 0, FADES.pause);
    setTimeout(
      () => {
        if (generation === this.generation) this.suspend();
      },
      FADES.pause * 1000 + 150,
    );
  }

  /** Pause for the sleep timer, whose own fade has already reached silence. */
  stopForSleep(): void {
    if (this.current !== "playing") return;
    this.generation++;
    this.setState("paused");
    this.suspend();
  }

  /** Moves the playhead to story time `time` (seconds). */
  seek(time: number): void {
    this.relocate(time);
  }

  /** Plays another plan (a new seed, length or preset) from story time `position`. */
  setPlan(plan: Plan, position: number): void {
    this.plan = plan;
    this.relocate(position);
  }

  /** The listener's volume for a voice, 0–100, ramped. */
  setVoiceVolume(voice: string, volume: number): void {
    this.voiceVolumes.set(voice, volume);
    this.live?.scape.setMix(voice, voiceLevel(volume), VOLUME_RAMP);
  }

  /** Replaces the whole mixer (a new preset), applied from the next soundscape on. */
  resetVoiceVolumes(volumes: Record<string, number>): void {
    this.voiceVolumes.clear();
    for (const [voice, volume] of Object.entries(volumes)) this.voiceVolumes.set(voice, volume);
  }

  /** Master volume, 0–100, ramped. */
  setVolume(volume: number): void {
    this.volume = volume;
    if (this.audio) glide(this.audio.volume.gain, volumeToGain(volume), VOLUME_RAMP);
  }

  /** Tries to come back after a system interruption (e.g. when the page is shown again). */
  retry(): void {
    if (this.current === "interrupted") this.play();
  }

  private ensureOutput(): AudioOutput {
    if (this.audio) return this.audio;
    const output = createAudioOutput(volumeToGain(this.volume));
    output.context.on("statechange", () => {
      const running = output.raw.state === "running";
      if (!running && !this.expectSuspended && this.current === "playing") this.interrupt();
      // The system gave the context back by itself: carry on, fading in.
      else if (running && this.current === "interrupted") this.play();
    });
    this.audio = output;
    return output;
  }

  private relocate(time: number): void {
    const target = Number.isFinite(this.plan.total) ? Math.min(Math.max(0, time), this.plan.total) : Math.max(0, time);
    const generation = ++this.generation;
    const output = this.audio;
    if (this.current !== "playing" || !output || !this.live) {
      this.dropLive();
      this.seekTarget = null;
      this.held = target;
      if (this.current === "ended") this.setState("paused");
      else this.onChange();
      return;
    }
    this.seekTarget = target;
    glide(output.fade.gain, 0, FADES.seekOut);
    setTimeout(() => {
      if (generation !== this.generation) return;
      this.seekTarget = null;
      this.dropLive();
      this.build(target);
      glide(output.fade.gain, 1, FADES.seekIn);
      this.onChange();
    }, FADES.seekOut * 1000);
    this.onChange();
  }

  private build(time: number): void {
    const output = this.audio;
    if (!output) return;
    if (!this.mixerSettled) {
      // The first play waits for the mixer's worklet (a few milliseconds, under the fade in).
      output.ready.then(() => {
        this.mixerSettled = true;
        if (this.current === "playing" && !this.live && this.seekTarget === null) this.build(this.held);
      });
      return;
    }
    const origin = time - (output.context.currentTime + LEAD);
    const scape = createSoundscape(output.context, this.plan, {
      origin,
      start: time,
      live: true,
      gain: this.gainFor(this.plan, output.context.sampleRate),
      mixer: output.mixer,
    });
    for (const [voice, volume] of this.voiceVolumes) scape.setMix(voice, voiceLevel(volume), 0);
    scape.output.connect(output.fade);
    const first = this.limit(time + FIRST_SPAN);
    scape.schedule(time, first);
    this.live = { scape, origin, start: time, scheduledTo: first, plan: this.plan };
    setTimeout(() => this.tick(), 50);
  }

  /** Normalisation gain (a factor) of `plan` at `sampleRate`, worked out once per plan (a seek keeps it). */
  private gainFor(plan: Plan, sampleRate: number): number {
    if (this.gain?.plan !== plan || this.gain.sampleRate !== sampleRate) {
      this.gain = { plan, sampleRate, factor: normalisationGain(plan, DEFAULT_TARGET, sampleRate) };
    }
    return this.gain.factor;
  }

  private tick(): void {
    if (this.current !== "playing") return;
    const live = this.live;
    if (live && this.seekTarget === null) {
      const now = this.position;
      if (Number.isFinite(live.plan.total) && now >= live.plan.total) {
        this.end();
        return;
      }
      // Behind the playhead after a long stall, it catches up at once.
      const to = this.limit(Math.min(now + HORIZON, Math.max(live.scheduledTo + MAX_STEP, now + FIRST_SPAN)));
      const due = to - live.scheduledTo >= BLOCK || live.scheduledTo < now + FIRST_SPAN || to === this.limit(Number.POSITIVE_INFINITY);
      if (to > live.scheduledTo && due) {
        live.scape.schedule(live.scheduledTo, to);
        live.scheduledTo = to;
      }
    }
    for (const listener of this.tickListeners) listener();
    this.onChange();
  }

  private end(): void {
    this.generation++;
    this.held = this.live?.plan.total ?? this.held;
    this.suspend();
    this.dropLive();
    this.setState("ended");
  }

  private interrupt(): void {
    this.generation++;
    this.stopHeartbeat();
    this.takeSeekTarget();
    const output = this.audio;
    // Silent when it comes back: the next play fades in from nothing.
    if (output) this.silence(output);
    this.setState("interrupted");
  }

  private suspend(): void {
    const output = this.audio;
    if (!output) return;
    this.stopHeartbeat();
    this.takeSeekTarget();
    this.held = this.position;
    this.expectSuspended = true;
    this.silence(output);
    output.suspend().catch(() => undefined);
  }

  private silence(output: AudioOutput): void {
    output.fade.gain.cancelScheduledValues(0);
    output.fade.gain.setValueAtTime(0, output.context.currentTime);
  }

  /** A seek overtaken by a pause lands where it was going. */
  private takeSeekTarget(): void {
    if (this.seekTarget === null) return;
    this.dropLive();
    this.held = this.seekTarget;
    this.seekTarget = null;
  }

  private dropLive(): void {
    if (!this.live) return;
    this.held = this.position;
    this.live.scape.dispose();
    this.live = null;
  }

  private limit(time: number): number {
    return Number.isFinite(this.plan.total) ? Math.min(time, this.plan.total) : time;
  }

  private stopHeartbeat(): void {
    this.heartbeat?.stop();
    this.heartbeat = null;
  }

  private setState(state: PlayerState): void {
    this.current = state;
    this.onChange();
  }
}
