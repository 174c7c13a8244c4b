/**
 * An append-at-the-end, consume-from-the-front byte buffer with amortised O(1) appends, so feeding
 * a large part one byte at a time stays linear. Memory is bounded by what the caller keeps in it.
 */
const INITIAL_CAPACITY = 64 * 1024;
const SHRINK_ABOVE = 1024 * 1024;

export class ByteBuffer {
  private buf = Buffer.allocUnsafe(INITIAL_CAPACITY);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  get capacity(): number {
    return this.buf.length;
  }

  /** A view of the unconsumed bytes; valid only until the next append or consume. */
  view(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.end + chunk.length > this.buf.length) {
      const needed = this.length + chunk.length;
      if (needed <= this.buf.length / 2) {
        this.buf.copy(this.buf, 0, this.start, this.end);
      } else {
        const grown = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2));
        this.buf.copy(grown, 0, this.start, this.end);
        this.buf = grown;
      }
      this.end = this.length;
      this.start = 0;
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }

  consume(n: number): void {
    this.start = Math.min(this.end, this.start + n);
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
      // Give back memory that a big (or hostile) part made us grab.
      if (this.buf.length > SHRINK_ABOVE) this.buf = Buffer.allocUnsafe(INITIAL_CAPACITY);
    }
  }

  clear(): void {
    this.consume(this.length);
  }
}
