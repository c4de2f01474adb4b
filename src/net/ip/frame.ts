/** Ethernet II framing (no preamble, no FCS), as every port of a segment sends and receives it. */
import { readU16, writeU16 } from './bytes';

export const ETHERNET_HEADER = 14;
/** Payload bytes an Ethernet II frame carries (the IP MTU). */
export const ETHERNET_MTU = 1500;

export function buildFrame(dst: Uint8Array, src: Uint8Array, ethertype: number, payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(ETHERNET_HEADER + payload.length);
  f.set(dst.subarray(0, 6), 0);
  f.set(src.subarray(0, 6), 6);
  writeU16(f, 12, ethertype);
  f.set(payload, ETHERNET_HEADER);
  return f;
}

export function frameEthertype(frame: Uint8Array): number {
  return readU16(frame, 12);
}
