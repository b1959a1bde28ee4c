/**
 * The browser player: `npm run dev` serves it with hot reload, `npm start`
 * builds it into dist/ and serves the built files (nothing is fetched from
 * the network at run time: Tone.js and the presets are bundled).
 * `vite build --mode e2e` builds the page with its end-to-end test hooks
 * (src/web/test-hooks.ts); every other mode leaves them out.
 *
 * The built page is an installable web app that works offline: a manifest
 * (icons from `npm run icons`, in public/icons/) and a service worker made by
 * Workbox (vite-plugin-pwa) that precaches every built file, the presets and
 * the encoders' WebAssembly among them. A new version waits until every tab
 * of the old one is closed, and takes over on the next start: nothing
 * reloads a page that is playing through the night.
 */
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

/** The night sky's colour (base.css --night): the splash screen's and the system bars'. */
const NIGHT = "#07060d";

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
  plugins: [
    VitePWA({
      registerType: "prompt",
      injectRegister: "script-defer",
      manifest: {
        name: "Reverie",
        short_name: "Reverie",
        description: "A generative soundscape that follows a story, for sleep and meditation.",
        id: "./",
        start_url: "./",
        scope: "./",
        display: "standalone",
        orientation: "any",
        theme_color: NIGHT,
        background_color: NIGHT,
        icons: [
          { src: "icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
          { src: "icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
          { src: "icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
      includeAssets: ["icons/apple-touch-icon.png"],
      workbox: {
        globPatterns: ["**/*.{js,css,html,wasm,png,webmanifest}"],
        // The page's one large chunk (Tone.js and the engine) and the encoders' WebAssembly.
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        // Any address of the page (a link's settings are in its query) opens the cached page.
        navigateFallback: "index.html",
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  server: { port: 5173, strictPort: false },
  preview: { port: 4173, strictPort: false },
});
