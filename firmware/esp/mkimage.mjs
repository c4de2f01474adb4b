// Our own ELF → 0xE9 image builder: every loadable section with bytes becomes a segment, then
// zero padding to 16 bytes and the XOR checksum (seeded 0xEF) as the last byte (esp8266-hw.md §7.6).
import { readFileSync, writeFileSync } from 'node:fs';

const [, , elfPath, outPath] = process.argv;
const elf = readFileSync(elfPath);
const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
if (dv.getUint32(0, false) !== 0x7f454c46 || elf[4] !== 1 || elf[5] !== 1) throw new Error('not an ELF32 LE');
const entry = dv.getUint32(24, true);
const phoff = dv.getUint32(28, true);
const phentsize = dv.getUint16(42, true);
const phnum = dv.getUint16(44, true);
const segments = [];
for (let i = 0; i < phnum; i++) {
  const p = phoff + i * phentsize;
  if (dv.getUint32(p, true) !== 1) continue; // PT_LOAD
  const offset = dv.getUint32(p + 4, true);
  const paddr = dv.getUint32(p + 12, true);
  const filesz = dv.getUint32(p + 16, true);
  if (filesz === 0) continue;
  const data = new Uint8Array((filesz + 3) & ~3);
  data.set(elf.subarray(offset, offset + filesz));
  segments.push({ addr: paddr, data });
}
segments.sort((a, b) => a.addr - b.addr);
let len = 8;
for (const s of segments) len += 8 + s.data.length;
const image = new Uint8Array((len | 15) + 1);
const out = new DataView(image.buffer);
image.set([0xe9, segments.length, 0x02, 0x40]); // DIO, 4 MB, 40 MHz
out.setUint32(4, entry, true);
let pos = 8;
let chk = 0xef;
for (const s of segments) {
  out.setUint32(pos, s.addr, true);
  out.setUint32(pos + 4, s.data.length, true);
  image.set(s.data, pos + 8);
  for (const b of s.data) chk ^= b;
  pos += 8 + s.data.length;
}
image[image.length - 1] = chk;
writeFileSync(outPath, image);
console.log(`${outPath}: ${segments.length} segments, entry 0x${entry.toString(16)}, ${image.length} bytes`);
