import { describe, expect, it } from 'vitest';
import { TICKS_PER_SECOND } from '../clock';
import { concatBytes, parseMac } from './bytes';
import { buildFrame } from './frame';
import { PcapWriter } from './pcap';
import { SwitchedSegment } from './segment';
import { SimNet } from './testing/sim-net';

describe('PcapWriter', () => {
  it('writes the nanosecond pcap header for Ethernet and one record per frame at its simulated time', () => {
    const net = new SimNet();
    const seg = new SwitchedSegment(net.clock);
    const chunks: Uint8Array[] = [];
    const pcap = new PcapWriter((c) => chunks.push(c), { epochUnixMs: 1_000_500 });
    pcap.capture(seg);
    const a = seg.attach({ receive() {} }, parseMac('02:00:00:00:00:01'));
    net.run(1.25);
    a.send(buildFrame(parseMac('ff:ff:ff:ff:ff:ff'), parseMac('02:00:00:00:00:01'), 0x0800, new Uint8Array(46)));
    const b = concatBytes(chunks);
    const v = new DataView(b.buffer);
    expect(v.getUint32(0, true)).toBe(0xa1b23c4d);
    expect([v.getUint16(4, true), v.getUint16(6, true), v.getUint32(16, true), v.getUint32(20, true)]).toEqual([2, 4, 65535, 1]);
    expect(b.length).toBe(24 + 16 + 60);
    expect(net.clock.now).toBe(1.25 * TICKS_PER_SECOND);
    expect(v.getUint32(24, true)).toBe(1001); // 1000.5 s + 1.25 s = 1001.75 s
    expect(v.getUint32(28, true)).toBe(750_000_000);
    expect([v.getUint32(32, true), v.getUint32(36, true)]).toEqual([60, 60]);
    expect(pcap.count).toBe(1);
  });
});
