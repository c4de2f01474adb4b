/** The TCP segment format (RFC 793 §3.1) with the MSS (RFC 879) and window scale (RFC 7323) options. */
import { finishChecksum, onesSum, pseudoHeaderSum, readU16, readU32, writeU16, writeU32 } from './bytes';
import { PROTO_TCP } from './ipv4';

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;

export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  /** Options: present only on segments that carried them. */
  mss?: number;
  windowScale?: number;
  data: Uint8Array;
}

export function parseTcp(src: number, dst: number, t: Uint8Array): TcpSegment | null {
  if (t.length < 20) return null;
  const offset = (t[12] >> 4) * 4;
  if (offset < 20 || offset > t.length) return null;
  if (finishChecksum(onesSum(t, 0, t.length, pseudoHeaderSum(src, dst, PROTO_TCP, t.length))) !== 0) return null;
  const seg: TcpSegment = {
    srcPort: readU16(t, 0),
    dstPort: readU16(t, 2),
    seq: readU32(t, 4),
    ack: readU32(t, 8),
    flags: t[13] & 0x3f,
    window: readU16(t, 14),
    data: t.subarray(offset),
  };
  for (let i = 20; i < offset; ) {
    const kind = t[i];
    if (kind === 0) break;
    if (kind === 1) {
      i++;
      continue;
    }
    const len = t[i + 1];
    if (len < 2 || i + len > offset) break;
    if (kind === 2 && len === 4) seg.mss = readU16(t, i + 2);
    if (kind === 3 && len === 3) seg.windowScale = Math.min(t[i + 2], 14);
    i += len;
  }
  return seg;
}

export function buildTcp(src: number, dst: number, s: TcpSegment): Uint8Array {
  const opts: number[] = [];
  if (s.mss !== undefined) opts.push(2, 4, s.mss >> 8, s.mss & 0xff);
  if (s.windowScale !== undefined) opts.push(1, 3, 3, s.windowScale);
  const header = 20 + opts.length;
  const t = new Uint8Array(header + s.data.length);
  writeU16(t, 0, s.srcPort);
  writeU16(t, 2, s.dstPort);
  writeU32(t, 4, s.seq);
  writeU32(t, 8, s.ack);
  t[12] = (header / 4) << 4;
  t[13] = s.flags;
  writeU16(t, 14, s.window);
  t.set(opts, 20);
  t.set(s.data, header);
  writeU16(t, 16, finishChecksum(onesSum(t, 0, t.length, pseudoHeaderSum(src, dst, PROTO_TCP, t.length))));
  return t;
}

/** Sequence-space comparisons modulo 2^32 (RFC 1982 style). */
export const seqLt = (a: number, b: number): boolean => ((a - b) | 0) < 0;
export const seqLe = (a: number, b: number): boolean => ((a - b) | 0) <= 0;
export const seqGt = (a: number, b: number): boolean => ((a - b) | 0) > 0;
export const seqGe = (a: number, b: number): boolean => ((a - b) | 0) >= 0;
export const seqAdd = (a: number, n: number): number => (a + n) >>> 0;
export const seqDiff = (a: number, b: number): number => (a - b) | 0;
