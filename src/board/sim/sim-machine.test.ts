import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SimMachine, SIM_RESET_VECTOR } from './sim-machine.ts';

const elfBytes = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../firmware/sim/out/${name}.elf`, import.meta.url)));

describe('SimMachine', () => {
  it('starts at the lx106 reset vector 0x50000000 like QEMU, not at the ELF entry', () => {
    const m = new SimMachine();
    m.load(elfBytes('trace_mix'));
    expect(m.cpu.pc >>> 0).toBe(SIM_RESET_VECTOR);
    expect(m.elf!.entry).not.toBe(SIM_RESET_VECTOR);
  });

  it("runs hello.elf: printf, 64-bit division and soft-float output, exit(42), QEMU's instruction count", () => {
    const m = new SimMachine();
    m.load(elfBytes('hello'));
    const r = m.run();
    expect(new TextDecoder().decode(r.stdout)).toBe(
      'hello from lx106: fib(20)=6765\n' +
        '64-bit: 123456789012345 / 97 = 1272750402189 rem 12\n' +
        'soft-float: 6.283 strlen=5\n',
    );
    expect(r.exitCode).toBe(42);
    // QEMU -singlestep logs 233304 states for this program (one per instruction)
    expect(r.instructions).toBe(233304);
  });

  it('stops at the instruction limit with no exit code, and continues where it stopped', () => {
    const m = new SimMachine();
    m.load(elfBytes('trace_mix'));
    const first = m.run(1000);
    expect(first.exitCode).toBeNull();
    expect(first.instructions).toBeGreaterThanOrEqual(1000);
    expect(first.instructions).toBeLessThan(1010);
    const rest = m.run();
    expect(rest.exitCode).toBe(23);
    expect(new TextDecoder().decode(rest.stdout)).toBe('029d2297\n');
    expect(first.instructions + rest.instructions).toBe(3700);
  });

  it("reports an exception through the program's vectors (unmapped load: EXCCAUSE 15)", () => {
    const m = new SimMachine();
    m.load(elfBytes('exc3'));
    const r = m.run();
    expect(r.exitCode).toBe(128 + 5); // user vector
    expect(new TextDecoder().decode(r.console)).toContain('EXCCAUSE=0000000f');
    expect(new TextDecoder().decode(r.console)).toContain('EXCVADDR=20000000');
  });

  it('reloading clears memory and output from the previous program', () => {
    const m = new SimMachine();
    m.load(elfBytes('hello'));
    m.run();
    m.bus.write32(0x40200000, 0xdeadbeef); // instrom0, which no program uses
    m.load(elfBytes('empty'));
    expect(m.bus.read32(0x40200000)).toBe(0);
    const r = m.run();
    expect(r.exitCode).toBe(0);
    expect(r.stdout.length).toBe(0);
  });
});
