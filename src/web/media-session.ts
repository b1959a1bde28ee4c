/**
 * Phones and locked screens: what the system's media controls show (the
 * preset and the scene) and do (play, pause, previous and next scene), and
 * the audio session kind that lets Safari keep playing with the ringer
 * switch on silent. Every API here is optional: where one is missing, or
 * refuses an action, the page simply goes without it.
 */

export interface MediaActions {
  play(): void;
  pause(): void;
  previousScene(): void;
  nextScene(): void;
}

export interface MediaInfo {
  title: string;
  scene: string;
  playing: boolean;
}

export interface MediaSessionLink {
  update(info: MediaInfo): void;
}

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
  const handlers: [MediaSessionAction, () => void][] = [
    ["play", actions.play],
    ["pause", actions.pause],
    ["stop", actions.pause],
    ["previoustrack", actions.previousScene],
    ["nexttrack", actions.nextScene],
  ];
  for (const [action, handler] of handlers) {
    try {
      session.setActionHandler(action, () => handler());
    } catch {
      // Not supported by this browser.
    }
  }
  let shown = "";
  return {
    update(info: MediaInfo) {
      const key = `${info.title}\u0000${info.scene}`;
      if (key !== shown) {
        shown = key;
        session.metadata = new MediaMetadata({ title: info.title, artist: info.scene, album: "Reverie" });
      }
      session.playbackState = info.playing ? "playing" : "paused";
    },
  };
}
