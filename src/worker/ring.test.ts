import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { ByteRing, RING_HEADER_BYTES, ringBytes } from './ring.ts';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('ByteRing', () => {
  it('starts empty and reads back what was written, in order', () => {
    const ring = ByteRing.allocate(8);
    expect(ring.available).toBe(0);
    expect(ring.free).toBe(8);
    expect(ring.write(bytes(1, 2, 3))).toBe(3);
    expect(ring.available).toBe(3);
    expect([...ring.read()]).toEqual([1, 2, 3]);
    expect(ring.available).toBe(0);
    expect(ring.read().length).toBe(0);
  });

  it('takes only what fits and tells the producer how much', () => {
    const ring = ByteRing.allocate(4);
    expect(ring.write(bytes(1, 2, 3, 4, 5, 6))).toBe(4);
    expect(ring.free).toBe(0);
    expect(ring.write(bytes(7))).toBe(0);
    expect([...ring.read()]).toEqual([1, 2, 3, 4]);
  });

  it('wraps around the end of the data area', () => {
    const ring = ByteRing.allocate(4);
    ring.write(bytes(1, 2, 3));
    expect([...ring.read(2)]).toEqual([1, 2]);
    expect(ring.write(bytes(4, 5, 6))).toBe(3); // lands at indexes 3, 0, 1
    expect([...ring.read()]).toEqual([3, 4, 5, 6]);
  });

  it('keeps working when the free-running counters pass 2^31 and 2^32', () => {
    const buffer = new SharedArrayBuffer(ringBytes(8));
    const header = new Int32Array(buffer, 0, 4);
    header[0] = 0x7ffffffe; // head
    header[1] = 0x7ffffffe; // tail
    const ring = new ByteRing(buffer, 8);
    for (let round = 0; round < 3; round++) {
      expect(ring.write(bytes(round, 10, 20, 30, 40))).toBe(5);
      expect(ring.available).toBe(5);
      expect([...ring.read()]).toEqual([round, 10, 20, 30, 40]);
    }
    header[0] = -2; // 0xfffffffe: the next writes cross 2^32
    header[1] = -2;
    expect(ring.write(bytes(9, 8, 7))).toBe(3);
    expect(ring.available).toBe(3);
    expect([...ring.read()]).toEqual([9, 8, 7]);
  });

  it('counts dropped bytes for the consumer to report', () => {
    const ring = ByteRing.allocate(4);
    ring.addDropped(3);
    ring.addDropped(0);
    expect(ring.dropped).toBe(3);
  });

  it('can live at an offset inside a bigger buffer, next to other rings', () => {
    const buffer = new SharedArrayBuffer(2 * ringBytes(8));
    const a = new ByteRing(buffer, 8, 0);
    const b = new ByteRing(buffer, 8, ringBytes(8));
    a.write(bytes(1, 1));
    b.write(bytes(2, 2, 2));
    expect([...a.read()]).toEqual([1, 1]);
    expect([...b.read()]).toEqual([2, 2, 2]);
  });

  it('rejects capacities that are not powers of two and regions that do not fit', () => {
    expect(() => ByteRing.allocate(6)).toThrow(RangeError);
    expect(() => new ByteRing(new SharedArrayBuffer(RING_HEADER_BYTES + 4), 8)).toThrow(RangeError);
    expect(() => new ByteRing(new SharedArrayBuffer(64), 8, 2)).toThrow(RangeError);
  });

  it('carries a long stream intact from another thread', async () => {
    const capacity = 64;
    const ring = ByteRing.allocate(capacity);
    const total = 200_000;
    // The producer in the other thread writes i & 0xff for i = 0..total-1 as fast as the ring
    // lets it; the consumer here must see exactly that sequence, with nothing lost or repeated.
    const producerSource = `
      const { workerData } = require('node:worker_threads');
      const { buffer, capacity, total } = workerData;
      const header = new Int32Array(buffer, 0, 4);
      const data = new Uint8Array(buffer, 16, capacity);
      let next = 0;
      while (next < total) {
        const head = Atomics.load(header, 0);
        const tail = Atomics.load(header, 1);
        const free = capacity - ((head - tail) >>> 0);
        const n = Math.min(free, total - next, 7);
        for (let k = 0; k < n; k++) data[(head + k) & (capacity - 1)] = (next + k) & 0xff;
        Atomics.store(header, 0, (head + n) | 0);
        next += n;
      }
    `;
    const worker = new Worker(producerSource, {
      eval: true,
      workerData: { buffer: ring.buffer, capacity, total },
    });
    let received = 0;
    let mismatches = 0;
    const deadline = Date.now() + 20_000;
    while (received < total && Date.now() < deadline) {
      const chunk = ring.read();
      for (const b of chunk) if (b !== (received++ & 0xff)) mismatches++;
      if (chunk.length === 0) await new Promise((r) => setImmediate(r));
    }
    await worker.terminate();
    expect(received).toBe(total);
    expect(mismatches).toBe(0);
  });
});
