/**
 * The GDB stub (`v8266 serve --gdb PORT`, `v8266 run --gdb PORT`) driven by a scripted RSP
 * client, because Debian's gdb-multiarch cannot debug an Xtensa target (docs/tools.md, "Testing"
 * says exactly why). Symbols come from the firmware's ELF files (firmware/esp/build).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ElfFile } from '../../src/board/image/elf.ts';
import { hexAddr, le32, RspClient, startRunUnderGdb } from './rsp-client.ts';
import { ROOT, startServe, type ServeProcess } from './serve-harness.ts';

const ELF_PATH = `${ROOT}/firmware/esp/build/demo.elf`;
const FAULT_ELF_PATH = `${ROOT}/firmware/esp/build/fault_test.elf`;

// The ELF is a build product (`make -C firmware`, which CI runs first), not a committed file: a
// checkout without the Xtensa toolchain skips this test, as the live QEMU oracle tests do; CI
// (CI=true) never skips it.
const canRun = existsSync(ELF_PATH) || !!process.env.CI;

describe.runIf(canRun)('v8266 serve --gdb', () => {
  let serve: ServeProcess | undefined;
  let gdb: RspClient | undefined;
  afterAll(async () => {
    gdb?.close();
    await serve?.stop();
  });

  it('stops at a breakpoint in the demo, reads registers and memory, steps, interrupts, detaches', async () => {
    expect(existsSync(ELF_PATH), 'firmware/esp/build/demo.elf: run make -C firmware').toBe(true);
    const elf = new ElfFile(new Uint8Array(readFileSync(ELF_PATH)));
    const blink = elf.symbol('blink_isr')!.value;
    const ledOn = elf.symbol('led_on')!.value;
    const text = elf.sections.find((s) => blink >= s.addr && blink < s.addr + s.size)!;
    const codeBytes = elf.bytes.subarray(
      text.offset + blink - text.addr,
      text.offset + blink - text.addr + 8,
    );

    serve = await startServe(['firmware/esp/out/demo.bin', '--gdb', '0']);
    gdb = await RspClient.open(serve.gdb!);
    // Attaching stops the core, as a debug probe does.
    expect(await gdb.command('?')).toBe('S02');
    expect(await gdb.command('qSupported:swbreak+;hwbreak+')).toContain('swbreak+');
    expect(await gdb.command('vCont?')).toContain('vCont;c');

    // Break where the FRC1 interrupt toggles the LED (every 0.5 s of simulated time).
    expect(await gdb.command(`Z0,${hexAddr(blink)},2`)).toBe('OK');
    expect(await gdb.command('c')).toBe('T05swbreak:;');
    let regs = await gdb.command('g');
    expect(regs).toHaveLength(113 * 8);
    const reg = (n: number) => le32(regs.slice(n * 8, n * 8 + 8));
    expect(reg(0)).toBe(blink); // pc
    expect(regs.slice(8, 16)).toBe('xxxxxxxx'); // not an lx106 register in this layout
    // Called from the interrupt dispatcher: the return address is IRAM code, the stack in DRAM,
    // and the core runs at interrupt level 1 or with EXCM set.
    expect(reg(97) >>> 20).toBe(0x401); // a0
    expect(reg(98) >>> 20).toBe(0x3ff); // a1 (sp)
    expect((reg(42) & 0x10) !== 0 || (reg(42) & 0xf) >= 1).toBe(true); // ps
    expect(await gdb.command(`p${(97).toString(16)}`)).toBe(regs.slice(97 * 8, 98 * 8));

    // Memory: the code at the breakpoint is the ELF's (the breakpoint does not patch it).
    const code = await gdb.command(`m${hexAddr(blink)},8`);
    expect(code).toBe(Buffer.from(codeBytes).toString('hex'));
    // A variable: led_on flips between two hits.
    const before = parseInt(await gdb.command(`m${hexAddr(ledOn)},4`), 16);
    expect(await gdb.command('c')).toBe('T05swbreak:;');
    const after = parseInt(await gdb.command(`m${hexAddr(ledOn)},4`), 16);
    expect(after ^ before).toBe(1 << 24); // the word is read as little-endian hex: byte 0 is first

    // Single step: pc moves past the first instruction (16-bit when op0 is 8..13: density).
    const op0 = codeBytes[0] & 0xf;
    expect(await gdb.command('s')).toBe('S05');
    regs = await gdb.command('g');
    expect(reg(0)).toBe(blink + (op0 >= 8 && op0 <= 13 ? 2 : 3));

    // Writing a register and memory: a scratch word in DRAM.
    expect(await gdb.command(`M${hexAddr(0x3ffe9000)},4:78563412`)).toBe('OK');
    expect(await gdb.command(`m${hexAddr(0x3ffe9000)},4`)).toBe('78563412');
    expect(await gdb.command(`P${(110).toString(16)}=efbeadde`)).toBe('OK'); // a13
    expect(await gdb.command(`p${(110).toString(16)}`)).toBe('efbeadde');

    // Without the breakpoint the board runs until Ctrl-C.
    expect(await gdb.command(`z0,${hexAddr(blink)},2`)).toBe('OK');
    gdb.send('vCont;c');
    gdb.interrupt();
    expect(await gdb.reply()).toBe('S02');
    expect(await gdb.command('D')).toBe('OK');
    gdb.close();
    gdb = undefined;
    expect(serve.log()).not.toMatch(/error/i);
  });
});

/** The target description, read in chunks as GDB does. */
async function readTargetXml(gdb: RspClient): Promise<string> {
  let xml = '';
  for (;;) {
    const chunk = await gdb.command(
      `qXfer:features:read:target.xml:${xml.length.toString(16)},200`,
    );
    expect(chunk[0]).toMatch(/[ml]/);
    xml += chunk.slice(1);
    if (chunk[0] === 'l') return xml;
  }
}

/** Python's XML parser (python3 is in CI for the pyserial test): null when well-formed. */
function xmlError(xml: string): string | null {
  const check = spawnSync(
    'python3',
    ['-c', 'import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())'],
    {
      input: xml,
    },
  );
  return check.status === 0 ? null : check.stderr.toString();
}

describe.runIf(canRun)('v8266 run --gdb', () => {
  let run: Awaited<ReturnType<typeof startRunUnderGdb>> | undefined;
  let gdb: RspClient | undefined;
  afterAll(() => {
    gdb?.close();
    run?.child.kill();
  });

  it('waits for GDB at the reset vector; a watchpoint stops before the write; a handled LoadStoreError runs on; a crash stops as SIGSEGV with EPC1/EXCCAUSE/EXCVADDR', async () => {
    expect(
      existsSync(FAULT_ELF_PATH),
      'firmware/esp/build/fault_test.elf: run make -C firmware',
    ).toBe(true);
    const elf = new ElfFile(new Uint8Array(readFileSync(FAULT_ELF_PATH)));
    const watched = elf.symbol('watched')!.value;
    const loadsFixed = elf.symbol('loads_fixed')!.value;
    const entry = elf.symbol('app_entry')!;
    const crash = elf.symbol('crash')!;

    run = await startRunUnderGdb(['firmware/esp/out/fault_test.bin', '--timeout', '1']);
    gdb = await RspClient.open(run.port);
    expect(await gdb.command('?')).toBe('S02');
    expect(await gdb.command('p0')).toBe('80000040'); // pc: the reset vector, nothing ran yet
    const features = await gdb.command('qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+');
    expect(features.split(';')).toContain('qXfer:features:read+');

    // The target description: well-formed, and its registers are the stub's numbering.
    const xml = await readTargetXml(gdb);
    expect(xmlError(xml)).toBeNull();
    const regs = [...xml.matchAll(/<reg name="(\w+)" bitsize="32" regnum="(\d+)"/g)].map((m) => ({
      name: m[1],
      regnum: Number(m[2]),
    }));
    expect(regs.map((r) => r.regnum)).toEqual(regs.map((_, i) => i)); // 0, 1, 2… in order
    expect(new Set(regs.map((r) => r.name)).size).toBe(regs.length);
    const regnum = (name: string) => regs.find((r) => r.name === name)!.regnum;
    const g = await gdb.command('g');
    expect(g.length / 8).toBe(113); // the g packet: the first 113 of them
    expect(regs.length).toBeGreaterThan(113);
    expect(regnum('pc')).toBe(0);
    expect(regnum('a0')).toBe(97);
    expect(regnum('a15')).toBe(112);
    for (const name of ['pc', 'sar', 'litbase', 'ps', 'a1']) {
      const n = regnum(name);
      expect(g.slice(n * 8, n * 8 + 8), name).toBe(await gdb.command(`p${n.toString(16)}`));
      expect(g.slice(n * 8, n * 8 + 8), name).not.toBe('xxxxxxxx');
    }
    const readReg = async (name: string) =>
      le32(await gdb!.command(`p${regnum(name).toString(16)}`));

    // A write watchpoint on `watched` (4 bytes): the ROM's loader writes its initial value 7 when
    // it copies .data, then the program writes 0x1234 and 0x1235. Each stop comes before the
    // store, pc at it (DBREAK, as on the chip); the Xtensa GDB's watchpoints are non-steppable,
    // so it lifts the watchpoint, steps the store, sets it again and reads the new value.
    expect(await gdb.command(`Z2,${hexAddr(watched)},4`)).toBe('OK');
    expect(await gdb.command(`Z2,${hexAddr(watched + 0x40)},4`)).toBe('E01'); // the LX106 has one DBREAK
    const values: number[] = [];
    let pc = 0;
    while (values.length < 2 || values[values.length - 1] !== 0x1235) {
      expect(await gdb.command('c')).toBe(`T05watch:${hexAddr(watched)};`);
      const before = le32(await gdb.command(`m${hexAddr(watched)},4`));
      pc = await readReg('pc');
      expect(await gdb.command(`z2,${hexAddr(watched)},4`)).toBe('OK');
      expect(await gdb.command('s')).toBe('S05');
      expect(await readReg('pc')).toBeGreaterThan(pc);
      expect(await gdb.command(`Z2,${hexAddr(watched)},4`)).toBe('OK');
      values.push(le32(await gdb.command(`m${hexAddr(watched)},4`)));
      expect(values[values.length - 1]).not.toBe(before);
      expect(values.length).toBeLessThan(4);
    }
    expect(values.slice(-3)).toEqual([7, 0x1234, 0x1235]);
    // The last stop was at the program's own store, inside app_entry.
    expect(pc).toBeGreaterThan(entry.value);
    expect(pc).toBeLessThan(entry.value + entry.size);
    // The IRAM byte load before it raised LoadStoreError, which the program's handler fixed
    // without a stop (a fault handled on purpose).
    expect(le32(await gdb.command(`m${hexAddr(loadsFixed)},4`))).toBe(1);
    expect(await gdb.command(`z2,${hexAddr(watched)},4`)).toBe('OK');

    // The store to 0x10 in crash(): StoreProhibited, the ROM's fatal handler, SIGSEGV.
    expect(await gdb.command('c')).toBe('S0b');
    expect(await readReg('exccause')).toBe(29);
    expect(await readReg('excvaddr')).toBe(0x10);
    const epc1 = await readReg('epc1');
    expect(epc1).toBeGreaterThanOrEqual(crash.value);
    expect(epc1).toBeLessThan(crash.value + crash.size);

    // Detached, the board runs to the timeout as `run` does.
    expect(await gdb.command('D')).toBe('OK');
    gdb.close();
    gdb = undefined;
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain('iram byte 0x33, 1 load fixed');
    expect(run.stdout()).toContain('Fatal exception (29)');
    run = undefined;
  });
});
