/**
 * Runs small instruction sequences on a fresh core for unit tests: load encoded words into RAM,
 * run until the PC reaches a stop address, and throw when a step cap is hit instead (a test must
 * never hang).
 */
import { XtensaCpu } from '../cpu.ts';
import { PS_UM } from '../special-registers.ts';
import { SR } from '../special-registers.ts';
import { toBytes } from './encode.ts';
import { RamBus, TEST_DRAM, TEST_IRAM } from './ram-bus.ts';

/** VECBASE in tests (start of test IRAM, like the ESP8266 SDKs). Vectors at +0x10..+0x70. */
export const VECBASE = TEST_IRAM.base;
/** Where `exec` loads the program under test. */
export const CODE = TEST_IRAM.base + 0x400;
/** A data area for loads and stores. */
export const DATA = TEST_DRAM.base + 0x1000;

export class TestProgram {
  readonly bus = new RamBus();
  readonly cpu = new XtensaCpu(this.bus);

  /** `ps` defaults to the state firmware runs in: user mode, EXCM = 0, INTLEVEL = 0. */
  constructor(ps = PS_UM) {
    this.cpu.reset(CODE);
    this.cpu.writeSpecial(SR.VECBASE, VECBASE);
    this.cpu.writeSpecial(SR.PS, ps);
  }

  get regs(): Uint32Array {
    return this.cpu.regs;
  }

  /** Load encoded instruction words at `addr`; returns the address after the last one. */
  load(addr: number, words: readonly number[]): number {
    const bytes = toBytes(words);
    this.bus.load(addr, bytes);
    this.cpu.invalidateCode(addr, bytes.length);
    return addr + bytes.length;
  }

  /** Step until pc === `stopAt`; throws after `maxSteps` steps. Returns the steps taken. */
  runUntil(stopAt: number, maxSteps = 10_000): number {
    for (let n = 0; n < maxSteps; n++) {
      if (this.cpu.pc === stopAt >>> 0) return n;
      this.cpu.step();
    }
    throw new Error(
      `did not reach 0x${(stopAt >>> 0).toString(16)} in ${maxSteps} steps (pc 0x${this.cpu.pc.toString(16)})`,
    );
  }

  /** Load `words` at CODE, start there and run to the end of the sequence. */
  exec(words: readonly number[], maxSteps = 10_000): this {
    const end = this.load(CODE, words);
    this.cpu.pc = CODE;
    this.runUntil(end, maxSteps);
    return this;
  }

  /** Set a0..a15 from an object like { 3: 5, 4: 0xffffffff }. */
  set(values: Record<number, number>): this {
    for (const [k, v] of Object.entries(values)) this.cpu.regs[Number(k)] = v >>> 0;
    return this;
  }

  sr(num: number): number {
    return this.cpu.readSpecial(num);
  }
}

/** Run `words` with registers preset, return the CPU's registers afterwards. */
export function run(words: readonly number[], regs: Record<number, number> = {}): Uint32Array {
  return new TestProgram().set(regs).exec(words).regs;
}
