/**
 * A single-producer single-consumer byte ring over shared memory.
 *
 * The worker produces (UART output) and the UI thread consumes on its animation frame, or the
 * other way round: neither side ever posts a message per byte, and neither side ever blocks.
 *
 * Layout of the region (starting at `byteOffset`, which must be 4-byte aligned):
 *
 *   Int32 [0] head     total bytes ever written  (only the producer stores it)
 *   Int32 [1] tail     total bytes ever read     (only the consumer stores it)
 *   Int32 [2] dropped  bytes the producer could not fit (only the producer stores it)
 *   Int32 [3] reserved
 *   bytes [16 .. 16 + capacity)  the data, at index (counter & (capacity - 1))
 *
 * head and tail are free-running 32-bit counters, so "used = head - tail" stays right across
 * wrap-around, and a full ring is told apart from an empty one without wasting a slot. The
 * producer publishes data by storing head with Atomics after copying the bytes (release); the
 * consumer loads head with Atomics before reading (acquire). Tail works the same way backwards.
 */

export const RING_HEADER_BYTES = 16;

const HEAD = 0;
const TAIL = 1;
const DROPPED = 2;

/** Bytes a ring of `capacity` data bytes occupies, header included. */
export function ringBytes(capacity: number): number {
  return RING_HEADER_BYTES + capacity;
}

export class ByteRing {
  readonly capacity: number;
  private readonly header: Int32Array;
  private readonly data: Uint8Array;
  private readonly mask: number;

  /**
   * View a ring inside `buffer`. Both sides construct their own `ByteRing` over the same memory;
   * the memory starts zeroed, which is an empty ring.
   */
  constructor(buffer: SharedArrayBuffer | ArrayBuffer, capacity: number, byteOffset = 0) {
    if (capacity < 2 || (capacity & (capacity - 1)) !== 0) {
      throw new RangeError(`ring capacity must be a power of two, got ${capacity}`);
    }
    if (byteOffset % 4 !== 0) throw new RangeError('ring offset must be 4-byte aligned');
    if (byteOffset + ringBytes(capacity) > buffer.byteLength) {
      throw new RangeError('ring does not fit in its buffer');
    }
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.header = new Int32Array(buffer, byteOffset, RING_HEADER_BYTES / 4);
    this.data = new Uint8Array(buffer, byteOffset + RING_HEADER_BYTES, capacity);
  }

  /** Allocate a fresh shared buffer holding exactly one ring. */
  static allocate(capacity: number): ByteRing {
    return new ByteRing(new SharedArrayBuffer(ringBytes(capacity)), capacity);
  }

  get buffer(): SharedArrayBuffer | ArrayBuffer {
    return this.header.buffer;
  }

  /** Bytes waiting to be read. */
  get available(): number {
    return (Atomics.load(this.header, HEAD) - Atomics.load(this.header, TAIL)) >>> 0;
  }

  /** Room left for the producer. */
  get free(): number {
    return this.capacity - this.available;
  }

  /** Bytes the producer had to drop because the ring was full (free-running counter). */
  get dropped(): number {
    return Atomics.load(this.header, DROPPED) >>> 0;
  }

  /**
   * Producer side: append as many of `bytes` as fit and return how many were taken. The caller
   * decides what to do with the rest (keep it for the next slice, or count it as dropped).
   */
  write(bytes: Uint8Array): number {
    const head = Atomics.load(this.header, HEAD);
    const tail = Atomics.load(this.header, TAIL);
    const free = this.capacity - ((head - tail) >>> 0);
    const n = Math.min(free, bytes.length);
    if (n === 0) return 0;
    const start = head & this.mask;
    const firstPart = Math.min(n, this.capacity - start);
    this.data.set(bytes.subarray(0, firstPart), start);
    if (n > firstPart) this.data.set(bytes.subarray(firstPart, n), 0);
    Atomics.store(this.header, HEAD, (head + n) | 0);
    return n;
  }

  /** Producer side: record bytes lost because the ring (and any backlog) was full. */
  addDropped(count: number): void {
    if (count > 0) Atomics.add(this.header, DROPPED, count);
  }

  /** Consumer side: take up to `max` bytes (all that is waiting by default). */
  read(max = this.capacity): Uint8Array {
    const head = Atomics.load(this.header, HEAD);
    const tail = Atomics.load(this.header, TAIL);
    const n = Math.min((head - tail) >>> 0, max);
    const out = new Uint8Array(n);
    if (n === 0) return out;
    const start = tail & this.mask;
    const firstPart = Math.min(n, this.capacity - start);
    out.set(this.data.subarray(start, start + firstPart), 0);
    if (n > firstPart) out.set(this.data.subarray(0, n - firstPart), firstPart);
    Atomics.store(this.header, TAIL, (tail + n) | 0);
    return out;
  }
}
