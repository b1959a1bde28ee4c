#!/usr/bin/env node
// Reverie's command line. The sources are TypeScript: esbuild bundles them
// in memory into one ES module, run from a data: URL (no file to clean up).
// Loaded through tsx instead, the process carries tsx's loader thread (a V8
// isolate of its own) for the whole render: measured idle, the main thread
// with the render modules loaded takes 89 MB through tsx, 67 MB bundled.
// Without esbuild (it comes with tsx), the sources load through tsx.
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const main = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
const sources = fileURLToPath(new URL("../src/", import.meta.url));

/** The command line's modules in one ES module, or undefined if esbuild is missing. */
async function bundle() {
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    return undefined;
  }
  const result = await esbuild.build({
    entryPoints: [main],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
    logLevel: "silent",
    // Without comments the text is ASCII, kept by V8 at one byte a character (795 kB against 2.4 MB).
    minifyWhitespace: true,
    plugins: [
      {
        name: "reverie-cli",
        setup(build) {
          // Packages with files of their own (esbuild's binary, the encoders' WebAssembly) stay where they are installed.
          build.onResolve({ filter: /^(esbuild|wasm-media-encoders)$/ }, (args) => ({
            path: pathToFileURL(require.resolve(args.path)).href,
            external: true,
          }));
          build.onResolve({ filter: /^\/.*\.cjs$/ }, (args) => ({ path: args.path, external: true }));
          // A module finds its neighbours (presets, the worker's sources) from its own URL, not the bundle's.
          build.onLoad({ filter: /\.ts$/ }, async (args) => {
            if (!args.path.startsWith(sources)) return undefined;
            const text = await readFile(args.path, "utf8");
            return { contents: text.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)), loader: "ts" };
          });
        },
      },
    ],
  });
  // esbuild keeps a service process for the next build: the render's own worker bundle starts it again.
  await esbuild.stop();
  return result.outputFiles[0].text;
}

/** The bundle as a data: URL (no variable keeps the bundle's text alive through the render). */
const url = await bundle().then(
  (code) => code && `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`,
  () => undefined,
);
if (url) {
  await import(url);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
