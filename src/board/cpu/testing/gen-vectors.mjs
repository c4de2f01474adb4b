#!/usr/bin/env node
// Assemble every lx106 opcode form with GNU as (xtensa-lx106-elf-as) and write the words it
// produces to as-vectors.json, so the encoder (and through it every CPU unit test) is checked
// against the real assembler without needing the cross toolchain at test time.
// Also records which RSR/WSR/XSR special-register numbers the assembler accepts.
//   node src/board/cpu/testing/gen-vectors.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// [encoder function name, args, assembly]; branch offsets are target − pc (`.+N`).
const cases = [];
const add = (fn, args, asm) => cases.push({ fn, args, asm });

for (const m of [
  'add',
  'sub',
  'addx2',
  'addx4',
  'addx8',
  'subx2',
  'subx4',
  'subx8',
  'and',
  'or',
  'xor',
  'moveqz',
  'movnez',
  'movltz',
  'movgez',
  'mul16u',
  'mul16s',
  'mull',
  'src',
]) {
  add(m, [3, 4, 5], `${m} a3, a4, a5`);
  add(m, [15, 0, 9], `${m} a15, a0, a9`);
}
add('add_n', [3, 4, 5], 'add.n a3, a4, a5');
add('add_n', [15, 1, 0], 'add.n a15, a1, a0');
for (const m of ['neg', 'abs', 'srl', 'sra']) add(m, [3, 5], `${m} a3, a5`);
for (const m of ['nsa', 'nsau', 'sll']) add(m, [3, 4], `${m} a3, a4`);
for (const m of ['ssr', 'ssl', 'ssa8l', 'ssa8b', 'jx', 'callx0', 'iitlb', 'idtlb'])
  add(m, [4], `${m} a4`);
for (const sa of [0, 1, 17, 31]) add('ssai', [sa], `ssai ${sa}`);
for (const sa of [1, 7, 16, 31]) add('slli', [3, 4, sa], `slli a3, a4, ${sa}`);
for (const sa of [0, 5, 21, 31]) add('srai', [3, 5, sa], `srai a3, a5, ${sa}`);
for (const sa of [0, 9, 15]) add('srli', [3, 5, sa], `srli a3, a5, ${sa}`);
for (const [sh, bits] of [
  [4, 8],
  [0, 1],
  [31, 1],
  [16, 16],
  [0, 16],
  [17, 15],
]) {
  add('extui', [3, 5, sh, bits], `extui a3, a5, ${sh}, ${bits}`);
}
for (const [m, offs] of [
  ['l8ui', [0, 255]],
  ['s8i', [0, 255]],
  ['l16ui', [0, 510]],
  ['l16si', [2, 510]],
  ['s16i', [0, 510]],
  ['l32i', [0, 1020]],
  ['s32i', [4, 1020]],
]) {
  for (const off of offs) add(m, [3, 4, off], `${m} a3, a4, ${off}`);
}
for (const off of [0, 4, 60]) {
  add('l32i_n', [3, 4, off], `l32i.n a3, a4, ${off}`);
  add('s32i_n', [3, 4, off], `s32i.n a3, a4, ${off}`);
}
for (const v of [-2048, -1, 0, 100, 2047]) add('movi', [3, v], `movi a3, ${v}`);
for (const v of [-128, -1, 0, 127]) add('addi', [3, 4, v], `addi a3, a4, ${v}`);
for (const v of [-32768, -256, 256, 0x7f00]) add('addmi', [3, 4, v], `addmi a3, a4, ${v}`);
for (const v of [-32, -1, 0, 95]) add('movi_n', [3, v], `movi.n a3, ${v}`);
for (const v of [-1, 1, 15]) add('addi_n', [3, 4, v], `addi.n a3, a4, ${v}`);
add('mov_n', [3, 4], 'mov.n a3, a4');
for (const off of [-4, -262144]) add('l32r', [3, off], `l32r a3, .${off}`);
for (const off of [4, 100, -100, 131071, -131068])
  add('j', [off], `j .${off >= 0 ? '+' : ''}${off}`);
for (const off of [4, 16, -16, 524288]) add('call0', [off], `call0 .${off >= 0 ? '+' : ''}${off}`);
for (const m of ['beqz', 'bnez', 'bltz', 'bgez']) {
  for (const off of [4, -100, 2051, -2044])
    add(m, [3, off], `${m} a3, .${off >= 0 ? '+' : ''}${off}`);
}
const B4 = [-1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256];
const B4U = [32768, 65536, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256];
for (const m of ['beqi', 'bnei', 'blti', 'bgei']) {
  for (const [i, c] of B4.entries())
    add(m, [3, c, i % 2 ? 131 : -124], `${m} a3, ${c}, .${i % 2 ? '+131' : '-124'}`);
}
for (const m of ['bltui', 'bgeui']) {
  for (const [i, c] of B4U.entries())
    add(m, [3, c, i % 2 ? 20 : -8], `${m} a3, ${c}, .${i % 2 ? '+20' : '-8'}`);
}
for (const m of [
  'bnone',
  'beq',
  'blt',
  'bltu',
  'ball',
  'bbc',
  'bany',
  'bne',
  'bge',
  'bgeu',
  'bnall',
  'bbs',
]) {
  add(m, [3, 4, 10], `${m} a3, a4, .+10`);
  add(m, [3, 4, -124], `${m} a3, a4, .-124`);
}
for (const m of ['bbci', 'bbsi'])
  for (const bit of [0, 5, 16, 21, 31]) add(m, [3, bit, 8], `${m} a3, ${bit}, .+8`);
for (const off of [4, 20, 67]) {
  add('beqz_n', [3, off], `beqz.n a3, .+${off}`);
  add('bnez_n', [3, off], `bnez.n a3, .+${off}`);
}
for (const m of ['ritlb0', 'ritlb1', 'rdtlb0', 'rdtlb1', 'pitlb', 'pdtlb', 'witlb', 'wdtlb'])
  add(m, [3, 4], `${m} a3, a4`);
for (const lvl of [0, 3, 15]) add('rsil', [3, lvl], `rsil a3, ${lvl}`);
for (const lvl of [0, 3, 15]) add('waiti', [lvl], `waiti ${lvl}`);
for (const lvl of [2, 3]) add('rfi', [lvl], `rfi ${lvl}`);
for (const [s, t] of [
  [1, 2],
  [1, 15],
  [0, 0],
])
  add('brk', [s, t], `break ${s}, ${t}`);
for (const i of [0, 3, 15]) add('break_n', [i], `break.n ${i}`);
add('rfdo', [], 'rfdo 0');
for (const m of [
  'ret',
  'rfe',
  'rfde',
  'rfdd',
  'syscall',
  'simcall',
  'ill',
  'isync',
  'rsync',
  'esync',
  'dsync',
  'excw',
  'memw',
  'extw',
  'nop',
  'rer',
  'wer',
])
  add(m, [], m);
for (const m of ['ret_n', 'nop_n', 'ill_n']) add(m, [], m.replace('_', '.'));
for (const [n, name] of [
  [3, 'sar'],
  [230, 'ps'],
  [176, '176'],
  [240, 'ccompare0'],
]) {
  add('rsr', [3, n], `rsr a3, ${name}`);
  if (n !== 176) add('xsr', [3, n], `xsr a3, ${name}`); // CONFIGID0 has no XSR
}
add('wsr', [3, 231], 'wsr a3, vecbase');
add('wsr', [3, 227], 'wsr a3, intclear');

const dir = mkdtempSync(join(tmpdir(), 'lx106-vectors-'));
function assemble(lines) {
  const src = ['\t.text', '\t.begin no-transform'];
  lines.forEach((l, i) => src.push('\t.align 4', `c${i}:\t${l}`));
  src.push('\t.end no-transform');
  writeFileSync(join(dir, 'v.S'), src.join('\n') + '\n');
  execFileSync('xtensa-lx106-elf-as', [join(dir, 'v.S'), '-o', join(dir, 'v.o')]);
  execFileSync('xtensa-lx106-elf-ld', [
    '--no-relax',
    '-e',
    '0',
    '-Ttext=0x40100000',
    join(dir, 'v.o'),
    '-o',
    join(dir, 'v.elf'),
  ]);
  const dis = execFileSync('xtensa-lx106-elf-objdump', ['-d', join(dir, 'v.elf')], {
    encoding: 'utf8',
  });
  const words = new Array(lines.length);
  let pending = -1;
  for (const line of dis.split('\n')) {
    const label = /^[0-9a-f]+ <c(\d+)>:$/.exec(line);
    if (label) {
      pending = Number(label[1]);
      continue;
    }
    const insn = /^\s*[0-9a-f]+:\s+([0-9a-f]{4,6})\s/.exec(line);
    if (insn && pending >= 0) {
      words[pending] = parseInt(insn[1], 16);
      pending = -1;
    }
  }
  return words;
}

const words = assemble(cases.map((c) => c.asm));
const vectors = cases.map((c, i) => ({ ...c, word: words[i] }));

// Which SR numbers does the assembler accept for each of RSR/WSR/XSR?
function accepted(kind) {
  const src = ['\t.text'];
  for (let n = 0; n < 256; n++) src.push(`\t${kind} a3, ${n}`);
  writeFileSync(join(dir, 's.S'), src.join('\n') + '\n');
  let stderr = '';
  try {
    execFileSync('xtensa-lx106-elf-as', [join(dir, 's.S'), '-o', join(dir, 's.o')], {
      stdio: 'pipe',
    });
  } catch (e) {
    stderr = String(e.stderr);
  }
  const rejected = new Set([...stderr.matchAll(/s\.S:(\d+): Error/g)].map((m) => Number(m[1]) - 2));
  return [...Array(256).keys()].filter((n) => !rejected.has(n));
}
const specialRegisters = { rsr: accepted('rsr'), wsr: accepted('wsr'), xsr: accepted('xsr') };

const out = join(here, 'as-vectors.json');
writeFileSync(
  out,
  JSON.stringify(
    { generator: 'gen-vectors.mjs (xtensa-lx106-elf-as)', vectors, specialRegisters },
    null,
    1,
  ) + '\n',
);
console.log(
  `${vectors.length} vectors, SR accepted rsr ${specialRegisters.rsr.length} wsr ${specialRegisters.wsr.length} xsr ${specialRegisters.xsr.length} → ${out}`,
);
