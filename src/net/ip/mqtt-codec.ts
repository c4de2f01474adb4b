/**
 * MQTT 3.1.1 control packets (OASIS standard, §2–3): the fixed header with its variable-length
 * "remaining length", and a streaming splitter for packets arriving over TCP.
 */
import { concatBytes, fromUtf8, readU16, utf8 } from './bytes';

export const enum MqttType {
  Connect = 1,
  Connack = 2,
  Publish = 3,
  Puback = 4,
  Pubrec = 5,
  Pubrel = 6,
  Pubcomp = 7,
  Subscribe = 8,
  Suback = 9,
  Unsubscribe = 10,
  Unsuback = 11,
  Pingreq = 12,
  Pingresp = 13,
  Disconnect = 14,
}

export interface MqttPacket {
  type: number;
  flags: number;
  body: Uint8Array;
}

/** One packet: type, flags (low nibble of byte 0) and the body after the remaining length. */
export function encodePacket(type: number, flags: number, body: Uint8Array): Uint8Array {
  const len: number[] = [];
  let n = body.length;
  do {
    let digit = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) digit |= 0x80;
    len.push(digit);
  } while (n > 0);
  return concatBytes([Uint8Array.of((type << 4) | flags, ...len), body]);
}

/** A length-prefixed UTF-8 string (§1.5.3). */
export function mqttString(s: string | Uint8Array): Uint8Array {
  const b = typeof s === 'string' ? utf8(s) : s;
  return concatBytes([Uint8Array.of(b.length >> 8, b.length & 0xff), b]);
}

export const u16 = (v: number): Uint8Array => Uint8Array.of(v >> 8, v & 0xff);

/** Splits a TCP byte stream into packets; `push` returns the complete ones, or null on a malformed length. */
export class MqttSplitter {
  private buffer: Uint8Array = new Uint8Array(0);

  push(data: Uint8Array): MqttPacket[] | null {
    this.buffer = this.buffer.length ? concatBytes([this.buffer, data]) : data;
    const out: MqttPacket[] = [];
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) return out;
      let length = 0;
      let multiplier = 1;
      let i = 1;
      for (;; i++) {
        if (i > 4) return null; // at most four length bytes
        if (i >= b.length) return out;
        length += (b[i] & 0x7f) * multiplier;
        multiplier *= 128;
        if (!(b[i] & 0x80)) break;
      }
      const start = i + 1;
      if (b.length < start + length) return out;
      out.push({ type: b[0] >> 4, flags: b[0] & 0x0f, body: b.slice(start, start + length) });
      this.buffer = b.subarray(start + length);
    }
  }
}

/** Reads strings and integers from a packet body; `ok` turns false on a read past the end. */
export class MqttReader {
  offset = 0;
  ok = true;
  constructor(readonly b: Uint8Array) {}
  get left(): number {
    return this.b.length - this.offset;
  }
  u8(): number {
    if (this.left < 1) return this.fail(0);
    return this.b[this.offset++];
  }
  u16(): number {
    if (this.left < 2) return this.fail(0);
    const v = readU16(this.b, this.offset);
    this.offset += 2;
    return v;
  }
  bytes(): Uint8Array {
    const n = this.u16();
    if (this.left < n) return this.fail(new Uint8Array(0));
    const v = this.b.slice(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
  string(): string {
    return fromUtf8(this.bytes());
  }
  rest(): Uint8Array {
    const v = this.b.slice(this.offset);
    this.offset = this.b.length;
    return v;
  }
  private fail<T>(v: T): T {
    this.ok = false;
    return v;
  }
}

/** Whether a topic name matches a filter with + (one level) and # (the rest) (§4.7). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  // Filters starting with a wildcard do not match topics starting with $ (§4.7.2).
  if (topic.startsWith('$') && (f[0] === '#' || f[0] === '+')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

export function validFilter(filter: string): boolean {
  if (!filter.length) return false;
  const parts = filter.split('/');
  return parts.every((p, i) => (p.includes('#') ? p === '#' && i === parts.length - 1 : !p.includes('+') || p === '+'));
}
