import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|js)$/.test(name) ? [path] : [];
  });
}

describe("the source", () => {
  const files = sources(new URL("../src", import.meta.url).pathname);

  it("never calls Math.random: every random value is seeded", () => {
    const offenders = files.filter((file) => /Math\.random\s*\(/.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("keeps the score free of Tone.js and of the file system", () => {
    const score = files.filter((file) => file.includes("/src/score/"));
    expect(score.length).toBeGreaterThan(5);
    for (const file of score) expect(readFileSync(file, "utf8"), file).not.toMatch(/from "(tone|node:fs)"/);
  });
});
