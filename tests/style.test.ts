import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = new URL("..", import.meta.url).pathname;
const DEPCRUISE = join(ROOT, "node_modules/.bin/depcruise");
const BIOME = join(ROOT, "node_modules/.bin/biome");
const run = promisify(execFile);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|js)$/.test(name) ? [path] : [];
  });
}

/** A fresh folder holding `files` (path → text), removed after the tests. */
const folders: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "reverie-style-"));
  folders.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** Runs a tool's command line in `cwd`; a non-zero exit is an answer here, not an error. */
async function tool(bin: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd, maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** The import rules' violations in `dirs` of `cwd`, by dependency-cruiser with the project's own configuration. */
async function violations(cwd: string, dirs: string[]): Promise<{ rule: string; from: string }[]> {
  const { stdout, stderr } = await tool(
    DEPCRUISE,
    [...dirs, "--config", join(ROOT, ".dependency-cruiser.cjs"), "--output-type", "json"],
    cwd,
  );
  const report = JSON.parse(stdout || "null") as { summary: { violations: Violation[] } } | null;
  if (!report) throw new Error(`dependency-cruiser printed no report: ${stderr}`);
  return report.summary.violations
    .map((v) => ({ rule: v.rule.name, from: v.from }))
    .sort((a, b) => (a.rule + a.from).localeCompare(b.rule + b.from));
}

describe("the source", () => {
  const files = sources(new URL("../src", import.meta.url).pathname);

  it("never calls Math.random: every random value is seeded", () => {
    const offenders = files.filter((file) => /Math\.random\s*\(/.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });
});

describe("the import rules (.dependency-cruiser.cjs)", () => {
  it("hold in the real tree", async () => {
    expect(await violations(ROOT, ["src", "bench", "scripts", "tests", "bin"])).toEqual([]);
  });

  it("name each break of them in a tree laid out like the project", async () => {
    const dir = folder({
      "package.json": JSON.stringify({ name: "layout", private: true, type: "module", dependencies: { tone: "*" } }),
      "src/core/uses-engine.ts": 'import { y } from "../engine/y.ts";\nexport const x = y;\n',
      "src/engine/y.ts": 'import * as Tone from "tone";\nexport const y = Tone.now;\n',
      "src/score/sound.ts": 'import * as Tone from "tone";\nexport const t = Tone.now;\n',
      "src/score/files.ts": 'import { readFile } from "node:fs/promises";\nexport const read = readFile;\n',
      "src/score/reach.ts": 'import { y } from "../engine/y.ts";\nexport const r = y;\n',
      "src/web/disk.ts": 'import { readFileSync } from "node:fs";\nexport const z = readFileSync;\n',
      "src/web/page.ts": 'import { p } from "../pipeline/p.ts";\nexport const w = p;\n',
      "src/pipeline/p.ts": 'import { join } from "node:path";\nexport const p = join;\n',
      "src/cli/main.ts": 'import { y } from "../engine/y.ts";\nexport const m = y;\n',
      "src/dsp/a.ts": 'import { b } from "./b.ts";\nexport const a = () => b;\n',
      "src/dsp/b.ts": 'import { a } from "./a.ts";\nexport const b = () => a;\n',
      "src/dsp/lost.ts": 'import { gone } from "./gone.ts";\nexport const l = gone;\n',
    });
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
    expect(await violations(dir, ["src"])).toEqual([
      { rule: "cli-imports", from: "src/cli/main.ts" },
      { rule: "core-imports", from: "src/core/uses-engine.ts" },
      { rule: "no-circular", from: "src/dsp/a.ts" },
      { rule: "not-to-unresolvable", from: "src/dsp/lost.ts" },
      { rule: "pure-no-node", from: "src/pipeline/p.ts" },
      { rule: "pure-no-node", from: "src/score/files.ts" },
      { rule: "pure-no-node", from: "src/web/disk.ts" },
      { rule: "score-imports", from: "src/score/reach.ts" },
      { rule: "score-packages", from: "src/score/sound.ts" },
      // The page reaches Node through the pipeline, and directly.
      { rule: "web-reaches-no-node", from: "src/web/disk.ts" },
      { rule: "web-reaches-no-node", from: "src/web/page.ts" },
    ]);
  });
});

describe("Biome's Math.random rule (lint/no-math-random.grit)", () => {
  it("fires in src/ and only there, as the override in biome.json says", async () => {
    const call = "export const roll = () => Math.random();\n";
    const dir = folder({ "src/roll.ts": call, "tests/roll.ts": call });
    // The project's own configuration and rule; `includes` resolve from the folder biome.json sits in.
    mkdirSync(join(dir, "lint"));
    copyFileSync(join(ROOT, "biome.json"), join(dir, "biome.json"));
    copyFileSync(join(ROOT, "lint/no-math-random.grit"), join(dir, "lint/no-math-random.grit"));
    // Not a git checkout, so Biome has no ignore file to read.
    const { code, stdout } = await tool(BIOME, ["lint", "--vcs-enabled=false", "--reporter=github", "."], dir);
    const found = stdout
      .split("\n")
      .map((line) => /^::error title=([^,]+),file=([^,]+),/.exec(line))
      .filter((match) => match !== null)
      .map(([, title, file]) => ({ title, file: file!.slice(dir.length + 1) }));
    expect(found).toEqual([{ title: "plugin", file: "src/roll.ts" }]);
    expect(stdout).toContain("Math.random is unseeded");
    expect(code).not.toBe(0);
  });
});
