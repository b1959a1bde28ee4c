// Fails when a source file in src/ is over 400 lines: past that a file holds more than one idea.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const LIMIT = 400;
const root = new URL("../src", import.meta.url).pathname;
const files = readdirSync(root, { recursive: true })
  .map((name) => join(root, String(name)))
  .filter((path) => /\.(ts|js|css)$/.test(path));
const long = files.map((path) => ({ path, lines: readFileSync(path, "utf8").split("\n").length - 1 })).filter((file) => file.lines > LIMIT);
for (const file of long) console.error(`${file.path.slice(root.length - 3)}: ${file.lines} lines, over ${LIMIT}`);
if (long.length > 0) process.exit(1);
console.log(`✔ every file in src/ is at most ${LIMIT} lines (${files.length} files)`);
