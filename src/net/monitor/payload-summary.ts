/**
 * One line about an Ethernet payload, as a packet list shows it: ARP, IPv4 with ICMP/UDP/TCP
 * (DHCP and DNS named), EAPOL-Key messages 1–4. Never throws: what it cannot read it calls by
 * its EtherType or protocol number.
 */
import { formatIpv4, formatMac, readU16, readU32 } from '../ip/bytes.ts';
import { messageType, parseDhcp } from '../ip/dhcp-packet.ts';
import { KeyInfo, parseEapolKey } from '../wifi/eapol.ts';

export interface PayloadSummary {
  protocol: string;
  /** Network-layer source and destination (IPv4 addresses) when there are any. */
  src?: string;
  dst?: string;
  info: string;
}

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_EAPOL = 0x888e;

const DHCP_TYPES = [
  '',
  'Discover',
  'Offer',
  'Request',
  'Decline',
  'ACK',
  'NAK',
  'Release',
  'Inform',
];
const TCP_FLAGS: [number, string][] = [
  [0x02, 'SYN'],
  [0x10, 'ACK'],
  [0x08, 'PSH'],
  [0x01, 'FIN'],
  [0x04, 'RST'],
];

export function summarizePayload(ethertype: number, p: Uint8Array): PayloadSummary {
  try {
    switch (ethertype) {
      case ETHERTYPE_ARP:
        return arp(p);
      case ETHERTYPE_IPV4:
        return ipv4(p);
      case ETHERTYPE_EAPOL:
        return eapol(p);
    }
  } catch {
    // a truncated packet: fall through to the plain description
  }
  return { protocol: `0x${ethertype.toString(16).padStart(4, '0')}`, info: `${p.length} bytes` };
}

function arp(p: Uint8Array): PayloadSummary {
  if (p.length < 28) return { protocol: 'ARP', info: 'truncated' };
  const op = readU16(p, 6);
  const spa = formatIpv4(readU32(p, 14));
  const tpa = formatIpv4(readU32(p, 24));
  const info =
    op === 1
      ? spa === '0.0.0.0'
        ? `Who has ${tpa}? (probe)`
        : `Who has ${tpa}? Tell ${spa}`
      : op === 2
        ? `${spa} is at ${formatMac(p, 8)}`
        : `op ${op}`;
  return { protocol: 'ARP', info };
}

function ipv4(p: Uint8Array): PayloadSummary {
  if (p.length < 20) throw new RangeError('truncated');
  const ihl = (p[0] & 15) * 4;
  const src = formatIpv4(readU32(p, 12));
  const dst = formatIpv4(readU32(p, 16));
  const total = Math.min(readU16(p, 2), p.length);
  const fragment = readU16(p, 6) & 0x1fff;
  const body = p.subarray(ihl, total);
  const at = { src, dst };
  if (fragment !== 0) return { protocol: 'IPv4', ...at, info: `fragment at ${fragment * 8}` };
  switch (p[9]) {
    case 1: {
      const kind =
        body[0] === 8 ? 'Echo request' : body[0] === 0 ? 'Echo reply' : `type ${body[0]}`;
      const seq =
        body.length >= 8 && (body[0] === 0 || body[0] === 8) ? ` seq ${readU16(body, 6)}` : '';
      return { protocol: 'ICMP', ...at, info: kind + seq };
    }
    case 6:
      return { protocol: 'TCP', ...at, info: tcp(body) };
    case 17:
      return udp(body, at);
  }
  return { protocol: 'IPv4', ...at, info: `protocol ${p[9]}` };
}

function tcp(t: Uint8Array): string {
  if (t.length < 20) return 'truncated';
  const flags = TCP_FLAGS.filter(([bit]) => t[13] & bit).map(([, name]) => name);
  const dataLength = t.length - (t[12] >> 4) * 4;
  return (
    `${readU16(t, 0)} → ${readU16(t, 2)} [${flags.join(', ')}] seq ${readU32(t, 4)}` +
    (t[13] & 0x10 ? ` ack ${readU32(t, 8)}` : '') +
    ` win ${readU16(t, 14)} len ${Math.max(0, dataLength)}`
  );
}

function udp(u: Uint8Array, at: { src: string; dst: string }): PayloadSummary {
  if (u.length < 8) return { protocol: 'UDP', ...at, info: 'truncated' };
  const sport = readU16(u, 0);
  const dport = readU16(u, 2);
  const data = u.subarray(8);
  if ((sport === 67 || sport === 68) && (dport === 67 || dport === 68)) {
    const m = parseDhcp(data);
    if (m) {
      const type = DHCP_TYPES[messageType(m) ?? 0] ?? '?';
      const offered = m.yiaddr ? ` ${formatIpv4(m.yiaddr)}` : '';
      return {
        protocol: 'DHCP',
        ...at,
        info: `DHCP ${type}${offered} xid 0x${m.xid.toString(16)}`,
      };
    }
  }
  if (sport === 53 || dport === 53)
    return { protocol: 'DNS', ...at, info: dns(data, sport === 53) };
  return { protocol: 'UDP', ...at, info: `${sport} → ${dport} len ${data.length}` };
}

function dns(d: Uint8Array, response: boolean): string {
  const id = readU16(d, 0);
  const rcode = d[3] & 15;
  let name = '';
  for (let i = 12; i < d.length && d[i] !== 0 && d[i] < 64; i += d[i] + 1) {
    name += (name ? '.' : '') + String.fromCharCode(...d.subarray(i + 1, i + 1 + d[i]));
  }
  if (!response) return `query 0x${id.toString(16)} ${name}`;
  const answers = readU16(d, 6);
  return `response 0x${id.toString(16)} ${name} ${rcode === 3 ? 'NXDOMAIN' : `${answers} answer${answers === 1 ? '' : 's'}`}`;
}

function eapol(p: Uint8Array): PayloadSummary {
  const key = parseEapolKey(p);
  if (!key) return { protocol: 'EAPOL', info: `type ${p[1]}` };
  const i = key.keyInfo;
  const pairwise = (i & KeyInfo.PAIRWISE) !== 0;
  const ack = (i & KeyInfo.ACK) !== 0;
  const mic = (i & KeyInfo.MIC) !== 0;
  const secure = (i & KeyInfo.SECURE) !== 0;
  let message: string;
  if (!pairwise) message = ack ? 'Group key message 1 of 2' : 'Group key message 2 of 2';
  else if (ack) message = mic ? 'Key (message 3 of 4)' : 'Key (message 1 of 4)';
  else message = secure ? 'Key (message 4 of 4)' : 'Key (message 2 of 4)';
  return { protocol: 'EAPOL', info: message };
}
