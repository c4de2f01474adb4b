/**
 * IPv4 (RFC 791): header build and parse with checksum, fragmentation on send, reassembly on
 * receive (fragments kept until complete or until the reassembly timer — 30 s — runs out).
 */
import { internetChecksum, readU16, readU32, writeU16, writeU32 } from './bytes';

export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const IPV4_HEADER = 20;
export const DEFAULT_TTL = 64;
export const LIMITED_BROADCAST = 0xffffffff;

export interface Ipv4Packet {
  src: number;
  dst: number;
  protocol: number;
  ttl: number;
  id: number;
  /** The header, options included, as received (ICMP errors quote it). */
  header: Uint8Array;
  payload: Uint8Array;
}

interface Fragment {
  offset: number;
  more: boolean;
  data: Uint8Array;
}

/** Parse one datagram; null when it is not a well-formed IPv4 packet (bad checksum included). */
export function parseIpv4Header(p: Uint8Array): (Ipv4Packet & { fragment: Fragment }) | null {
  if (p.length < IPV4_HEADER || p[0] >> 4 !== 4) return null;
  const ihl = (p[0] & 0x0f) * 4;
  const total = readU16(p, 2);
  if (ihl < IPV4_HEADER || total < ihl || total > p.length) return null;
  if (internetChecksum(p, 0, ihl) !== 0) return null;
  const flagsFrag = readU16(p, 6);
  return {
    src: readU32(p, 12),
    dst: readU32(p, 16),
    protocol: p[9],
    ttl: p[8],
    id: readU16(p, 4),
    header: p.slice(0, ihl),
    payload: p.subarray(ihl, total),
    fragment: { offset: (flagsFrag & 0x1fff) * 8, more: (flagsFrag & 0x2000) !== 0, data: p.subarray(ihl, total) },
  };
}

export interface Ipv4SendOptions {
  ttl?: number;
  dontFragment?: boolean;
}

/**
 * The datagrams that carry `payload`, fragmented to fit `mtu`. Fragment payloads are multiples of
 * 8 bytes except the last.
 */
export function buildIpv4(
  src: number,
  dst: number,
  protocol: number,
  id: number,
  payload: Uint8Array,
  mtu: number,
  options: Ipv4SendOptions = {},
): Uint8Array[] {
  const maxData = (mtu - IPV4_HEADER) & ~7;
  if (payload.length + IPV4_HEADER <= mtu || options.dontFragment) {
    return [header(src, dst, protocol, id, payload, 0, false, options)];
  }
  const out: Uint8Array[] = [];
  for (let off = 0; off < payload.length; off += maxData) {
    const part = payload.subarray(off, Math.min(payload.length, off + maxData));
    out.push(header(src, dst, protocol, id, part, off, off + part.length < payload.length, options));
  }
  return out;
}

function header(
  src: number,
  dst: number,
  protocol: number,
  id: number,
  data: Uint8Array,
  offset: number,
  more: boolean,
  options: Ipv4SendOptions,
): Uint8Array {
  const p = new Uint8Array(IPV4_HEADER + data.length);
  p[0] = 0x45;
  writeU16(p, 2, p.length);
  writeU16(p, 4, id);
  writeU16(p, 6, (options.dontFragment ? 0x4000 : 0) | (more ? 0x2000 : 0) | (offset / 8));
  p[8] = options.ttl ?? DEFAULT_TTL;
  p[9] = protocol;
  writeU32(p, 12, src);
  writeU32(p, 16, dst);
  writeU16(p, 10, internetChecksum(p, 0, IPV4_HEADER));
  p.set(data, IPV4_HEADER);
  return p;
}

/** Collects fragments by (src, dst, protocol, id) until a datagram is whole. */
export class Reassembler {
  private readonly pending = new Map<string, { started: number; parts: Fragment[]; first?: Ipv4Packet }>();

  constructor(private readonly timeoutTicks: number) {}

  /** The whole datagram once its last missing fragment arrives, else null. */
  add(packet: Ipv4Packet & { fragment: Fragment }, now: number): Ipv4Packet | null {
    const f = packet.fragment;
    if (f.offset === 0 && !f.more) return packet;
    this.expire(now);
    const key = `${packet.src}/${packet.dst}/${packet.protocol}/${packet.id}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { started: now, parts: [] };
      this.pending.set(key, entry);
    }
    // Duplicates and overlaps: the later copy of a byte wins, as in RFC 815's hole list.
    entry.parts.push({ offset: f.offset, more: f.more, data: Uint8Array.from(f.data) });
    if (f.offset === 0) entry.first = packet;
    const last = entry.parts.find((p) => !p.more);
    if (!last || !entry.first) return null;
    const total = last.offset + last.data.length;
    const sorted = [...entry.parts].sort((a, b) => a.offset - b.offset);
    let covered = 0;
    for (const p of sorted) {
      if (p.offset > covered) return null;
      covered = Math.max(covered, p.offset + p.data.length);
    }
    if (covered < total) return null;
    const payload = new Uint8Array(total);
    for (const p of entry.parts) payload.set(p.data.subarray(0, Math.max(0, total - p.offset)), p.offset);
    this.pending.delete(key);
    return { ...entry.first, payload };
  }

  private expire(now: number): void {
    for (const [k, e] of this.pending) if (now - e.started > this.timeoutTicks) this.pending.delete(k);
  }
}
