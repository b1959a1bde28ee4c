/**
 * The outside programs some tests run, each under the Vitest tag that marks
 * those tests. `npm run test:unit` leaves every tagged test out, so it runs
 * on a machine with none of them; `npm test` runs everything.
 */
export const TOOLS = [
  { name: "ffmpeg", description: "runs ffmpeg or ffprobe (an independent decoder and meter)", programs: /^ff(mpeg|probe)$/ },
  { name: "sox", description: "runs sox or soxi (an independent WAV reader)", programs: /^sox[i]?$/ },
  {
    name: "browser",
    description: "drives a headless Chromium",
    programs: /^(chromium|chromium-browser|chrome|google-chrome.*|headless_shell)$/,
  },
] as const;

export type ToolTag = (typeof TOOLS)[number]["name"];

/** The tag a program needs, if it is one of the tools (matched on its file name, any directory). */
export function toolTag(command: string): ToolTag | undefined {
  const program = command.trim().split(/\s+/)[0]!.split("/").pop()!;
  return TOOLS.find((tool) => tool.programs.test(program))?.name;
}
