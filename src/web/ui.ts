/**
 * The page: index.html's parts, each bound to the app by its own module in
 * ui/. Gestures become calls on the app; whenever the app changes, every
 * part shows its state again, touching the DOM only where something changed.
 * Text that comes from a preset or a link (titles, captions, names,
 * messages) is only ever set as textContent.
 */
import type { App } from "./app.ts";
import type { Part, UiContext } from "./ui/dom.ts";
import { bindCards } from "./ui/cards.ts";
import { bindDownload } from "./ui/download.ts";
import { bindLength } from "./ui/length.ts";
import { bindLockScreen } from "./ui/lock-screen.ts";
import { bindMixer } from "./ui/mixer.ts";
import { bindNotice } from "./ui/notice.ts";
import { bindOwnPreset } from "./ui/own-preset.ts";
import { bindOwnStory } from "./ui/own-story.ts";
import { bindRest } from "./ui/rest.ts";
import { bindSavedMixes } from "./ui/saved-mixes.ts";
import { bindSharing } from "./ui/sharing.ts";
import { bindStory } from "./ui/story.ts";
import { bindTimer } from "./ui/timer.ts";
import { bindTransport } from "./ui/transport.ts";

/** Binds the page to the app and shows it; returns a function that unbinds it. */
export function bindUi(app: App): () => void {
  const listening = new AbortController();
  const context: UiContext = { app, signal: listening.signal, refresh: () => render() };
  // Top to bottom as the page shows them, then the lock screen and the resting dim.
  const parts: Part[] = [
    bindNotice(context),
    bindStory(context),
    bindTransport(context),
    bindCards(context),
    bindLength(context),
    bindTimer(context),
    bindMixer(context),
    bindSavedMixes(context),
    bindSharing(context),
    bindDownload(context),
    bindOwnPreset(context),
    bindOwnStory(context),
    bindLockScreen(context),
    bindRest(context),
  ];
  const render = (): void => {
    for (const part of parts) part.update();
  };
  const unsubscribe = app.subscribe(render);
  render();
  return () => {
    unsubscribe();
    listening.abort();
    for (const part of parts) part.dispose?.();
  };
}
