/** What every part of the page shares: the app it shows, and a few DOM helpers. */
import type { App } from "../app.ts";

/** What a part of the page is bound with. */
export interface UiContext {
  app: App;
  /** Aborted when the page is unbound: every listener is added with it. */
  signal: AbortSignal;
  /** Shows the whole page again (for a change the app does not announce). */
  refresh: () => void;
}

/** A part of the page: `update` shows the app's state, touching the DOM only where something changed. */
export interface Part {
  update(): void;
  dispose?(): void;
}

/** The element of index.html with this id; throws when there is none. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`index.html has no #${id}`);
  return element as T;
}

export function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** Adds a radio chip (a label around a radio input) and returns the input. */
export function chip(group: HTMLElement, name: string, text: string, value: string): HTMLInputElement {
  const label = document.createElement("label");
  label.className = "chip";
  const input = document.createElement("input");
  input.type = "radio";
  input.name = name;
  input.value = value;
  const span = document.createElement("span");
  span.textContent = text;
  label.append(input, span);
  group.append(label);
  return input;
}
