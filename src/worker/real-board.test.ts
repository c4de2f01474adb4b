import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GUEST_RAM } from '../board/memory-layout.ts';
import { buildBoard } from './board-factory.ts';
import { EmulatorHost, type HostEnvironment } from './emulator-host.ts';
import { ByteRing } from './ring.ts';

// The worker's host over the real ESP8266 board, with the committed demo firmware.
// Wall time is faked: the pacer lets simulated time advance as the test pumps it.

function hostWithFakeWallClock() {
  let wallMs = 0;
  const queue: { at: number; task: () => void }[] = [];
  const env: HostEnvironment = {
    now: () => wallMs,
    yieldThen: (task) => void queue.push({ at: wallMs, task }),
    after: (ms, task) => void queue.push({ at: wallMs + ms, task }),
    buildBoard,
  };
  const pump = (untilMs: number) => {
    while (queue.length > 0) {
      queue.sort((a, b) => a.at - b.at);
      if (queue[0].at > untilMs) break;
      const { at, task } = queue.shift()!;
      wallMs = Math.max(wallMs, at);
      task();
    }
    wallMs = untilMs;
  };
  return { host: new EmulatorHost(env), pump };
}

describe('worker host on the real ESP8266 board', () => {
  it('boots demo.bin: ROM banner and app output on the ring, LED on GPIO2, RTC RAM shared', () => {
    const { host, pump } = hostWithFakeWallClock();
    const channels = host.start({ board: 'esp8266' });
    const data = new Uint8Array(readFileSync('firmware/esp/out/demo.bin'));
    const state = host.loadFlash({
      flashSize: 0x400000,
      parts: [{ offset: 0, data, name: 'demo.bin' }],
    });
    expect(state.runState).toBe('running');
    pump(1200);
    const text = new TextDecoder().decode(
      new ByteRing(channels.uart0Tx, channels.uart0TxCapacity).read(),
    );
    expect(text).toContain('rst cause:1, boot mode:(3,');
    expect(text).toContain('v8266 demo: boot 1 (flash), 1 since power-on (rtc)');
    const after = host.getState();
    expect(after.simSeconds).toBeGreaterThan(1);
    expect(after.instructions).toBeGreaterThan(1_000_000);
    expect(after.cpuMhz).toBe(80);
    expect(after.gpio[2]).not.toBeNull();
    // The demo keeps a magic word in RTC user memory (0x60001200): readable from the shared buffer.
    const rtc = new DataView(channels.guestMemory, GUEST_RAM.rtcMem.offset + 0x200, 4);
    expect(rtc.getUint32(0, true)).toBe(0x56383236);
  });
});
