/**
 * The browser player's entry point: the settings from the address, the app,
 * and the page bound to it. The audio context waits for the first gesture.
 */
import { App } from "./app.ts";
import { preferPlaybackSession } from "./media-session.ts";
import { bindUi } from "./ui.ts";

preferPlaybackSession();
bindUi(new App(location.search));
