/**
 * Test helpers: build 0xE9 flash images and compute what the mask ROM prints for them, straight
 * from the documented formulas (esp8266-hw.md §7.6, rom-internals §4.2).
 */

export interface Segment {
  addr: number;
  data: Uint8Array;
}

/** An esptool-style image: header, segments, zero padding to 16, checksum as the last byte. */
export function buildImage(
  entry: number,
  segments: Segment[],
  opts: { mode?: number; sizeFreq?: number } = {},
): Uint8Array {
  let len = 8;
  for (const s of segments) len += 8 + s.data.length;
  const total = (len | 15) + 1;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  out[0] = 0xe9;
  out[1] = segments.length;
  out[2] = opts.mode ?? 0;
  out[3] = opts.sizeFreq ?? 0x40;
  dv.setUint32(4, entry, true);
  let pos = 8;
  let chk = 0xef;
  for (const s of segments) {
    dv.setUint32(pos, s.addr, true);
    dv.setUint32(pos + 4, s.data.length, true);
    out.set(s.data, pos + 8);
    for (const b of s.data) chk ^= b;
    pos += 8 + s.data.length;
  }
  out[total - 1] = chk;
  return out;
}

/** The ROM's banner line for a reset cause and the two strap fields. */
export function bannerLine(cause: number, mode: number, sd: number): string {
  return `\r\n ets Jan  8 2013,rst cause:${cause}, boot mode:(${mode},${sd})\r\n\r\n`;
}

/** The load/tail/chksum lines and the final csum line, as the ROM prints them for `image`. */
export function loaderLines(image: Uint8Array): string {
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const hex2 = (n: number) => n.toString(16).padStart(2, '0');
  let out = '';
  let pos = 8;
  let chk = 0xef;
  for (let s = 0; s < image[1]; s++) {
    const addr = dv.getUint32(pos, true);
    const len = dv.getUint32(pos + 4, true);
    if ((pos & 15) > 8) out += `ho 0 tail ${pos & 15} room ${16 - (pos & 15)}\r\n`;
    const data = pos + 8;
    const room = 16 - (data % 16);
    out += `load 0x${addr.toString(16).padStart(8, '0')}, len ${len}, room ${room} \r\n`;
    for (let i = 0; i < len; i++) chk ^= image[data + i];
    out += `tail ${(((len - room) % 16) + 16) % 16}\r\nchksum 0x${hex2(chk)}\r\n`;
    pos = data + len;
  }
  return out + `csum 0x${hex2(chk)}\r\n`;
}

/** Little-endian words → bytes (instruction words for tiny test programs). */
export function bytesOf(...parts: number[][]): Uint8Array {
  return new Uint8Array(parts.flat());
}
