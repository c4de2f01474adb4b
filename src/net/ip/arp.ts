/**
 * ARP for IPv4 over Ethernet (RFC 826): the packet, and a cache whose entries expire, with
 * resolution that queues packets for an address until its reply arrives (retried, then dropped,
 * as hosts do: TCP's retransmission takes it from there).
 */
import { readU16, readU32, writeU16, writeU32 } from './bytes';

export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;

export interface ArpPacket {
  op: number;
  senderMac: Uint8Array;
  senderIp: number;
  targetMac: Uint8Array;
  targetIp: number;
}

export function parseArp(p: Uint8Array): ArpPacket | null {
  // Hardware type 1 (Ethernet), protocol 0x0800, lengths 6 and 4.
  if (p.length < 28 || readU16(p, 0) !== 1 || readU16(p, 2) !== 0x0800 || p[4] !== 6 || p[5] !== 4) {
    return null;
  }
  return {
    op: readU16(p, 6),
    senderMac: p.slice(8, 14),
    senderIp: readU32(p, 14),
    targetMac: p.slice(18, 24),
    targetIp: readU32(p, 24),
  };
}

export function buildArp(a: ArpPacket): Uint8Array {
  const p = new Uint8Array(28);
  writeU16(p, 0, 1);
  writeU16(p, 2, 0x0800);
  p[4] = 6;
  p[5] = 4;
  writeU16(p, 6, a.op);
  p.set(a.senderMac, 8);
  writeU32(p, 14, a.senderIp);
  p.set(a.targetMac, 18);
  writeU32(p, 24, a.targetIp);
  return p;
}

export class ArpCache {
  private readonly entries = new Map<number, { mac: Uint8Array; expires: number }>();

  constructor(private readonly lifetimeTicks: number) {}

  lookup(ip: number, now: number): Uint8Array | undefined {
    const e = this.entries.get(ip);
    if (!e) return undefined;
    if (now >= e.expires) {
      this.entries.delete(ip);
      return undefined;
    }
    return e.mac;
  }

  has(ip: number, now: number): boolean {
    return this.lookup(ip, now) !== undefined;
  }

  set(ip: number, mac: Uint8Array, now: number): void {
    this.entries.set(ip, { mac: Uint8Array.from(mac), expires: now + this.lifetimeTicks });
  }

  delete(ip: number): void {
    this.entries.delete(ip);
  }
}
