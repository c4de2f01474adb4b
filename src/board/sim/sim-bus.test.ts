import { describe, expect, it } from 'vitest';
import { ExcCause, MemoryFault } from '../cpu/bus.ts';
import { SimBus } from './sim-bus.ts';
import { Semihosting, SimcallNumber } from './semihosting.ts';

function faultOf(fn: () => unknown): { cause: number; vaddr: number } {
  try {
    fn();
  } catch (e) {
    if (e instanceof MemoryFault) return { cause: e.cause, vaddr: e.vaddr };
    throw e;
  }
  throw new Error('no fault');
}

describe('SimBus (QEMU -M sim -cpu lx106 memory map)', () => {
  it('is RAM at every width in the data RAMs, instruction RAMs and the reset region', () => {
    const bus = new SimBus();
    for (const base of [
      0x3ff40000, 0x3ff80000, 0x3ffc0000, 0x40000000, 0x40100000, 0x40200000, 0x50000000,
    ]) {
      bus.write32(base + 8, 0x11223344);
      expect(bus.read32(base + 8)).toBe(0x11223344);
      expect(bus.read16(base + 10)).toBe(0x1122);
      expect(bus.read8(base + 8)).toBe(0x44); // little-endian
      bus.write8(base + 9, 0xab);
      bus.write16(base + 10, 0xcdef);
      expect(bus.read32(base + 8)).toBe(0xcdefab44);
    }
    // the last word of dataram0 (stack top) and of instrom0
    bus.write32(0x3ffffffc, 0xdeadbeef);
    expect(bus.read32(0x3ffffffc)).toBe(0xdeadbeef);
    bus.write32(0x402ffffc, 1);
    expect(bus.read32(0x402ffffc)).toBe(1);
  });

  it('faults LoadStorePIFAddrError (15) with the address on unmapped data accesses, like QEMU', () => {
    const bus = new SimBus();
    expect(faultOf(() => bus.read32(0x20000000))).toEqual({
      cause: ExcCause.LoadStorePIFAddrError,
      vaddr: 0x20000000,
    });
    expect(faultOf(() => bus.write32(0x20000000, 1))).toEqual({
      cause: ExcCause.LoadStorePIFAddrError,
      vaddr: 0x20000000,
    });
    expect(faultOf(() => bus.read8(0x3ff3ffff)).vaddr).toBe(0x3ff3ffff);
    expect(faultOf(() => bus.write16(0x40300000, 0)).vaddr).toBe(0x40300000);
    expect(faultOf(() => bus.read32(0xfffffffc)).vaddr).toBe(0xfffffffc);
  });

  it('fetches little-endian 24-bit words at any alignment and faults InstrPIFAddrError (14) outside memory', () => {
    const bus = new SimBus();
    bus.writeBytes(0x40100001, Uint8Array.of(0x06, 0x01, 0x00, 0x3d, 0xf0));
    expect(bus.fetch(0x40100001)).toBe(0x000106);
    expect(bus.fetch(0x40100004)).toBe(0x00f03d);
    expect(faultOf(() => bus.fetch(0x10000000)).cause).toBe(ExcCause.InstrPIFAddrError);
    // a 2-byte instruction in the last bytes of a region still fetches (missing bytes read 0)
    bus.writeBytes(0x402ffffe, Uint8Array.of(0x3d, 0xf0));
    expect(bus.fetch(0x402ffffe)).toBe(0xf03d);
  });

  it('rejects host copies that leave the mapped regions', () => {
    const bus = new SimBus();
    expect(() => bus.writeBytes(0x3ffffffe, new Uint8Array(4))).not.toThrow(); // runs into instram0
    expect(() => bus.writeBytes(0x402fffff, new Uint8Array(2))).toThrow(RangeError);
    expect(() => bus.readBytes(0x60000000, 1)).toThrow(RangeError);
  });
});

describe('Semihosting (SIMCALL: a2 = number, a3..a5 = args; a2 = result, a3 = errno)', () => {
  function setup() {
    const bus = new SimBus();
    const host = new Semihosting(bus);
    const cpu = { regs: new Uint32Array(16) };
    const call = (nr: number, a = 0, b = 0, c = 0) => {
      cpu.regs.set([nr, a, b, c], 2);
      host.handle(cpu);
      return { result: cpu.regs[2]! | 0, errno: cpu.regs[3]! };
    };
    return { bus, host, call };
  }

  it('write(1|2, buf, len) collects the bytes and returns len', () => {
    const { bus, host, call } = setup();
    bus.writeBytes(0x3ffc0100, new TextEncoder().encode('hi\nerr'));
    expect(call(SimcallNumber.Write, 1, 0x3ffc0100, 3)).toEqual({ result: 3, errno: 0 });
    expect(call(SimcallNumber.Write, 2, 0x3ffc0103, 3)).toEqual({ result: 3, errno: 0 });
    expect(host.stdout.text()).toBe('hi\n');
    expect(host.stderr.text()).toBe('err');
    expect(host.console.text()).toBe('hi\nerr');
    expect(call(SimcallNumber.Write, 7, 0x3ffc0100, 1)).toEqual({ result: -1, errno: 9 }); // EBADF
    expect(call(SimcallNumber.Write, 1, 0x20000000, 4)).toEqual({ result: -1, errno: 14 }); // EFAULT
  });

  it('read(0, buf, len) hands out stdin, then 0 at end of input', () => {
    const { bus, host, call } = setup();
    host.setStdin(Uint8Array.of(65, 66, 67));
    expect(call(SimcallNumber.Read, 0, 0x3ffc0000, 2).result).toBe(2);
    expect(call(SimcallNumber.Read, 0, 0x3ffc0002, 8).result).toBe(1);
    expect(call(SimcallNumber.Read, 0, 0x3ffc0003, 8).result).toBe(0);
    expect(Array.from(bus.readBytes(0x3ffc0000, 3))).toEqual([65, 66, 67]);
  });

  it('exit(code) records the code and tells the machine; unknown calls fail with ENOSYS', () => {
    const { host, call } = setup();
    let stopped = 0;
    host.onExit = () => stopped++;
    expect(call(SimcallNumber.Open, 0x3ffc0000, 0, 0)).toEqual({ result: -1, errno: 88 });
    expect(host.exitCode).toBeNull();
    call(SimcallNumber.Exit, -3 >>> 0);
    expect(host.exitCode).toBe(-3);
    expect(stopped).toBe(1);
  });

  it('memset(buf, c, n) fills guest memory and returns buf', () => {
    const { bus, call } = setup();
    expect(call(SimcallNumber.Memset, 0x3ffc0010, 0x5a, 4).result).toBe(0x3ffc0010);
    expect(bus.read32(0x3ffc0010)).toBe(0x5a5a5a5a);
  });
});
