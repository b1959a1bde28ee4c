/** The system's media controls (a locked phone's screen): the preset and the scene, play, pause, previous and next scene. */
import { beatLabel } from "../format.ts";
import { connectMediaSession } from "../media-session.ts";
import type { Part, UiContext } from "./dom.ts";

export function bindLockScreen({ app }: UiContext): Part {
  const media = connectMediaSession({
    play: () => app.player.play(),
    pause: () => app.player.pause(),
    previousScene: () => app.stepScene(-1),
    nextScene: () => app.stepScene(1),
  });
  return {
    update() {
      media.update({ title: app.preset.title, scene: beatLabel(app.beat.beat.id), playing: app.player.state === "playing" });
    },
  };
}
