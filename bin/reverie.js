#!/usr/bin/env node
// Reverie's command line. The sources are TypeScript: they are bundled in
// memory into one ES module (src/node/bundle.js), run from a data: URL (no
// file to clean up, and no variable keeps the bundle's text alive through
// the render).
import { fileURLToPath } from "node:url";
import { bundle } from "../src/node/bundle.js";

const main = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
await import(`data:text/javascript;base64,${Buffer.from(await bundle(main, "esm")).toString("base64")}`);
