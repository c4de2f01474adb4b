/**
 * An authoritative DNS server (RFC 1035) for the virtual LAN over UDP: A records for the names it
 * knows (the virtual hosts, DHCP clients' host names), an empty NOERROR answer for other record
 * types of a known name, NXDOMAIN for any other name, NOTIMP for opcodes other than QUERY.
 */
import { readU16, writeU16, writeU32 } from './bytes';
import type { IpHost, UdpMessage, UdpSocket } from './host';

export const DNS_PORT = 53;
const TYPE_A = 1;
const TYPE_ANY = 255;
const CLASS_IN = 1;
const RCODE_FORMERR = 1;
const RCODE_NXDOMAIN = 3;
const RCODE_NOTIMP = 4;

export interface DnsQuestion {
  name: string;
  type: number;
  cls: number;
  /** Offset just after the question. */
  end: number;
}

/** Read a (possibly compressed) domain name; null when malformed. */
export function readName(p: Uint8Array, offset: number): { name: string; end: number } | null {
  const labels: string[] = [];
  let end = -1;
  for (let hops = 0; hops < 64; hops++) {
    if (offset >= p.length) return null;
    const len = p[offset];
    if (len === 0) {
      return { name: labels.join('.'), end: end < 0 ? offset + 1 : end };
    }
    if ((len & 0xc0) === 0xc0) {
      if (offset + 1 >= p.length) return null;
      if (end < 0) end = offset + 2;
      offset = ((len & 0x3f) << 8) | p[offset + 1];
      continue;
    }
    if (len > 63 || offset + 1 + len > p.length) return null;
    labels.push(String.fromCharCode(...p.subarray(offset + 1, offset + 1 + len)));
    offset += 1 + len;
  }
  return null;
}

export function encodeName(name: string): Uint8Array {
  const out: number[] = [];
  for (const label of name.split('.').filter(Boolean)) {
    out.push(label.length, ...Array.from(label, (c) => c.charCodeAt(0) & 0x7f));
  }
  out.push(0);
  return Uint8Array.from(out);
}

export class DnsServer {
  private readonly records = new Map<string, number>();
  private readonly socket: UdpSocket;

  constructor(
    host: IpHost,
    /** The LAN's domain: "name" and "name.<domain>" both resolve. */
    readonly domain = 'lan',
    readonly ttlSeconds = 60,
  ) {
    this.socket = host.udpBind(DNS_PORT, (m) => this.receive(m));
  }

  stop(): void {
    this.socket.close();
  }

  /** Add or replace an A record ("esp" also answers as "esp.lan"). */
  setA(name: string, ip: number): void {
    this.records.set(this.canonical(name), ip);
  }

  deleteA(name: string): void {
    this.records.delete(this.canonical(name));
  }

  lookup(name: string): number | undefined {
    return this.records.get(this.canonical(name));
  }

  private canonical(name: string): string {
    const n = name.toLowerCase().replace(/\.$/, '');
    const suffix = `.${this.domain}`;
    return n.endsWith(suffix) ? n.slice(0, -suffix.length) : n;
  }

  private receive(m: UdpMessage): void {
    const reply = this.answer(m.data);
    if (reply) this.socket.send(m.src, m.srcPort, reply);
  }

  /** The response to one query message, or null when it should be ignored. */
  answer(q: Uint8Array): Uint8Array | null {
    if (q.length < 12 || q[2] & 0x80) return null; // too short, or a response
    const id = readU16(q, 0);
    const opcode = (q[2] >> 3) & 0x0f;
    const rd = q[2] & 0x01;
    const header = (rcode: number, qd: number, an: number) => {
      const h = new Uint8Array(12);
      writeU16(h, 0, id);
      h[2] = 0x80 | (opcode << 3) | 0x04 | rd; // QR, AA
      h[3] = rcode;
      writeU16(h, 4, qd);
      writeU16(h, 6, an);
      return h;
    };
    if (opcode !== 0) return header(RCODE_NOTIMP, 0, 0);
    if (readU16(q, 4) !== 1) return header(RCODE_FORMERR, 0, 0);
    const name = readName(q, 12);
    if (!name || name.end + 4 > q.length) return header(RCODE_FORMERR, 0, 0);
    const type = readU16(q, name.end);
    const cls = readU16(q, name.end + 2);
    const question = q.subarray(12, name.end + 4);
    const ip = this.lookup(name.name);
    const withQuestion = (h: Uint8Array, answers: Uint8Array[] = []) => {
      const parts = [h, question, ...answers];
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      return out;
    };
    if (ip === undefined) return withQuestion(header(RCODE_NXDOMAIN, 1, 0));
    if ((type !== TYPE_A && type !== TYPE_ANY) || cls !== CLASS_IN) return withQuestion(header(0, 1, 0));
    const rr = new Uint8Array(16);
    writeU16(rr, 0, 0xc00c); // pointer to the question's name
    writeU16(rr, 2, TYPE_A);
    writeU16(rr, 4, CLASS_IN);
    writeU32(rr, 6, this.ttlSeconds);
    writeU16(rr, 10, 4);
    writeU32(rr, 12, ip);
    return withQuestion(header(0, 1, 1), [rr]);
  }
}
