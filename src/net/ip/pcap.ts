/**
 * A PCAP writer for Ethernet frames (LINKTYPE_ETHERNET = 1) with nanosecond timestamps
 * (magic 0xA1B23C4D), so Wireshark/tshark open a capture of a segment. Timestamps are simulated
 * time mapped onto `epochUnixMs`. It produces bytes; where they go (a file, a download) is the
 * caller's business.
 */
import { TICKS_PER_SECOND } from '../clock';
import type { SwitchedSegment } from './segment';

const MAGIC_NANOSECONDS = 0xa1b23c4d;
export const LINKTYPE_ETHERNET = 1;

export class PcapWriter {
  /** Frames written. */
  count = 0;

  constructor(
    private readonly write: (chunk: Uint8Array) => void,
    private readonly options: { epochUnixMs?: number; snaplen?: number } = {},
  ) {
    const h = new DataView(new ArrayBuffer(24));
    h.setUint32(0, MAGIC_NANOSECONDS, true);
    h.setUint16(4, 2, true); // version 2.4
    h.setUint16(6, 4, true);
    h.setInt32(8, 0, true); // thiszone
    h.setUint32(12, 0, true); // sigfigs
    h.setUint32(16, this.snaplen, true);
    h.setUint32(20, LINKTYPE_ETHERNET, true);
    write(new Uint8Array(h.buffer));
  }

  private get snaplen(): number {
    return this.options.snaplen ?? 65535;
  }

  /** Record one frame seen at simulated time `tick`. */
  frame(frame: Uint8Array, tick: number): void {
    const captured = Math.min(frame.length, this.snaplen);
    const record = new Uint8Array(16 + captured);
    const v = new DataView(record.buffer);
    const epochNs = BigInt(Math.round((this.options.epochUnixMs ?? 0) * 1e6));
    const ns = epochNs + (BigInt(Math.floor(tick)) * 1_000_000_000n) / BigInt(TICKS_PER_SECOND);
    v.setUint32(0, Number(ns / 1_000_000_000n), true);
    v.setUint32(4, Number(ns % 1_000_000_000n), true);
    v.setUint32(8, captured, true);
    v.setUint32(12, frame.length, true);
    record.set(frame.subarray(0, captured), 16);
    this.count++;
    this.write(record);
  }

  /** Record every frame put on `segment` from now on; returns the function that stops it. */
  capture(segment: SwitchedSegment): () => void {
    return segment.observe((f, tick) => this.frame(f, tick));
  }
}
