/**
 * Phones and locked screens: what the system's media controls show (the
 * preset, the scene, a picture in the scene's colours, where the story is)
 * and do (play, pause, stop, previous and next scene, seek to a scene), and
 * the audio session kind that lets Safari keep playing with the ringer
 * switch on silent. Every API here is optional: where one is missing, or
 * refuses an action, the page simply goes without it.
 */
import { paintArtwork } from "./pwa/artwork.ts";

export interface MediaActions {
  play(): void;
  pause(): void;
  stop(): void;
  previousScene(): void;
  nextScene(): void;
  /** Goes to the scene at story time `seconds`. */
  seekTo(seconds: number): void;
}

export interface MediaInfo {
  title: string;
  scene: string;
  /** The scene's colours (#rrggbb), for the artwork. */
  colors: readonly string[];
  playing: boolean;
  /** Story time now and the story's length, in seconds; null past the story's end (drifting on). */
  progress: { position: number; duration: number } | null;
}

export interface MediaSessionLink {
  update(info: MediaInfo): void;
}

/** Side of the artwork, in pixels. */
export const ARTWORK_SIZE = 512;
/** Seconds the system's own estimate of the position may drift from ours before it is told again. */
const POSITION_SLACK = 2;

/** Asks for a "playback" audio session (Safari 17+), before the audio context exists. */
export function preferPlaybackSession(): void {
  const session = (navigator as Navigator & { audioSession?: { type: string } }).audioSession;
  if (!session) return;
  try {
    session.type = "playback";
  } catch {
    // An engine that knows audioSession but not this type: the default session plays too.
  }
}

export function connectMediaSession(actions: MediaActions): MediaSessionLink {
  if (!("mediaSession" in navigator) || typeof MediaMetadata === "undefined") return { update() {} };
  const session = navigator.mediaSession;
  const handlers: [MediaSessionAction, MediaSessionActionHandler][] = [
    ["play", () => actions.play()],
    ["pause", () => actions.pause()],
    ["stop", () => actions.stop()],
    ["previoustrack", () => actions.previousScene()],
    ["nexttrack", () => actions.nextScene()],
    ["seekto", (details) => details.seekTime !== undefined && actions.seekTo(details.seekTime)],
  ];
  for (const [action, handler] of handlers) {
    try {
      session.setActionHandler(action, handler);
    } catch {
      // Not supported by this browser.
    }
  }
  const artwork = createArtworks();
  const position = createPositionState(session);
  let shown = "";
  let current: MediaInfo | null = null;
  const show = (info: MediaInfo, picture: string | undefined): void => {
    session.metadata = new MediaMetadata({
      title: info.title,
      artist: info.scene,
      album: "Reverie",
      artwork: picture ? [{ src: picture, sizes: `${ARTWORK_SIZE}x${ARTWORK_SIZE}`, type: "image/png" }] : [],
    });
  };
  return {
    update(info: MediaInfo) {
      current = info;
      const key = `${info.title}\u0000${info.scene}\u0000${info.colors.join()}`;
      if (key !== shown) {
        shown = key;
        show(info, artwork.ready(info.colors));
        artwork.make(info.colors).then((picture) => {
          if (picture && current && shown === key) show(current, picture);
        });
      }
      const state = info.playing ? "playing" : "paused";
      // Told again only when it changes: each setting is a message to the browser.
      if (session.playbackState !== state) session.playbackState = state;
      position.update(info);
    },
  };
}

/** Artworks kept: the scenes around the one playing (each is a PNG of some 100 KB). */
const ARTWORKS_KEPT = 8;

/** The artworks made lately, by colours: blob URLs of PNG pictures, the oldest let go of. */
function createArtworks(): {
  ready(colors: readonly string[]): string | undefined;
  make(colors: readonly string[]): Promise<string | undefined>;
} {
  const made = new Map<string, Promise<string | undefined>>();
  const done = new Map<string, string>();
  return {
    ready: (colors) => done.get(colors.join()),
    make(colors) {
      const key = colors.join();
      let picture = made.get(key);
      if (!picture) {
        picture = drawArtwork(colors).then((url) => {
          if (url) done.set(key, url);
          return url;
        });
        made.set(key, picture);
        // The oldest is never the one on show: that is the newest.
        if (made.size > ARTWORKS_KEPT) {
          const [oldest] = made.keys();
          made.delete(oldest);
          const url = done.get(oldest);
          done.delete(oldest);
          if (url) URL.revokeObjectURL(url);
        }
      }
      return picture;
    },
  };
}

/** The sky in `colors` as a PNG picture's blob URL, or undefined where the page cannot draw one. */
async function drawArtwork(colors: readonly string[]): Promise<string | undefined> {
  try {
    const canvas = document.createElement("canvas");
    canvas.width = ARTWORK_SIZE;
    canvas.height = ARTWORK_SIZE;
    const context = canvas.getContext("2d");
    if (!context) return undefined;
    context.putImageData(new ImageData(paintArtwork(ARTWORK_SIZE, colors), ARTWORK_SIZE, ARTWORK_SIZE), 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
    return blob ? URL.createObjectURL(blob) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The position the lock screen shows, told again only when the system's own
 * estimate (it runs the clock on while playing) would be wrong: after a
 * pause, a seek or a new story, not on every tick.
 */
function createPositionState(session: MediaSession): { update(info: MediaInfo): void } {
  let told: { position: number; duration: number; playing: boolean; at: number } | null = null;
  let cleared = false;
  return {
    update({ progress, playing }) {
      if (typeof session.setPositionState !== "function") return;
      try {
        if (!progress) {
          if (!cleared) session.setPositionState();
          cleared = true;
          told = null;
          return;
        }
        const now = performance.now() / 1000;
        const expected = told ? told.position + (told.playing ? now - told.at : 0) : Number.NaN;
        const stale =
          !told ||
          told.playing !== playing ||
          told.duration !== progress.duration ||
          !(Math.abs(expected - progress.position) < POSITION_SLACK);
        if (!stale) return;
        const position = Math.min(Math.max(0, progress.position), progress.duration);
        session.setPositionState({ duration: progress.duration, position, playbackRate: playing ? 1 : 0 });
        told = { position, duration: progress.duration, playing, at: now };
        cleared = false;
      } catch {
        // A browser that refuses the figures (or the call): the controls go without a position.
      }
    },
  };
}
