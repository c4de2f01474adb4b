/**
 * One line about an 802.11 frame as a monitor heard it (the network panel's packet list):
 * transmitter, receiver, protocol and what it says — beacons and probes with their SSID,
 * authentication and association with their status, data frames down to ARP, DHCP, DNS, ICMP,
 * TCP and EAPOL through LLC/SNAP. Protected data frames stay opaque, as they are on the air.
 */
import { formatMac } from '../ip/bytes.ts';
import { Ctrl, dataAddresses, FrameType, Mgmt, parseFrame, type Frame } from '../wifi/frame.ts';
import { findIe, IeId, parseIes, parseSsid } from '../wifi/ie.ts';
import { parseLlcSnap } from '../wifi/llc.ts';
import { summarizePayload } from './payload-summary.ts';

export interface FrameSummary {
  /** Who sent it: the source address (SA for data, TA otherwise); "" when the frame has none. */
  src: string;
  /** Who it is for: the destination (DA for data, RA otherwise). */
  dst: string;
  protocol: string;
  info: string;
}

const BROADCAST = 'ff:ff:ff:ff:ff:ff';

function mac(m: Uint8Array | undefined): string {
  if (!m) return '';
  const text = formatMac(m);
  return text === BROADCAST ? 'broadcast' : text;
}

function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

function ssidOf(body: Uint8Array): string {
  const ie = findIe(parseIes(body), IeId.SSID);
  if (!ie) return '';
  return ie.data.length === 0 || ie.data.every((b) => b === 0)
    ? '(hidden)'
    : `"${parseSsid(ie.data)}"`;
}

export function summarizeFrame(mpdu: Uint8Array): FrameSummary {
  let f: Frame;
  try {
    f = parseFrame(mpdu);
  } catch {
    return { src: '', dst: '', protocol: '802.11', info: `malformed (${mpdu.length} bytes)` };
  }
  const flags = (f.retry ? ' (retry)' : '') + (f.powerManagement ? ' PM' : '');
  try {
    const s =
      f.type === FrameType.MGMT ? management(f) : f.type === FrameType.CTRL ? control(f) : data(f);
    return { ...s, info: s.info + flags };
  } catch {
    return { src: mac(f.addr2), dst: mac(f.addr1), protocol: '802.11', info: `truncated${flags}` };
  }
}

function management(f: Frame): FrameSummary {
  const src = mac(f.addr2);
  const dst = mac(f.addr1);
  const b = f.body;
  const at = (info: string) => ({ src, dst, protocol: '802.11', info });
  switch (f.subtype) {
    case Mgmt.BEACON:
      return at(`Beacon ${ssidOf(b.subarray(12))}`);
    case Mgmt.PROBE_REQ: {
      const ssid = ssidOf(b);
      return at(`Probe request ${ssid === '(hidden)' ? '(wildcard)' : ssid}`);
    }
    case Mgmt.PROBE_RESP:
      return at(`Probe response ${ssidOf(b.subarray(12))}`);
    case Mgmt.AUTH:
      return at(`Authentication seq ${u16(b, 2)} status ${u16(b, 4)}`);
    case Mgmt.ASSOC_REQ:
    case Mgmt.REASSOC_REQ: {
      const re = f.subtype === Mgmt.REASSOC_REQ ? 'Reassociation' : 'Association';
      return at(`${re} request ${ssidOf(b.subarray(f.subtype === Mgmt.REASSOC_REQ ? 10 : 4))}`);
    }
    case Mgmt.ASSOC_RESP:
    case Mgmt.REASSOC_RESP: {
      const re = f.subtype === Mgmt.REASSOC_RESP ? 'Reassociation' : 'Association';
      return at(`${re} response status ${u16(b, 2)} aid ${u16(b, 4) & 0x3fff}`);
    }
    case Mgmt.DEAUTH:
      return at(`Deauthentication reason ${u16(b, 0)}`);
    case Mgmt.DISASSOC:
      return at(`Disassociation reason ${u16(b, 0)}`);
    case Mgmt.ACTION:
      return at(`Action category ${b[0]}`);
  }
  return at(`Management subtype ${f.subtype}`);
}

function control(f: Frame): FrameSummary {
  const dst = mac(f.addr1);
  const src = mac(f.addr2);
  const name =
    f.subtype === Ctrl.ACK
      ? 'ACK'
      : f.subtype === Ctrl.CTS
        ? 'CTS'
        : f.subtype === Ctrl.RTS
          ? 'RTS'
          : f.subtype === Ctrl.PS_POLL
            ? `PS-Poll aid ${f.duration & 0x3fff}`
            : `Control subtype ${f.subtype}`;
  return { src, dst, protocol: '802.11', info: name };
}

function data(f: Frame): FrameSummary {
  const a = dataAddresses(f);
  const src = mac(a.sa);
  const dst = mac(a.da);
  if (f.subtype & 4) return { src, dst, protocol: '802.11', info: 'Null (no data)' };
  if (f.protected)
    return { src, dst, protocol: '802.11', info: `Protected data, ${f.body.length} bytes` };
  const llc = parseLlcSnap(f.body);
  if (!llc) return { src, dst, protocol: '802.11', info: `Data, ${f.body.length} bytes` };
  const p = summarizePayload(llc.ethertype, llc.payload);
  return { src: p.src ?? src, dst: p.dst ?? dst, protocol: p.protocol, info: p.info };
}
