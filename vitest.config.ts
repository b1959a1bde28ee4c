import { defineConfig } from "vitest/config";
import { TOOLS } from "./tests/helpers/tools.ts";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    setupFiles: ["src/node/node-audio.ts", "tests/helpers/tool-guard.ts"],
    // A test that runs an outside program carries its tag (the guard enforces it); `npm run test:unit` leaves them all out.
    tags: TOOLS.map(({ name, description }) => ({ name, description })),
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
