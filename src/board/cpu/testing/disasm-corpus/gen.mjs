#!/usr/bin/env node
// Regenerates corpus.jsonl.gz, the objdump test vectors for src/board/cpu/disasm.ts, so that the
// unit test needs no cross toolchain. Run from anywhere:
//
//   node src/board/cpu/testing/disasm-corpus/gen.mjs
//
// Needs Debian's binutils-xtensa-lx106 (xtensa-lx106-elf-objdump/as/ld) and gcc-xtensa-lx106 +
// picolibc-xtensa-lx106-elf for the libraries. Sources:
//   1. every object in the lx106 picolibc libc.a/libm.a and libgcc.a (objdump reads archives);
//   2. the project's firmware ELFs, firmware/*/out/*.elf, when they have been built;
//   3. a synthetic sample of the encoding space (one random word for every op0/op1/op2/r
//      combination, one for every 16-bit op0/r/t, all bytes that start no instruction) and L32R
//      loads of literals in the same section, which compiled code rarely or never contains.
//
// Output: gzip-compressed JSON lines. Line 1 is a header (objdump version, sources, counts);
// every other line is {"b": hex bytes in memory order, "pc": address, "t": objdump's text after
// normalisation}. Entries are deduplicated by (bytes, text).
//
// Normalisation (the same the live test applies):
//   - symbol annotations ` <sym+0x..>` are removed (disasm.ts prints bare addresses);
//   - objdump lines that are data, not instructions, are skipped: `...` (elided zero runs),
//     literal-pool words (objdump prints the 4-byte word with no text) and `.byte` lines for a
//     byte that would start an instruction (op0 < 14; alignment padding). objdump prints those
//     when the ELF's .xt.prop property table marks the range as literals/data, which a
//     context-free disassembler cannot know.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../../..');
const OUTPUT = join(here, 'corpus.jsonl.gz');
const TOOL = 'xtensa-lx106-elf-';

function run(tool, args) {
  return execFileSync(TOOL + tool, args, { maxBuffer: 2 ** 31, encoding: 'utf8' });
}

// ---------------------------------------------------------------------------------------------
// objdump output → normalised entries (the live test in disasm.test.ts applies the same rules)

const LINE = /^\s*([0-9a-f]+):\t([0-9a-f]+)\s*\t(.*)$/;

/** Parses `objdump -d` output into {bytes, pc, text}; skips data lines (see header). */
function parseObjdump(output, stats) {
  const entries = [];
  for (const line of output.split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const [, address, hexColumn, rawText] = match;
    // The hex column shows the instruction word most significant byte first.
    const bytes = hexColumn.match(/../g).reverse().join('');
    const text = rawText.replace(/ <[^>]*>/g, '').trimEnd();
    if (text === '') {
      stats.literalWords++;
      continue;
    }
    if (text.startsWith('.byte') && (parseInt(bytes.slice(0, 2), 16) & 15) < 14) {
      stats.dataBytes++;
      continue;
    }
    entries.push({ b: bytes, pc: parseInt(address, 16), t: text });
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Sources

function findLibraries() {
  const libs = new Set();
  const libgcc = run('gcc', ['-print-libgcc-file-name']).trim();
  if (existsSync(libgcc)) libs.add(libgcc);
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'libc.a' || entry.name === 'libm.a') libs.add(path);
    }
  };
  walk('/usr/lib/xtensa-lx106-elf/lib');
  return [...libs].sort();
}

function findFirmware() {
  const root = join(repoRoot, 'firmware');
  if (!existsSync(root)) return [];
  const elfs = [];
  for (const project of readdirSync(root, { withFileTypes: true })) {
    const out = join(root, project.name, 'out');
    if (!project.isDirectory() || !existsSync(out)) continue;
    for (const name of readdirSync(out)) if (name.endsWith('.elf')) elfs.push(join(out, name));
  }
  return elfs.sort();
}

/** Small deterministic PRNG (mulberry32) so the synthetic sample is reproducible. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Assembles the synthetic sample: each word in a 6-byte slot padded with 0x0e bytes (op0 14,
 * never an instruction), so objdump resynchronises at every slot whatever the word decodes to;
 * then a few L32R loads of literals earlier in the same section. Linked at an IRAM address so
 * targets look like the ones firmware has.
 */
function buildSynthetic(workDir) {
  const random = prng(0x8266);
  const pick = (bits) => Math.floor(random() * 2 ** bits);
  const words = [];
  for (let op0 = 0; op0 < 8; op0++) {
    for (let high = 0; high < 4096; high++) {
      // high = op2:op1:r (bits 23..12); s and t (bits 11..4) random
      const r = high & 15;
      const op1 = (high >> 4) & 15;
      const op2 = high >> 8;
      words.push([(op2 << 20) | (op1 << 16) | (r << 12) | (pick(8) << 4) | op0, 3]);
    }
  }
  for (let op0 = 8; op0 < 14; op0++) {
    for (let rt = 0; rt < 256; rt++)
      words.push([((rt >> 4) << 12) | (pick(4) << 8) | ((rt & 15) << 4) | op0, 2]);
  }
  for (let b = 0; b < 256; b++) if ((b & 15) >= 14) words.push([b, 1]);

  const lines = ['\t.text', '\t.global _start', '_start:'];
  for (const [word, size] of words) {
    const bytes = [];
    for (let k = 0; k < 6; k++) bytes.push(k < size ? (word >>> (8 * k)) & 255 : 0x0e);
    lines.push(`\t.byte ${bytes.map((b) => `0x${b.toString(16)}`).join(', ')}`);
  }
  lines.push(
    '\t.align 4',
    'literals:',
    '\t.word 0x12345678, 0, 0xffffffff, 0x40100000, 0x3ffe8000, 0x80',
    'uses_literals:',
    ...[0, 4, 8, 12, 16, 20].map((offset, i) => `\tl32r a${i + 2}, literals + ${offset}`),
    '\tret.n',
  );
  const source = join(workDir, 'synthetic.S');
  writeFileSync(source, lines.join('\n') + '\n');
  run('as', [source, '-o', join(workDir, 'synthetic.o')]);
  const linked = join(workDir, 'synthetic-linked.elf');
  run('ld', ['-Ttext=0x40100000', '-e', '_start', join(workDir, 'synthetic.o'), '-o', linked]);
  // gas records `.byte`/`.word` as data in the .xt.prop property table, and objdump then prints
  // them byte by byte; without the table objdump decodes every slot as code.
  const elf = join(workDir, 'synthetic.elf');
  run('objcopy', ['--remove-section=.xt.prop', linked, elf]);
  return elf;
}

// ---------------------------------------------------------------------------------------------

function main() {
  const workDir = mkdtempSync(join(tmpdir(), 'disasm-corpus-'));
  try {
    const version = run('objdump', ['--version']).split('\n')[0];
    const inputs = [
      ...findLibraries().map((path) => ({ path, label: path })),
      ...findFirmware().map((path) => ({ path, label: relative(repoRoot, path) })),
      { path: buildSynthetic(workDir), label: 'synthetic encoding-space sample (gen.mjs)' },
    ];
    const seen = new Set();
    const entries = [];
    const sources = [];
    let compared = 0;
    for (const { path, label } of inputs) {
      const stats = { dataBytes: 0, literalWords: 0 };
      const parsed = parseObjdump(run('objdump', ['-d', path]), stats);
      let unique = 0;
      for (const entry of parsed) {
        const key = `${entry.b} ${entry.t}`;
        if (seen.has(key)) continue;
        seen.add(key);
        entries.push(entry);
        unique++;
      }
      compared += parsed.length;
      sources.push({
        source: label,
        instructions: parsed.length,
        unique,
        dataBytesSkipped: stats.dataBytes,
        literalWordsSkipped: stats.literalWords,
      });
      console.log(
        `${label}: ${parsed.length} lines, ${unique} new, ${stats.dataBytes} data bytes skipped`,
      );
    }
    const header = {
      format: 'v8266 disasm corpus 1',
      objdump: version,
      sources,
      compared,
      unique: entries.length,
    };
    const body =
      [JSON.stringify(header), ...entries.map((e) => JSON.stringify(e))].join('\n') + '\n';
    const gz = gzipSync(body, { level: 9 });
    writeFileSync(OUTPUT, gz);
    console.log(
      `${compared} lines → ${entries.length} unique entries, ${gz.length} bytes → ${relative(repoRoot, OUTPUT)}`,
    );
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main();
