/**
 * Bundles `entry` and all it imports into one script, as text: an ES module
 * ("esm", run from a data: URL) or a CommonJS script ("cjs", run by `node -`).
 */
export function bundle(entry: string, format: "esm" | "cjs"): Promise<string>;
