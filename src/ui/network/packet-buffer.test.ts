import { describe, expect, it } from 'vitest';
import type { PacketEntry } from '../../net/monitor/packet-log.ts';
import { PacketBuffer } from './packet-buffer.ts';

const entry = (number: number, info: string): PacketEntry => ({
  number,
  micros: 1024 * number,
  channel: 1,
  rssi: -45,
  length: 40,
  protocol: '802.11',
  src: '02:82:66:00:00:00',
  dst: 'ff:ff:ff:ff:ff:ff',
  info,
});

describe('PacketBuffer', () => {
  it('keeps beacons out of the readable list and caps both lists', () => {
    const buffer = new PacketBuffer(3);
    buffer.add({
      entries: [1, 2, 3, 4].map((n) =>
        entry(n, n === 2 ? 'Probe request (wildcard)' : 'Beacon "x"'),
      ),
      dropped: 0,
      generation: 1,
    });
    expect(buffer.all.map((e) => e.number)).toEqual([2, 3, 4]);
    expect(buffer.interesting.map((e) => e.number)).toEqual([2]);
  });

  it('starts over when the network was rebuilt, so frame numbers never repeat in the list', () => {
    // What failed in e2e: the demo's world logged beacons 1 and 2 at 1024 µs, loading join.bin
    // built a new world on a new clock that logged beacons 1 and 2 at 1024 µs again, and the
    // list held both (duplicate React keys, and frames the pcap download no longer had).
    const buffer = new PacketBuffer();
    expect(
      buffer.add({
        entries: [entry(1, 'Beacon "a"'), entry(2, 'Beacon "b"')],
        dropped: 0,
        generation: 1,
      }),
    ).toBe(true);
    expect(buffer.add({ entries: [], dropped: 0, generation: 1 })).toBe(false);
    expect(buffer.add({ entries: [], dropped: 0, generation: 2 })).toBe(true);
    expect(buffer.all).toEqual([]);
    buffer.add({
      entries: [entry(1, 'Beacon "a"'), entry(2, 'Probe request (wildcard)')],
      dropped: 5,
      generation: 2,
    });
    expect(buffer.all.map((e) => e.number)).toEqual([1, 2]);
    expect(buffer.interesting.map((e) => e.number)).toEqual([2]);
    expect(buffer.dropped).toBe(5);
    expect(buffer.add({ entries: [], dropped: 0, generation: 3 })).toBe(true);
    expect(buffer.dropped).toBe(0);
  });
});
