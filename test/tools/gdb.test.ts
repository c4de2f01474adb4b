/**
 * `v8266 serve --gdb PORT`: the GDB remote protocol against the demo firmware, driven by a
 * scripted RSP client (Debian's gdb-multiarch has no Xtensa target: `set architecture` lists
 * none, so xtensa-lx106-elf-gdb cannot be run in CI). Symbols come from the demo's ELF.
 */
import { existsSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ElfFile } from '../../src/board/image/elf.ts';
import { ROOT, startServe, type ServeProcess } from './serve-harness.ts';

const ELF_PATH = `${ROOT}/firmware/esp/build/demo.elf`;

/** GDB's side of the wire: packets with checksums, acknowledgements, replies. */
class RspClient {
  private buffer = '';
  private waiters: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      this.buffer += text;
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static open(port: number): Promise<RspClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RspClient(socket)));
      socket.once('error', reject);
    });
  }

  send(data: string): void {
    let sum = 0;
    for (const c of data) sum = (sum + c.charCodeAt(0)) & 0xff;
    this.socket.write(`$${data}#${sum.toString(16).padStart(2, '0')}`, 'latin1');
  }

  interrupt(): void {
    this.socket.write('\x03', 'latin1');
  }

  /** The next reply packet's data (acknowledgements skipped; the checksum verified). */
  async reply(): Promise<string> {
    for (;;) {
      this.buffer = this.buffer.replace(/^\++/, '');
      const m = /^\$([^#]*)#([0-9a-f]{2})/.exec(this.buffer);
      if (m) {
        this.buffer = this.buffer.slice(m[0].length);
        let sum = 0;
        for (const c of m[1]) sum = (sum + c.charCodeAt(0)) & 0xff;
        expect(parseInt(m[2], 16)).toBe(sum);
        this.socket.write('+');
        return m[1];
      }
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  async command(data: string): Promise<string> {
    this.send(data);
    return this.reply();
  }

  close(): void {
    this.socket.destroy();
  }
}

const le32 = (hex: string) => {
  let v = 0;
  for (let i = 3; i >= 0; i--) v = (v << 8) | parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return v >>> 0;
};
const hexAddr = (a: number) => a.toString(16);

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
