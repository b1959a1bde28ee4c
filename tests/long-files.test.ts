/**
 * Beyond 4 GiB a WAV header cannot hold the sizes, and the render path
 * writes RF64 (EBU Tech 3306) by itself. Rendering 4 GiB in a test is too
 * long, so the writer's threshold is lowered for the render (the option
 * exists for tests); everything else is the command line's own path.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderToFile } from "../src/node/render-file.ts";
import { readWavFile } from "../src/node/wav-file.ts";
import { parseWavHeader } from "../src/pipeline/wav.ts";
import { tempDir } from "./helpers/cli.ts";
import { loadPresetFile } from "./helpers/presets.ts";
import { plan, RATE } from "./helpers/render.ts";

describe("a render too big for a WAV header", { tags: ["ffmpeg", "sox"] }, () => {
  it("is written as RF64 with a ds64 chunk, which ffmpeg and sox read back whole", async () => {
    const dir = tempDir();
    const story = plan(loadPresetFile("dream"), 9, { story: 40, total: 40 });
    const big = join(dir, "big.wav");
    const small = join(dir, "small.wav");
    await renderToFile(story, { out: big, sampleRate: RATE, format: "pcm16", rf64Threshold: 1 << 20 });
    await renderToFile(story, { out: small, sampleRate: RATE, format: "pcm16" });

    const bytes = readFileSync(big);
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("RF64");
    expect(bytes.subarray(12, 16).toString("latin1")).toBe("ds64");
    expect(parseWavHeader(bytes, "big.wav")).toMatchObject({ frames: 40 * RATE, channels: 2 });
    expect(readFileSync(small).subarray(0, 4).toString("latin1")).toBe("RIFF");

    const ffprobe = spawnSync(
      "ffprobe",
      ["-v", "error", "-show_entries", "stream=duration_ts,channels,sample_rate", "-of", "csv=p=0", big],
      { encoding: "utf8" },
    );
    expect(ffprobe.stdout.trim()).toBe(`${RATE},2,${40 * RATE}`);
    const sox = spawnSync("soxi", ["-s", big], { encoding: "utf8" });
    expect(sox.stdout.trim()).toBe(String(40 * RATE));

    // The same samples as the plain WAV of the same render.
    const [a, b] = [await readWavFile(big), await readWavFile(small)];
    expect(Buffer.from(a.data[0].buffer).equals(Buffer.from(b.data[0].buffer))).toBe(true);
  });
});
