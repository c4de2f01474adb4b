import { describe, expect, it } from 'vitest';
import { ByteRing } from './ring.ts';
import { SERIAL_EVENT_BYTES, SerialEventRing, type SerialEvent } from './serial-events.ts';

describe('SerialEventRing', () => {
  it('carries line starts and baud changes through shared memory, in order', () => {
    const writer = new SerialEventRing(ByteRing.allocate(4 * SERIAL_EVENT_BYTES));
    const reader = new SerialEventRing(new ByteRing(writer.ring.buffer, writer.ring.capacity));
    const events: SerialEvent[] = [
      { kind: 'baud', uart: 0, byteIndex: 0, seconds: 0, baud: 74880 },
      { kind: 'line', uart: 1, byteIndex: 12, seconds: 0.0125 },
      { kind: 'baud', uart: 0, byteIndex: 230, seconds: 0.0238, baud: 115200 },
    ];
    for (const e of events) expect(writer.write(e)).toBe(true);
    expect(reader.read()).toEqual(events);
    expect(reader.read()).toEqual([]);
  });

  it('drops a whole record when full, never part of one', () => {
    const ring = new SerialEventRing(ByteRing.allocate(2 * SERIAL_EVENT_BYTES));
    const line = (byteIndex: number): SerialEvent => ({
      kind: 'line',
      uart: 0,
      byteIndex,
      seconds: 1,
    });
    expect(ring.write(line(1))).toBe(true);
    expect(ring.write(line(2))).toBe(true);
    expect(ring.write(line(3))).toBe(false);
    expect(ring.ring.dropped).toBe(1);
    expect(ring.read().map((e) => e.byteIndex)).toEqual([1, 2]);
    expect(ring.write(line(4))).toBe(true);
    expect(ring.read().map((e) => e.byteIndex)).toEqual([4]);
  });

  it('refuses a ring that cannot hold whole records', () => {
    expect(() => new SerialEventRing(ByteRing.allocate(16))).toThrow(/whole records/);
  });
});
