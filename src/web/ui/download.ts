/** The download panel: what the file will be, the button, its progress, and the command line that renders the same. */
import { commandLine, DOWNLOAD_FORMAT, DOWNLOAD_FORMATS, type DownloadFormat, downloadBytes, MAX_DOWNLOAD_SECONDS } from "../download.ts";
import { spoken } from "../format.ts";
import { byId, chip, type Part, setProp, setText, type UiContext } from "./dom.ts";

const NAMES: Record<DownloadFormat, string> = { wav: "WAV", ogg: "Ogg", mp3: "MP3" };
const WHAT: Record<DownloadFormat, string> = {
  wav: `a WAV file (${DOWNLOAD_FORMAT.sampleRate / 1000} kHz, 16-bit stereo, the largest)`,
  ogg: "an Ogg Vorbis file (smaller, for most players)",
  mp3: "an MP3 file (128 kb/s, for every player)",
};

export function bindDownload({ app, signal }: UiContext): Part {
  const about = byId("download-about");
  const button = byId<HTMLButtonElement>("download");
  const cancel = byId<HTMLButtonElement>("download-cancel");
  const progress = byId("download-progress");
  const bar = byId<HTMLProgressElement>("download-bar");
  const percent = byId("download-percent");
  const error = byId("download-error");
  const command = byId("download-command");
  const formats = new Map<DownloadFormat, HTMLInputElement>();
  for (const format of DOWNLOAD_FORMATS) {
    const input = chip(byId("formats"), "format", NAMES[format], format);
    input.addEventListener("change", () => input.checked && app.setDownloadFormat(format), { signal });
    formats.set(format, input);
  }
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
      const format = app.downloadFormat;
      for (const [each, input] of formats) setProp(input, "checked", each === format);
      const megabytes = Math.max(1, Math.round(downloadBytes(state.story, format) / 1e6));
      setText(button, `Download ${NAMES[format]}`);
      setText(
        about,
        app.canDownload
          ? `The story (${story}) as ${WHAT[format]}, about ${megabytes} MB, made here in your browser: ${app.downloadName}. The drift after it plays only here.`
          : `A browser holds at most ${spoken(MAX_DOWNLOAD_SECONDS)} of audio for a download; render this length from the command line.`,
      );
      setProp(button, "disabled", !app.canDownload || app.download !== null);
      setProp(cancel, "hidden", app.download === null);
      setProp(progress, "hidden", app.download === null);
      if (app.download) {
        bar.value = app.download.fraction;
        setText(percent, `Rendering… ${Math.floor(app.download.fraction * 100)} %`);
      }
      const presetArg = app.ownPresets.has(state.presetId) ? "your-preset.json" : app.preset.id;
      showCommand(command, commandLine(presetArg, state.seed, state.story, format));
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
