/**
 * Quick interpreter speed check (not the official `npm run bench`):
 *   npx tsx src/board/cpu/testing/bench-loop.ts [millions of cycles]
 * Runs a loop shaped like compiled code (narrow loads/adds, EXTUI, XOR, L16UI, SRLI, a store,
 * BNEZ, J) on the RAM test bus and prints guest MIPS.
 */
import { XtensaCpu } from '../cpu.ts';
import * as x from './encode.ts';
import { RamBus, TEST_DRAM, TEST_IRAM } from './ram-bus.ts';

const bus = new RamBus();
const cpu = new XtensaCpu(bus);
const code = TEST_IRAM.base + 0x1000;
const outer = [x.mov_n(3, 12), x.movi(2, 64)];
const body = [
  x.l32i_n(5, 3, 0),
  x.addi_n(3, 3, 4),
  x.extui(6, 5, 4, 8),
  x.xor(7, 7, 6),
  x.add_n(8, 8, 5),
  x.l16ui(9, 3, 2),
  x.srli(10, 9, 3),
  x.s32i_n(8, 4, 0),
  x.mov_n(11, 10),
  x.addi_n(2, 2, -1),
];
const bodyBytes = x.toBytes(body).length;
const outerBytes = x.toBytes(outer).length;
const words = [...outer, ...body, x.bnez(2, -bodyBytes), x.j(-(outerBytes + bodyBytes + 3))];
bus.load(code, x.toBytes(words));
cpu.reset(code);
cpu.regs[12] = TEST_DRAM.base;
cpu.regs[4] = TEST_DRAM.base + 0x8000;

const million = Number(process.argv[2] ?? 200);
cpu.run(5_000_000); // warm up
const before = cpu.instructions;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (let i = 0; i < million; i++) {
  cpu.run(1_000_000);
  if (process.env.TRACE && i % 20 === 0)
    console.log(i, (performance.now() - t0).toFixed(0), cpu.pc.toString(16), cpu.readSpecial(232));
}
const seconds = (performance.now() - t0) / 1000;
const cpuSeconds = process.cpuUsage(cpu0).user / 1e6;
const n = cpu.instructions - before;
console.log(
  `${(n / 1e6).toFixed(0)} M instructions in ${seconds.toFixed(2)} s wall (${(n / seconds / 1e6).toFixed(1)} MIPS), ` +
    `${cpuSeconds.toFixed(2)} s CPU (${(n / cpuSeconds / 1e6).toFixed(1)} MIPS per CPU second)`,
);
