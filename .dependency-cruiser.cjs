/**
 * Reverie's folders, by purity, and what each may import (`npm run lint`).
 *
 *   core      randomness, units, durations, frame sizes       imports nothing
 *   dsp       BS.1770 filters, gating, true peak, limiter     core
 *   score     presets, timeline, controls, events, loudness   core, dsp
 *   synth     the voices' samples, in plain TypeScript        core, dsp, score
 *   engine    Tone.js graphs: kit, voices, soundscape, spans  core, dsp, score, synth, tone
 *   pipeline  probe and mastering, WAV and Ogg bytes          core, dsp, score
 *   node      worker pool, files, encoders, platform shims    all of the above, Node
 *   compose   stories into presets                            core, dsp, score, sentiment
 *   web       the browser player                              core … pipeline, compose, tone, encoders
 *   cli       the command line                                core, dsp, score, pipeline, node, compose
 *
 * The command line's own process never loads the audio engine (its workers
 * do): cli may not import engine or tone. Nothing the page imports reaches a
 * Node built-in.
 */
const folders = ["core", "dsp", "score", "synth", "engine", "pipeline", "node", "compose", "web", "cli"];
const allowed = {
  core: [],
  dsp: ["core"],
  score: ["core", "dsp"],
  synth: ["core", "dsp", "score"],
  engine: ["core", "dsp", "score", "synth"],
  pipeline: ["core", "dsp", "score"],
  node: ["core", "dsp", "score", "synth", "engine", "pipeline"],
  compose: ["core", "dsp", "score"],
  web: ["core", "dsp", "score", "synth", "engine", "pipeline", "compose"],
  cli: ["core", "dsp", "score", "pipeline", "node", "compose"],
};
const packages = {
  core: [],
  dsp: [],
  score: [],
  synth: [],
  engine: ["tone"],
  pipeline: [],
  node: ["node-web-audio-api", "wasm-media-encoders", "esbuild"],
  compose: ["sentiment"],
  web: ["tone", "standardized-audio-context", "wasm-media-encoders"],
  cli: [],
};
const pure = ["core", "dsp", "score", "synth", "engine", "pipeline", "compose", "web"];

const folderRules = folders.map((folder) => ({
  name: `${folder}-imports`,
  comment: `src/${folder} may import only ${allowed[folder].length ? allowed[folder].join(", ") : "itself"}`,
  severity: "error",
  from: { path: `^src/${folder}/` },
  to: { path: "^src/", pathNot: [`^src/(${[folder, ...allowed[folder]].join("|")})/`] },
}));

const packageRules = folders.map((folder) => ({
  name: `${folder}-packages`,
  comment: `src/${folder} may import the packages ${packages[folder].length ? packages[folder].join(", ") : "none"}`,
  severity: "error",
  from: { path: `^src/${folder}/` },
  to: {
    dependencyTypes: ["npm", "npm-dev", "npm-optional", "npm-peer", "npm-no-pkg", "npm-unknown"],
    ...(packages[folder].length ? { pathNot: [`node_modules/(${packages[folder].join("|")})/`] } : {}),
  },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No module reaches itself through its imports.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "pure-no-node",
      comment: "Only src/node and src/cli use Node's built-in modules: the rest runs in the page too.",
      severity: "error",
      from: { path: `^src/(${pure.join("|")})/` },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "web-reaches-no-node",
      comment: "Nothing the page imports reaches a Node built-in, however indirectly.",
      severity: "error",
      from: { path: "^src/web/" },
      to: { path: "^(node:)?(assert|buffer|child_process|crypto|events|fs|module|net|os|path|process|stream|url|util|v8|vm|worker_threads)(/|$)", reachable: true },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
    ...folderRules,
    ...packageRules,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
