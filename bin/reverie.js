#!/usr/bin/env node
// Reverie's command line. The sources are TypeScript, loaded through tsx.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
