/**
 * The memory of a command and all its processes (the render's workers), as
 * the benchmarks measure it, from /proc.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/**
 * Memory of a process and all its descendants (the render's workers), in
 * bytes, from /proc: RSS summed, which counts pages the processes share (the
 * node binary's code, about 38 MB) once per process, and PSS summed, which
 * shares them out, so counts them once in all: what the render takes from
 * the machine.
 */
export function treeMemory(pid: number): { rss: number; pss: number } {
  const total = { rss: 0, pss: 0 };
  const visit = (id: number) => {
    try {
      const rollup = readFileSync(`/proc/${id}/smaps_rollup`, "utf8");
      total.rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) * 1024;
      total.pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) * 1024;
      for (const task of readdirSync(`/proc/${id}/task`)) {
        const children = readFileSync(`/proc/${id}/task/${task}/children`, "utf8").trim();
        for (const child of children.split(/\s+/).filter(Boolean)) visit(Number(child));
      }
    } catch {
      // The process ended between two reads.
    }
  };
  visit(pid);
  return total;
}

export interface Measured {
  seconds: number;
  /** Peak RSS of the process tree, summed, in bytes. */
  rss: number;
  /** Peak PSS of the process tree, summed, in bytes. */
  pss: number;
  stderr: string;
}

/**
 * Runs a command, sampling the memory of its process tree every `every` ms
 * (default 50); resolves with wall seconds and peaks. `onSample` sees each
 * sample, with the seconds since the start.
 */
export function measure(
  command: string,
  commandArgs: string[],
  every = 50,
  onSample?: (seconds: number, memory: { rss: number; pss: number }) => void,
): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, commandArgs, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let rss = 0;
    let pss = 0;
    const sampler = setInterval(() => {
      const now = treeMemory(child.pid!);
      rss = Math.max(rss, now.rss);
      pss = Math.max(pss, now.pss);
      onSample?.((performance.now() - started) / 1000, now);
    }, every);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) reject(new Error(`${command} ${commandArgs.join(" ")} exited with ${code}: ${stderr}`));
      else resolve({ seconds, rss, pss, stderr });
    });
  });
}
