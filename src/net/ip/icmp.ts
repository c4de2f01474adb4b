/** ICMP (RFC 792): echo request/reply and destination unreachable. */
import { internetChecksum, readU16, writeU16 } from './bytes';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_UNREACHABLE = 3;
export const ICMP_ECHO_REQUEST = 8;
export const UNREACHABLE_PORT = 3;

export function buildIcmp(type: number, code: number, rest: number, body: Uint8Array): Uint8Array {
  const m = new Uint8Array(8 + body.length);
  m[0] = type;
  m[1] = code;
  m[4] = (rest >>> 24) & 0xff;
  m[5] = (rest >>> 16) & 0xff;
  m[6] = (rest >>> 8) & 0xff;
  m[7] = rest & 0xff;
  m.set(body, 8);
  writeU16(m, 2, internetChecksum(m));
  return m;
}

export interface IcmpMessage {
  type: number;
  code: number;
  /** Identifier and sequence number of echo messages. */
  id: number;
  seq: number;
  body: Uint8Array;
}

export function parseIcmp(m: Uint8Array): IcmpMessage | null {
  if (m.length < 8 || internetChecksum(m) !== 0) return null;
  return { type: m[0], code: m[1], id: readU16(m, 4), seq: readU16(m, 6), body: m.subarray(8) };
}
