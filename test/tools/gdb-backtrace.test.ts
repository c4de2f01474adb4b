/**
 * The debugging session on our own firmware built with -g, done as GDB does it: break at
 * a function, step, print a global and a local, and read the backtrace by unwinding with the
 * ELF's call-frame information over the stub's registers and memory (firmware/esp/backtrace_test.c;
 * the scripted client stands in for an Xtensa GDB, docs/tools.md "Testing").
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ElfFile, SymbolType } from '../../src/board/image/elf.ts';
import { parseDebugFrame, unwind } from './dwarf-unwind.ts';
import { hexAddr, le32, RspClient, startRunUnderGdb } from './rsp-client.ts';
import { ROOT } from './serve-harness.ts';

const ELF_PATH = `${ROOT}/firmware/esp/build/backtrace_test.elf`;
const A0 = 97; // a0–a15 are g-packet slots 97–112 (src/board/debug/gdb-registers.ts)

/**
 * Where the local `name` of function `func` lives: its DW_OP_fbreg offset, from the toolchain's
 * dump of .debug_info, after checking that the function's frame base is its CFA (what GCC emits
 * for this target), so that the address is the unwinder's CFA plus the offset.
 */
function localFrameOffset(func: string, name: string): number {
  const dump = spawnSync('xtensa-lx106-elf-readelf', ['--debug-dump=info', ELF_PATH], {
    maxBuffer: 1 << 24,
  }).stdout.toString();
  const dies = dump.split(/\n(?= <\d+><[0-9a-f]+>:)/);
  const depth = (die: string) => Number(/^ <(\d+)>/.exec(die)?.[1] ?? -1);
  const named = (die: string, n: string) => new RegExp(`DW_AT_name\\s*:.*?\\b${n}$`, 'm').test(die);
  const at = dies.findIndex((d) => d.includes('(DW_TAG_subprogram)') && named(d, func));
  expect(at, `DWARF subprogram ${func}`).toBeGreaterThan(0);
  expect(dies[at]).toMatch(/DW_AT_frame_base\s*:.*\(DW_OP_call_frame_cfa\)/);
  for (let i = at + 1; i < dies.length && depth(dies[i]) > depth(dies[at]); i++) {
    if (!dies[i].includes('(DW_TAG_variable)') || !named(dies[i], name)) continue;
    const m = /DW_AT_location\s*:.*\(DW_OP_fbreg: (-?\d+)\)/.exec(dies[i]);
    expect(m, `${func}.${name}: a DW_OP_fbreg location`).not.toBeNull();
    return Number(m![1]);
  }
  throw new Error(`no local ${name} in ${func}`);
}

// A build product of `make -C firmware`, as in gdb.test.ts: skipped without the toolchain, never in CI.
const canRun = existsSync(ELF_PATH) || !!process.env.CI;

describe.runIf(canRun)('GDB session on own firmware built with -g', () => {
  let run: Awaited<ReturnType<typeof startRunUnderGdb>> | undefined;
  let gdb: RspClient | undefined;
  afterAll(() => {
    gdb?.close();
    run?.child.kill();
  });

  it('breaks in innermost, steps, prints `calls` and the local `scaled`, and unwinds innermost <- middle <- outer <- app_entry', async () => {
    expect(
      existsSync(ELF_PATH),
      'firmware/esp/build/backtrace_test.elf: run make -C firmware',
    ).toBe(true);
    const elf = new ElfFile(new Uint8Array(readFileSync(ELF_PATH)));
    const frameSection = elf.section('.debug_frame')!;
    const fdes = parseDebugFrame(
      elf.bytes.subarray(frameSection.offset, frameSection.offset + frameSection.size),
    );
    const innermost = elf.symbol('innermost')!.value;
    const calls = elf.symbol('calls')!.value;
    const scaledOffset = localFrameOffset('innermost', 'scaled');
    /** The function a code address is in, by the ELF's symbols, else the address. */
    const functionAt = (addr: number) => {
      const s = elf.symbolAt(addr);
      return s?.type === SymbolType.Func && addr < s.value + s.size ? s.name : hexAddr(addr);
    };

    run = await startRunUnderGdb(['firmware/esp/out/backtrace_test.bin', '--timeout', '1']);
    const client = (gdb = await RspClient.open(run.port));
    expect(await client.command('?')).toBe('S02');
    await client.command('qSupported:swbreak+;hwbreak+');
    const readWord = async (addr: number) => le32(await client.command(`m${hexAddr(addr)},4`));
    const frames = async () => {
      const g = await client.command('g');
      const reg = (n: number) => le32(g.slice(n * 8, n * 8 + 8));
      const a = Array.from({ length: 16 }, (_, i) => reg(A0 + i));
      return unwind(fdes, reg(0), a, readWord);
    };
    /** `backtrace`: each frame's function; callers by their call (return address - 1). */
    const backtrace = async () =>
      (await frames()).map((f, depth) => functionAt(depth === 0 ? f.pc : f.pc - 1));

    // `break innermost`: hit once per call of the chain, app_entry's loop calling outer(i * 100).
    expect(await client.command(`Z0,${hexAddr(innermost)},2`)).toBe('OK');
    for (const i of [0, 1]) {
      expect(await client.command('c')).toBe('T05swbreak:;');
      expect(le32(await client.command('p0'))).toBe(innermost);
      const chain = await backtrace();
      expect(chain.slice(0, 4)).toEqual(['innermost', 'middle', 'outer', 'app_entry']);
      // app_entry's caller is the ROM's loader (0x40000000–0x4000ffff), outside the ELF.
      expect(chain).toHaveLength(5);
      expect((await frames())[4].pc >>> 16).toBe(0x4000);
      expect(await readWord(calls)).toBe(i); // `print calls` before the increment

      // `stepi` until `calls` changes: the frame list holds through the prologue's stack
      // adjustment, whose CFA rule changes under the step.
      let steps = 0;
      while ((await readWord(calls)) === i) {
        expect(await client.command('s')).toBe('S05');
        expect(await backtrace()).toEqual(chain);
        expect(++steps).toBeLessThan(16);
      }
      expect(await readWord(calls)).toBe(i + 1);
      // `print scaled`: innermost(x) with x = i * 100 + 2 keeps x * 3 at its CFA - 16.
      const [top] = await frames();
      expect(await readWord(top.cfa + scaledOffset)).toBe((i * 100 + 2) * 3);
    }

    expect(await client.command(`z0,${hexAddr(innermost)},2`)).toBe('OK');
    expect(await client.command('D')).toBe('OK');
    client.close();
    gdb = undefined;
    expect(await run.exited).toBe(0);
    // outer(x) = ((x + 2) * 3 + 1 ^ 0x55) * 2
    expect(run.stdout()).toMatch(/chain 0 -> 164\r?\nchain 1 -> 716\r?\nchain 2 -> 1044\r?\n/);
    run = undefined;
  });
});
