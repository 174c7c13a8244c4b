/**
 * Bounded queue between a camera connection (producer) and a consumer. `push` never blocks and
 * never grows memory: when full, the oldest item is dropped and counted, so a slow consumer sees the
 * freshest frames and the camera connection is never held up.
 */
export class FrameQueue<T> {
  private readonly items: Array<T | undefined>;
  private head = 0;
  private count = 0;
  private closed = false;
  private readonly waiters: Array<(item: T | null) => void> = [];
  private pushedTotal = 0;
  private droppedTotal = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`FrameQueue capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Items dropped because the queue was full. */
  get dropped(): number {
    return this.droppedTotal;
  }

  get pushed(): number {
    return this.pushedTotal;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Adds an item; returns false when it was ignored because the queue is closed. */
  push(item: T): boolean {
    if (this.closed) return false;
    this.pushedTotal += 1;
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter(item);
      return true;
    }
    if (this.count === this.capacity) {
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.count -= 1;
      this.droppedTotal += 1;
    }
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count += 1;
    return true;
  }

  /** The oldest item without taking it, or undefined when empty. */
  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  /** The oldest item, or undefined when empty. */
  tryTake(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count -= 1;
    return item;
  }

  /**
   * Waits for the next item. Resolves null when the signal aborts or the queue is closed and empty,
   * so a consumer loop ends without try/catch: `while ((frame = await q.take(signal)) !== null)`.
   */
  take(signal?: AbortSignal): Promise<T | null> {
    if (this.count > 0) return Promise.resolve(this.tryTake() as T);
    if (this.closed || signal?.aborted) return Promise.resolve(null);
    return new Promise<T | null>((resolve) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(settle);
        if (index !== -1) this.waiters.splice(index, 1);
        resolve(null);
      };
      const settle = (item: T | null) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(item);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(settle);
    });
  }

  async *drain(signal?: AbortSignal): AsyncGenerator<T, void, undefined> {
    for (;;) {
      const item = await this.take(signal);
      if (item === null) return;
      yield item;
    }
  }

  /** Stops accepting items; pending and future takes get null once the queue is empty. */
  close(): void {
    this.closed = true;
    if (this.count === 0) for (const waiter of this.waiters.splice(0)) waiter(null);
  }
}
