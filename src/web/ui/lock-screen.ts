/** The system's media controls (a locked phone's screen): the preset, the scene and its picture, play, pause, stop, previous and next scene, seek to a scene. */
import { beatAt } from "../../score/timeline.ts";
import { beatLabel } from "../format.ts";
import { connectMediaSession } from "../media-session.ts";
import type { Part, UiContext } from "./dom.ts";

export function bindLockScreen({ app }: UiContext): Part {
  const media = connectMediaSession({
    play: () => app.player.play(),
    pause: () => app.player.pause(),
    stop: () => app.player.pause(),
    previousScene: () => app.stepScene(-1),
    nextScene: () => app.stepScene(1),
    seekTo: (seconds) => app.seekBeat(beatAt(app.plan, seconds).index),
  });
  return {
    update() {
      const { beat } = app.beat;
      const position = app.player.position;
      const story = app.plan.story;
      media.update({
        title: app.preset.title,
        scene: beatLabel(beat.id),
        colors: beat.colors,
        playing: app.player.state === "playing",
        progress: position <= story ? { position, duration: story } : null,
      });
    },
  };
}
