import { describe, expect, it } from 'vitest';
import { GPIO_COUNT } from './protocol.ts';
import { StatusBlock } from './status-block.ts';

describe('StatusBlock', () => {
  it('reads back what was published, through a second view of the same memory', () => {
    const writer = StatusBlock.allocate();
    const reader = new StatusBlock(writer.buffer);
    const gpio: (0 | 1 | null)[] = new Array(GPIO_COUNT).fill(null);
    gpio[2] = 0;
    gpio[16] = 1;
    writer.publish({
      runState: 'paused',
      pacing: 'max',
      simSeconds: 1.25,
      speedPercent: 97.5,
      mips: 33.5,
      cpuMhz: 80,
      instructions: 123456789,
      uartBytesReceived: 3,
      uartBytesSent: 42,
      uart1BytesSent: 7,
      a0: 512,
      gpio,
      gpioOutput: gpio.map((_, pin) => (pin === 2 ? 1 : 0)),
      gpioHostDrive: gpio.map((_, pin) => (pin === 0 ? 0 : null)),
      gpioConflict: gpio.map((_, pin) => pin === 2),
    });
    const s = reader.read();
    expect(s.mips).toBe(33.5);
    expect(s).toMatchObject({
      runState: 'paused',
      pacing: 'max',
      simSeconds: 1.25,
      speedPercent: 97.5,
      cpuMhz: 80,
      instructions: 123456789,
      uartBytesReceived: 3,
      uartBytesSent: 42,
      publishes: 1,
    });
    expect(s.gpio[2]).toBe(0);
    expect(s.gpio[16]).toBe(1);
    expect(s.gpio[0]).toBeNull();
    expect(s).toMatchObject({ uart1BytesSent: 7, a0: 512 });
    expect(s.gpioOutput[2]).toBe(1);
    expect(s.gpioOutput[3]).toBe(0);
    expect(s.gpioHostDrive[0]).toBe(0);
    expect(s.gpioHostDrive[1]).toBeNull();
    expect(s.gpioConflict[2]).toBe(true);
    expect(s.gpioConflict[3]).toBe(false);
  });

  it('reads a fresh block as no board, nothing published', () => {
    const s = StatusBlock.allocate().read();
    expect(s.runState).toBe('no-board');
    expect(s.publishes).toBe(0);
  });

  it('does not hang when the writer died in the middle of an update', () => {
    const block = StatusBlock.allocate();
    new Int32Array(block.buffer, 0, 1)[0] = 1; // sequence left odd: "writing" forever
    expect(block.read().runState).toBe('no-board');
  });
});
