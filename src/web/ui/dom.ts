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

/**
 * Sets an attribute (null removes it) where it differs. The page shows its
 * state again every second while it plays, and a write of the same value is
 * still a change of the DOM: the element's style is worked out again.
 */
export function setAttr(element: Element, name: string, value: string | null): void {
  if (element.getAttribute(name) === value) return;
  if (value === null) element.removeAttribute(name);
  else element.setAttribute(name, value);
}

/** Sets an element's property (hidden, disabled, checked, value) where it differs, for the same reason. */
export function setProp<E extends HTMLElement, K extends keyof E>(element: E, key: K, value: E[K]): void {
  if (element[key] !== value) element[key] = value;
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
