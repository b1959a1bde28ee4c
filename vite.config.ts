/**
 * The browser player: `npm run dev` serves it with hot reload, `npm start`
 * builds it into dist/ and serves the built files (nothing is fetched from
 * the network at run time: Tone.js and the presets are bundled).
 * `vite build --mode e2e` builds the page with its end-to-end test hooks
 * (src/web/test-hooks.ts); every other mode leaves them out.
 */
import { defineConfig } from "vite";

export default defineConfig({
  // Relative asset paths, so the built page works from any folder it is served from.
  base: "./",
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    // Tone.js is one large module; the page has no other chunk worth splitting.
    chunkSizeWarningLimit: 1500,
  },
  server: { port: 5173, strictPort: false },
  preview: { port: 4173, strictPort: false },
});
