/** What Vite puts in `import.meta.env` that the page reads (the build's `--mode`). */
interface ImportMetaEnv {
  readonly MODE: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

/** A script Vite builds on its own (a worker's, or an audio worklet's): its URL. */
declare module "*?worker&url" {
  const url: string;
  export default url;
}
