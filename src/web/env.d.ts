/** What Vite puts in `import.meta.env` that the page reads (the build's `--mode`). */
interface ImportMetaEnv {
  readonly MODE: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
