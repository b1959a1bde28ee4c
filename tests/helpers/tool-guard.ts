/**
 * A setup file (vitest.config.ts): a test that starts one of the tools in
 * tools.ts must carry the tool's tag, or the program is not started and the
 * test fails, in `npm test` too. So the unit run's filter cannot drift from
 * what the tests really need: a new ffmpeg check left untagged fails at once,
 * rather than breaking `npm run test:unit` later on a machine without ffmpeg.
 *
 * A test's tags include its describe blocks' and its file's (`// @module-tag`);
 * a hook outside a test counts the file's tags only.
 */
import childProcess from "node:child_process";
import { syncBuiltinESMExports } from "node:module";
import { promisify } from "node:util";
import { afterEach, beforeAll, beforeEach } from "vitest";
import { toolTag } from "./tools.ts";

const LAUNCHERS = ["spawn", "spawnSync", "execFile", "execFileSync", "exec", "execSync"] as const;
type Launcher = (command: string, ...rest: unknown[]) => unknown;

// The originals outlive this module: Vitest may run several files in one process, each loading it afresh.
const ORIGINALS = Symbol.for("reverie.tool-guard.originals");
const holder = childProcess as unknown as Record<string | symbol, unknown>;
holder[ORIGINALS] ??= Object.fromEntries(LAUNCHERS.map((name) => [name, holder[name]]));
const originals = holder[ORIGINALS] as Record<(typeof LAUNCHERS)[number], Launcher>;

let fileTags: readonly string[] = [];
let testTags: readonly string[] | undefined;

// biome-ignore lint/correctness/noEmptyPattern: Vitest reads the first argument as fixtures and wants a pattern; the file is the second.
beforeAll(({}, file) => {
  fileTags = file.tags ?? [];
});
beforeEach((context) => {
  testTags = context.task.tags ?? [];
});
afterEach(() => {
  testTags = undefined;
});

function check(command: unknown): void {
  const tag = typeof command === "string" ? toolTag(command) : undefined;
  if (tag && !(testTags ?? fileTags).includes(tag)) {
    throw new Error(
      `this test runs ${command} but is not tagged "${tag}": add { tags: ["${tag}"] } to it (or its describe), ` +
        `or \`// @module-tag ${tag}\` to its file, so that npm run test:unit leaves it out`,
    );
  }
}

for (const name of LAUNCHERS) {
  const original = originals[name] as Launcher & { [promisify.custom]?: Launcher };
  const guarded: Launcher & { [promisify.custom]?: Launcher } = (command, ...rest) => {
    check(command);
    return original(command, ...rest);
  };
  // exec and execFile promisify to { stdout, stderr } through their own custom form: keep it, guarded too.
  const custom = original[promisify.custom];
  if (custom) {
    guarded[promisify.custom] = (command, ...rest) => {
      check(command);
      return custom(command, ...rest);
    };
  }
  holder[name] = guarded;
}
syncBuiltinESMExports();
