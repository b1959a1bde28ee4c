/** The masthead's title (and the tab's) and the notice above the story: a bad link, the sleep timer's end. */
import { byId, type Part, setProp, setText, type UiContext } from "./dom.ts";

export function bindNotice({ app, signal }: UiContext): Part {
  const title = byId("title");
  const notice = byId("notice");
  const text = byId("notice-text");
  byId<HTMLButtonElement>("notice-close").addEventListener("click", () => app.dismissNotice(), { signal });
  return {
    update() {
      setText(title, app.preset.title);
      const tab = `${app.preset.title} · Reverie`;
      if (document.title !== tab) document.title = tab;
      setProp(notice, "hidden", app.notice === null);
      setText(text, app.notice ?? "");
    },
  };
}
