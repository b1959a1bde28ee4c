/**
 * The sleep timer: after the chosen time of playing, a long fade to silence
 * on its own gain stage, then the player stops and the context is suspended.
 * It counts context time, so it stands still while playback is paused, and
 * the fade is automation on the audio thread: it happens on time even when a
 * hidden tab's JavaScript runs late (only the suspension may come later).
 */
import { parseDuration } from "../core/duration.ts";
import { CURVES, glide } from "./audio-output.ts";
import type { Player } from "./player.ts";

/** Timer choices, in minutes. */
export const TIMER_MINUTES = [15, 30, 45, 60, 90] as const;
/** Seconds of the closing fade (never under 60 s; only the end-to-end build shortens it, see test-hooks.ts). */
export const SLEEP_FADE = 90;
/** Longest custom timer, in seconds. */
const LONGEST = 12 * 3600;
/** Seconds to come back up when a timer is set again partway through a fade. */
const RESTORE = 3;

/**
 * A custom timer's length in seconds: a bare number is minutes (`25`), or a
 * length such as `45m`, `1h30m` or `90s`, at least `shortest` seconds.
 * Throws a RangeError whose message can be shown as it is.
 */
export function parseTimer(text: string, shortest: number): number {
  const trimmed = text.trim();
  let seconds: number;
  try {
    seconds = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 60 : parseDuration(trimmed);
  } catch {
    throw new RangeError(`"${trimmed.slice(0, 20)}" is not a length: try 25 (minutes), 45m or 1h30m`);
  }
  if (seconds < shortest)
    throw new RangeError(`a sleep timer is at least ${shortest >= 60 ? `${Math.ceil(shortest / 60)} minutes` : `${shortest} seconds`}`);
  if (seconds > LONGEST) throw new RangeError("a sleep timer is at most 12 hours");
  return seconds;
}

export class SleepTimer {
  /** Context time at which the sound has faded out, once armed. */
  private endsAt: number | null = null;
  /** Seconds to go, before the timer is armed (set before the first play). */
  private pending: number | null = null;

  /**
   * @param fade - seconds of closing fade.
   * @param onEnd - called once the timer has stopped playback.
   */
  constructor(
    private readonly player: Player,
    readonly fade: number,
    private readonly onEnd: () => void,
  ) {
    player.onTick(() => this.check());
  }

  /** True while a timer is set. */
  get active(): boolean {
    return this.endsAt !== null || this.pending !== null;
  }

  /** Seconds of playing left, or null with no timer. */
  remaining(): number | null {
    const output = this.player.output;
    if (this.endsAt !== null && output) return Math.max(0, this.endsAt - output.context.currentTime);
    return this.pending;
  }

  /** Sets (or resets) the timer to `seconds` of playing, the last `fade` of them fading. */
  set(seconds: number): void {
    this.endsAt = null;
    this.pending = seconds;
    this.arm();
  }

  /** Cancels the timer, bringing the sound back up if its fade had begun. */
  cancel(): void {
    const output = this.player.output;
    if (this.endsAt !== null && output) glide(output.sleep.gain, 1, RESTORE);
    this.endsAt = null;
    this.pending = null;
  }

  private arm(): void {
    const output = this.player.output;
    if (!output || this.pending === null) return;
    const param = output.sleep.gain;
    const now = output.context.currentTime;
    const endsAt = now + this.pending;
    const restoring = param.getValueAtTime(now) < 0.999;
    glide(param, 1, restoring ? RESTORE : 0);
    const fadeFrom = Math.max(now + (restoring ? RESTORE : 0), endsAt - this.fade);
    param.setValueAtTime(1, fadeFrom);
    const steps = Math.min(96, Math.max(8, Math.ceil((endsAt - fadeFrom) * 2)));
    for (let i = 1; i <= steps; i++) {
      const x = i / steps;
      param.linearRampToValueAtTime(1 - CURVES.sleepy(x), fadeFrom + x * (endsAt - fadeFrom));
    }
    this.endsAt = endsAt;
    this.pending = null;
  }

  private check(): void {
    if (this.pending !== null) this.arm();
    const output = this.player.output;
    if (this.endsAt === null || !output || output.context.currentTime < this.endsAt) return;
    this.endsAt = null;
    this.player.stopForSleep();
    // Full again for next time; the play fade keeps the next start quiet.
    output.sleep.gain.cancelScheduledValues(0);
    output.sleep.gain.setValueAtTime(1, output.context.currentTime);
    this.onEnd();
  }
}
