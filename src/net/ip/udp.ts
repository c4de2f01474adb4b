/** UDP (RFC 768) datagrams with the pseudo-header checksum. */
import { finishChecksum, onesSum, pseudoHeaderSum, readU16, writeU16 } from './bytes';
import { PROTO_UDP } from './ipv4';

export interface UdpDatagram {
  srcPort: number;
  dstPort: number;
  data: Uint8Array;
}

export function buildUdp(src: number, dst: number, srcPort: number, dstPort: number, data: Uint8Array): Uint8Array {
  const u = new Uint8Array(8 + data.length);
  writeU16(u, 0, srcPort);
  writeU16(u, 2, dstPort);
  writeU16(u, 4, u.length);
  u.set(data, 8);
  const sum = finishChecksum(onesSum(u, 0, u.length, pseudoHeaderSum(src, dst, PROTO_UDP, u.length)));
  writeU16(u, 6, sum === 0 ? 0xffff : sum);
  return u;
}

/** Null when malformed or the checksum (when present) is wrong. */
export function parseUdp(src: number, dst: number, u: Uint8Array): UdpDatagram | null {
  if (u.length < 8) return null;
  const length = readU16(u, 4);
  if (length < 8 || length > u.length) return null;
  if (readU16(u, 6) !== 0) {
    const sum = finishChecksum(onesSum(u, 0, length, pseudoHeaderSum(src, dst, PROTO_UDP, length)));
    if (sum !== 0) return null;
  }
  return { srcPort: readU16(u, 0), dstPort: readU16(u, 2), data: u.subarray(8, length) };
}
