/**
 * A steady tick that a background tab does not starve. A hidden page's own
 * timers are throttled (down to once a minute in Chrome), but a dedicated
 * worker's are not, so the tick is posted from one; where workers are not
 * available, a plain interval (an audible tab is not throttled either).
 */
const WORKER_SOURCE = "let id; onmessage = (e) => { clearInterval(id); id = setInterval(() => postMessage(0), e.data); };";

export interface Heartbeat {
  stop(): void;
}

/** Calls `onTick` every `intervalMs` milliseconds until stopped. */
export function startHeartbeat(onTick: () => void, intervalMs: number): Heartbeat {
  let url: string | undefined;
  try {
    url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
    const worker = new Worker(url);
    worker.onmessage = () => onTick();
    worker.postMessage(intervalMs);
    const created = url;
    return {
      stop() {
        worker.terminate();
        URL.revokeObjectURL(created);
      },
    };
  } catch {
    if (url) URL.revokeObjectURL(url);
    const id = setInterval(onTick, intervalMs);
    return { stop: () => clearInterval(id) };
  }
}
