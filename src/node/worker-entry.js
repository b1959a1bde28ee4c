// Entry of a render worker process: Node loads plain JavaScript here, then the
// TypeScript worker through tsx, as bin/reverie.js does for the command line.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
