/** Rendering plans offline for tests, through the product's own engine. */
import type * as Tone from "tone";
import type { Preset } from "../../src/score/preset.ts";
import { Random } from "../../src/core/random.ts";
import { type PlanOptions, planStory, type Plan } from "../../src/score/timeline.ts";
import { renderSpan } from "../../src/engine/offline.ts";

export const RATE = 48000;

export function plan(preset: Preset, seed: string | number = 7, options: PlanOptions = {}): Plan {
  return planStory(preset, Random.fromSeed(seed), options);
}

/** Renders story time [from, from + seconds) of a plan, planar stereo at 48 kHz. */
export function render(p: Plan, from: number, seconds: number, sampleRate = RATE): Promise<Float32Array[]> {
  return renderSpan(p, { sampleRate, startFrame: Math.round(from * sampleRate), frames: Math.round(seconds * sampleRate) });
}

/** The same preset with only the named voices. */
export function only(preset: Preset, ...names: string[]): Preset {
  return { ...preset, voices: preset.voices.filter((v) => names.includes(v.name)) };
}

/**
 * Records every native node a Tone context creates, and whether it was
 * disconnected since: what `dispose()` must do for each of them.
 */
export function trackNodes(context: Tone.BaseContext): { created: () => number; notDisconnected: () => string[] } {
  const nodes: { kind: string; node: AudioNode; disconnected: boolean }[] = [];
  // The platform's context: Tone's wrappers make their nodes there, and so do the graphs that use it directly.
  const raw = context.rawContext as unknown as object;
  const target = raw as unknown as Record<string, unknown>;
  const keys = new Set<string>();
  for (let proto = Object.getPrototypeOf(raw); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) keys.add(key);
  }
  for (const key of keys) {
    if (!key.startsWith("create") || key === "createPeriodicWave" || key === "createBuffer") continue;
    const original = target[key] as (...args: unknown[]) => AudioNode;
    if (typeof original !== "function") continue;
    target[key] = (...args: unknown[]) => {
      const node = original.apply(raw, args);
      const record = { kind: key.slice(6), node, disconnected: false };
      const disconnect = node.disconnect.bind(node) as (...a: unknown[]) => void;
      node.disconnect = ((...a: unknown[]) => {
        record.disconnected = true;
        disconnect(...a);
      }) as AudioNode["disconnect"];
      nodes.push(record);
      return node;
    };
  }
  return {
    created: () => nodes.length,
    notDisconnected: () => nodes.filter((n) => !n.disconnected).map((n) => n.kind),
  };
}
