/**
 * Which Ethernet frames a relay lets through (`v8266 relay --allow`): IPv4 packets to an allowed
 * destination or the limited broadcast, and ARP for an allowed address. Everything else — other
 * destinations, IPv6, other EtherTypes — is dropped, so a page cannot use the relay to reach
 * machines it was not allowed to.
 */
import { ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../ethernet.ts';
import { formatIpv4, parseIpv4, prefixToNetmask, readU16, readU32 } from '../ip/bytes.ts';

export interface Cidr {
  network: number;
  prefixLength: number;
}

/** The default: the private networks (RFC 1918), where the virtual LANs live. */
export const PRIVATE_NETWORKS: readonly string[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
];

/** `192.168.0.0/16` (a bare address is a /32). Throws RangeError. */
export function parseCidr(text: string): Cidr {
  const [ip, bits, extra] = text.split('/');
  const prefixLength = bits === undefined ? 32 : /^\d{1,2}$/.test(bits) ? Number(bits) : NaN;
  if (extra !== undefined || !(prefixLength >= 0 && prefixLength <= 32))
    throw new RangeError(`not an IPv4 network: ${text}`);
  const mask = prefixToNetmask(prefixLength);
  return { network: (parseIpv4(ip) & mask) >>> 0, prefixLength };
}

export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.network)}/${c.prefixLength}`;
}

const LIMITED_BROADCAST = 0xffffffff;

export class DestinationFilter {
  private readonly nets: readonly { network: number; mask: number }[];

  constructor(readonly allowed: readonly Cidr[]) {
    this.nets = allowed.map((c) => ({ network: c.network, mask: prefixToNetmask(c.prefixLength) }));
  }

  allowsAddress(ip: number): boolean {
    return this.nets.some((n) => (ip & n.mask) >>> 0 === n.network);
  }

  /** Whether `frame` (Ethernet II, no FCS) may pass. */
  allows(frame: Uint8Array): boolean {
    if (frame.length < 14) return false;
    const type = readU16(frame, 12);
    if (type === ETHERTYPE_IPV4 && frame.length >= 34) {
      const dst = readU32(frame, 30);
      return dst === LIMITED_BROADCAST || this.allowsAddress(dst);
    }
    if (type === ETHERTYPE_ARP && frame.length >= 42) return this.allowsAddress(readU32(frame, 38));
    return false;
  }

  describe(): string {
    return this.allowed.map(formatCidr).join(', ');
  }
}
