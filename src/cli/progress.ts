/** A progress bar on a terminal: audio time rendered, speed and time left. Silent when not a TTY. */
import { formatDuration } from "../core/duration.ts";

export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream, wanted: boolean): Progress {
  if (!wanted || !stream.isTTY) return { update() {}, done() {} };
  const started = performance.now();
  let drawn = false;
  return {
    update(done, total) {
      const elapsed = (performance.now() - started) / 1000;
      const speed = elapsed > 0 ? done / elapsed : 0;
      const eta = speed > 0 ? (total - done) / speed : 0;
      const width = 28;
      const filled = Math.round((done / total) * width);
      stream.write(
        `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${formatDuration(done)} / ${formatDuration(total)}` +
          `  ${speed.toFixed(1)}× realtime  ${formatDuration(eta)} left  `,
      );
      drawn = true;
    },
    done() {
      if (drawn) stream.write("\n");
      drawn = false;
    },
  };
}
