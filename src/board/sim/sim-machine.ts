/**
 * The test machine: our Xtensa core on the memory map of QEMU's `-M sim -cpu lx106`, with the
 * SIMCALL semihosting subset, so the very same ELF files run on QEMU and here and their output,
 * exit code and per-instruction state can be compared.
 *
 * Like QEMU, loading puts every segment at its address and then resets the CPU at the lx106
 * reset vector 0x50000000 (the ELF entry point is ignored; the programs' reset trampoline jumps
 * to it). Pure TypeScript: the caller supplies the ELF bytes.
 */
import { XtensaCpu } from '../cpu/cpu.ts';
import { ElfFile, SegmentType } from '../image/elf.ts';
import { Semihosting } from './semihosting.ts';
import { SimBus } from './sim-bus.ts';

export const SIM_RESET_VECTOR = 0x50000000;

/** Cycles per `cpu.run` slice: small enough to honour an instruction limit promptly. */
const SLICE_CYCLES = 1 << 20;

export interface SimRunResult {
  /** exit(code), or null when the limit was reached first. */
  exitCode: number | null;
  instructions: number;
  cycles: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** stdout and stderr interleaved, as QEMU prints them. */
  console: Uint8Array;
}

export class SimMachine {
  readonly bus = new SimBus();
  readonly cpu: XtensaCpu;
  readonly semihosting: Semihosting;
  elf: ElfFile | null = null;

  constructor() {
    this.cpu = new XtensaCpu(this.bus);
    this.semihosting = new Semihosting(this.bus);
    this.cpu.onSimcall = () => this.semihosting.handle(this.cpu);
    this.semihosting.onExit = () => this.cpu.requestStop();
  }

  /** Clear memory, place the image's loadable segments, and reset. */
  load(image: Uint8Array | ElfFile): void {
    const elf = image instanceof ElfFile ? image : new ElfFile(image);
    this.bus.clear();
    for (const seg of elf.segments) {
      if (seg.type !== SegmentType.Load || seg.memsz === 0) continue;
      // the zeros first: checks the whole memsz fits (the .bss tail is already clear)
      this.bus.writeBytes(seg.vaddr, new Uint8Array(seg.memsz));
      this.bus.writeBytes(seg.vaddr, seg.data);
      this.cpu.invalidateCode(seg.vaddr, seg.memsz);
    }
    this.elf = elf;
    this.reset();
  }

  /** CPU back to its reset state at 0x50000000; output and exit status forgotten. Memory kept. */
  reset(): void {
    this.semihosting.reset();
    this.cpu.reset(SIM_RESET_VECTOR);
  }

  get exited(): boolean {
    return this.semihosting.exitCode !== null;
  }

  get exitCode(): number | null {
    return this.semihosting.exitCode;
  }

  setStdin(bytes: Uint8Array): void {
    this.semihosting.setStdin(bytes);
  }

  /** One instruction (or exception entry), for traces. */
  step(): void {
    this.cpu.step();
  }

  /**
   * Run until the program exits or `maxInstructions` more have executed (or, if it sleeps in
   * WAITI with nothing to wake it, `maxInstructions` cycles have passed).
   */
  run(maxInstructions = 1e10): SimRunResult {
    const cpu = this.cpu;
    const startInsns = cpu.instructions;
    const startCycles = cpu.cycles;
    while (!this.exited) {
      const left = maxInstructions - (cpu.instructions - startInsns);
      if (left <= 0 || cpu.cycles - startCycles >= maxInstructions) break;
      cpu.run(Math.min(SLICE_CYCLES, left));
    }
    return {
      exitCode: this.semihosting.exitCode,
      instructions: cpu.instructions - startInsns,
      cycles: cpu.cycles - startCycles,
      stdout: this.semihosting.stdout.bytes(),
      stderr: this.semihosting.stderr.bytes(),
      console: this.semihosting.console.bytes(),
    };
  }
}
