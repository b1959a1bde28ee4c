/** The download panel: what the file will be, the button, its progress, and the command line that renders the same. */
import { commandLine, DOWNLOAD_FORMAT, downloadBytes, MAX_DOWNLOAD_SECONDS } from "../download.ts";
import { spoken } from "../format.ts";
import { byId, type Part, setText, type UiContext } from "./dom.ts";

export function bindDownload({ app, signal }: UiContext): Part {
  const about = byId("download-about");
  const button = byId<HTMLButtonElement>("download");
  const cancel = byId<HTMLButtonElement>("download-cancel");
  const progress = byId("download-progress");
  const bar = byId<HTMLProgressElement>("download-bar");
  const percent = byId("download-percent");
  const error = byId("download-error");
  const command = byId("download-command");
  button.addEventListener(
    "click",
    () => {
      error.hidden = true;
      app.startDownload().catch((failure: unknown) => {
        if (failure instanceof DOMException && failure.name === "AbortError") return;
        error.textContent = `The download failed: ${failure instanceof Error ? failure.message : String(failure)}`;
        error.hidden = false;
      });
    },
    { signal },
  );
  cancel.addEventListener("click", () => app.cancelDownload(), { signal });

  return {
    update() {
      const { state } = app;
      const story = spoken(state.story);
      const megabytes = Math.round(downloadBytes(state.story) / 1e6);
      setText(
        about,
        app.canDownload
          ? `The story (${story}) as a WAV file (${DOWNLOAD_FORMAT.sampleRate / 1000} kHz, 16-bit stereo, about ${megabytes} MB), rendered here in your browser.` +
              (state.drift ? " The endless drift plays only here." : "")
          : `A browser holds at most ${spoken(MAX_DOWNLOAD_SECONDS)} of audio for a download; render this length from the command line.`,
      );
      button.disabled = !app.canDownload || app.download !== null;
      cancel.hidden = app.download === null;
      progress.hidden = app.download === null;
      if (app.download) {
        bar.value = app.download.fraction;
        setText(percent, `Rendering… ${Math.floor(app.download.fraction * 100)} %`);
      }
      const presetArg = app.ownPresets.has(state.presetId) ? "your-preset.json" : app.preset.id;
      showCommand(command, commandLine(presetArg, state.seed, state.story));
    },
  };
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
