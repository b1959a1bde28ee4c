// The one esbuild configuration: the command line (bin/reverie.js) and each
// render worker (pool.ts) run their TypeScript as one script, bundled in
// memory. Plain JavaScript, so that bin/reverie.js can load it before any
// TypeScript can run. A bundle loads in a fraction of the memory tsx takes:
// tsx's loader thread is a V8 isolate of its own for the whole process
// (measured idle, the command line's main thread takes 89 MB through tsx,
// 67 MB bundled; a worker a third of what it takes through tsx).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const sources = fileURLToPath(new URL("../", import.meta.url));
/** Packages with files of their own (esbuild's binary, the encoders' WebAssembly, the native engine): used where installed. */
const INSTALLED = /^(esbuild|wasm-media-encoders|node-web-audio-api)$/;

/**
 * Bundles `entry` and all it imports into one script, as text.
 * @param {string} entry - the entry module's path.
 * @param {"esm" | "cjs"} format - an ES module (run from a data: URL) or a CommonJS script (run by `node -`).
 * @returns {Promise<string>}
 */
export async function bundle(entry, format) {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format,
    platform: "node",
    target: "node20",
    write: false,
    logLevel: "silent",
    // Without comments the text is ASCII, which V8 keeps at one byte a character: less than half the memory.
    minifyWhitespace: true,
    plugins: [
      {
        name: "reverie",
        setup(build) {
          build.onResolve({ filter: INSTALLED }, (args) => {
            const path = require.resolve(args.path);
            return { path: format === "esm" ? pathToFileURL(path).href : path, external: true };
          });
          build.onResolve({ filter: /^\/.*\.cjs$/ }, (args) => ({ path: args.path, external: true }));
          // A module finds its neighbours (presets, the worker's sources) from its own URL, not the bundle's.
          build.onLoad({ filter: /\.[jt]s$/ }, async (args) => {
            if (!args.path.startsWith(sources)) return undefined;
            const text = await readFile(args.path, "utf8");
            const contents = text.replace(/import\.meta\.url/g, JSON.stringify(pathToFileURL(args.path).href));
            return { contents, loader: args.path.endsWith(".ts") ? "ts" : "js" };
          });
        },
      },
    ],
  });
  // esbuild keeps a service process for the next build, and it holds memory: the next bundle starts it again.
  await esbuild.stop();
  return result.outputFiles[0].text;
}
