/**
 * The limiter's look-ahead statistics, updated once a frame: a sliding
 * minimum and a moving average. Both keep their values in rings indexed
 * without division (an integer modulo costs tens of cycles, several a frame
 * while the limiter works).
 */

/** Sliding minimum of a value per frame over the last `window` frames: a monotonic deque in a ring. */
export class SlidingMinimum {
  private readonly frames: Float64Array;
  private readonly values: Float64Array;
  private readonly size: number;
  private head = 0;
  private length = 0;

  constructor(private readonly window: number) {
    this.size = window + 1;
    this.frames = new Float64Array(this.size);
    this.values = new Float64Array(this.size);
  }

  /** Adds `value` at `frame` and returns the minimum over frames `frame - window + 1 … frame`. */
  push(frame: number, value: number): number {
    const { frames, values, size } = this;
    // head and length are each below size, so one subtraction wraps an index.
    let last = this.head + this.length - 1;
    if (last >= size) last -= size;
    while (this.length > 0 && values[last] >= value) {
      this.length--;
      last = last === 0 ? size - 1 : last - 1;
    }
    let tail = this.head + this.length;
    if (tail >= size) tail -= size;
    frames[tail] = frame;
    values[tail] = value;
    this.length++;
    if (frames[this.head] <= frame - this.window) {
      this.head = this.head + 1 === size ? 0 : this.head + 1;
      this.length--;
    }
    return values[this.head];
  }

  /** Whether the minimum is exactly 1, held by a single entry. */
  resting(): boolean {
    return this.length === 1 && this.values[this.head] === 1;
  }

  /** Moves the resting entry to `frame`, as if every frame up to it had been pushed with 1. */
  restAt(frame: number): void {
    this.frames[this.head] = frame;
  }
}

/** A moving average over `size` frames; exactly 1 while it holds only 1s (a counter, not the rounding of a running sum). */
export class MovingAverage {
  private readonly held: Float64Array;
  private sum: number;
  private notOne = 0;
  /** The slot and index the next push is expected at: pushes come one frame after another, but for the frames skipped at rest. */
  private slot = 0;
  private next = 0;

  constructor(private readonly size: number) {
    this.held = new Float64Array(size).fill(1);
    this.sum = size;
  }

  /** Puts `value` in slot `j` (mod size), dropping the value there, and returns the mean. */
  push(j: number, value: number): number {
    const size = this.size;
    const slot = j === this.next ? this.slot : ((j % size) + size) % size;
    this.next = j + 1;
    this.slot = slot + 1 === size ? 0 : slot + 1;
    const out = this.held[slot];
    if (out !== 1) this.notOne--;
    if (value !== 1) this.notOne++;
    this.held[slot] = value;
    this.sum = this.notOne === 0 ? size : this.sum - out + value;
    return this.notOne === 0 ? 1 : this.sum / size;
  }

  resting(): boolean {
    return this.notOne === 0;
  }
}
