/** The DHCP message (RFC 2131 §2) and its options (RFC 2132). */
import { readU16, readU32, writeU16, writeU32 } from './bytes';

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
const MAGIC_COOKIE = 0x63825363;
const FIXED_PART = 236;

export const enum DhcpType {
  Discover = 1,
  Offer = 2,
  Request = 3,
  Decline = 4,
  Ack = 5,
  Nak = 6,
  Release = 7,
  Inform = 8,
}

export const enum DhcpOption {
  SubnetMask = 1,
  Router = 3,
  DnsServer = 6,
  HostName = 12,
  DomainName = 15,
  BroadcastAddress = 28,
  RequestedIp = 50,
  LeaseTime = 51,
  MessageType = 53,
  ServerId = 54,
  ParameterList = 55,
  Message = 56,
  RenewalTime = 58,
  RebindingTime = 59,
  ClientId = 61,
}

export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;
export const FLAG_BROADCAST = 0x8000;

export interface DhcpMessage {
  op: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: number;
  yiaddr: number;
  siaddr: number;
  giaddr: number;
  chaddr: Uint8Array;
  options: Map<number, Uint8Array>;
}

export function parseDhcp(p: Uint8Array): DhcpMessage | null {
  if (p.length < FIXED_PART + 4 || p[1] !== 1 || p[2] !== 6 || readU32(p, FIXED_PART) !== MAGIC_COOKIE) return null;
  const options = new Map<number, Uint8Array>();
  for (let i = FIXED_PART + 4; i < p.length; ) {
    const code = p[i++];
    if (code === 255) break;
    if (code === 0) continue;
    if (i >= p.length) return null;
    const len = p[i++];
    if (i + len > p.length) return null;
    const prev = options.get(code);
    const value = p.slice(i, i + len);
    // RFC 3396: a repeated option is concatenated.
    options.set(code, prev ? Uint8Array.from([...prev, ...value]) : value);
    i += len;
  }
  return {
    op: p[0],
    xid: readU32(p, 4),
    secs: readU16(p, 8),
    flags: readU16(p, 10),
    ciaddr: readU32(p, 12),
    yiaddr: readU32(p, 16),
    siaddr: readU32(p, 20),
    giaddr: readU32(p, 24),
    chaddr: p.slice(28, 34),
    options,
  };
}

export function buildDhcp(m: DhcpMessage): Uint8Array {
  let optionBytes = 1; // END
  for (const v of m.options.values()) optionBytes += 2 + v.length;
  // BOOTP's minimum message is 300 bytes; some clients drop shorter ones.
  const p = new Uint8Array(Math.max(300, FIXED_PART + 4 + optionBytes));
  p[0] = m.op;
  p[1] = 1;
  p[2] = 6;
  writeU32(p, 4, m.xid);
  writeU16(p, 8, m.secs);
  writeU16(p, 10, m.flags);
  writeU32(p, 12, m.ciaddr);
  writeU32(p, 16, m.yiaddr);
  writeU32(p, 20, m.siaddr);
  writeU32(p, 24, m.giaddr);
  p.set(m.chaddr.subarray(0, 6), 28);
  writeU32(p, FIXED_PART, MAGIC_COOKIE);
  let o = FIXED_PART + 4;
  // Message type first, as clients expect.
  const ordered = [...m.options].sort(([a], [b]) => (a === DhcpOption.MessageType ? -1 : b === DhcpOption.MessageType ? 1 : 0));
  for (const [code, value] of ordered) {
    p[o++] = code;
    p[o++] = value.length;
    p.set(value, o);
    o += value.length;
  }
  p[o] = 255;
  return p;
}

export const optU8 = (v: number): Uint8Array => Uint8Array.of(v);
export function optU32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  writeU32(b, 0, v);
  return b;
}
export function optIps(ips: number[]): Uint8Array {
  const b = new Uint8Array(4 * ips.length);
  ips.forEach((ip, i) => writeU32(b, 4 * i, ip));
  return b;
}
export function optionU32(m: DhcpMessage, code: number): number | undefined {
  const v = m.options.get(code);
  return v && v.length >= 4 ? readU32(v, 0) : undefined;
}
export function messageType(m: DhcpMessage): number | undefined {
  return m.options.get(DhcpOption.MessageType)?.[0];
}
