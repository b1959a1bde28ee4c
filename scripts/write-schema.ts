// Writes presets/schema.json from the schema the validator uses (`npm run schema`).
import { writeFileSync } from "node:fs";
import { PRESET_SCHEMA } from "../src/score/schema.ts";

const path = new URL("../presets/schema.json", import.meta.url);
writeFileSync(path, `${JSON.stringify(PRESET_SCHEMA, null, 2)}\n`);
process.stdout.write(`wrote ${path.pathname}\n`);
