/** A FIFO of bytes kept as the chunks they were written in: TCP's send buffer. */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  /** Bytes already dropped from the first chunk. */
  private head = 0;
  length = 0;

  push(data: Uint8Array): void {
    if (!data.length) return;
    this.chunks.push(data);
    this.length += data.length;
  }

  /** Forget the first `n` bytes. */
  drop(n: number): void {
    n = Math.min(n, this.length);
    this.length -= n;
    while (n > 0) {
      const first = this.chunks[0];
      const left = first.length - this.head;
      if (n < left) {
        this.head += n;
        return;
      }
      n -= left;
      this.chunks.shift();
      this.head = 0;
    }
  }

  /** A copy of `n` bytes starting `offset` bytes into the queue. */
  read(offset: number, n: number): Uint8Array {
    n = Math.max(0, Math.min(n, this.length - offset));
    const out = new Uint8Array(n);
    let skip = offset + this.head;
    let o = 0;
    for (const c of this.chunks) {
      if (o >= n) break;
      if (skip >= c.length) {
        skip -= c.length;
        continue;
      }
      const take = Math.min(c.length - skip, n - o);
      out.set(c.subarray(skip, skip + take), o);
      o += take;
      skip = 0;
    }
    return out;
  }
}
