import { describe, expect, it } from 'vitest';
import { crashingElf } from '../../e2e/tiny-elf.ts';
import { elfToImage } from '../board/image/elf-to-image.ts';
import { buildBoard } from './board-factory.ts';
import { EmulatorHost, type HostEnvironment } from './emulator-host.ts';
import { ByteRing } from './ring.ts';

// The parts elfToImage makes from a tiny hand-written ELF, booted by our ROM on the real board.

describe('an ELF turned into flash parts boots on the ESP8266 board', () => {
  it('loads its RAM segments (the ROM banner says so) and runs into a StoreProhibited', () => {
    let wallMs = 0;
    const queue: { at: number; task: () => void }[] = [];
    const env: HostEnvironment = {
      now: () => wallMs,
      yieldThen: (task) => void queue.push({ at: wallMs, task }),
      after: (ms, task) => void queue.push({ at: wallMs + ms, task }),
      buildBoard,
    };
    const host = new EmulatorHost(env);
    const channels = host.start({ board: 'esp8266' });
    const { parts } = elfToImage(crashingElf());
    host.loadFlash({
      flashSize: 0x400000,
      parts: parts.map((p, i) => ({ ...p, name: `part${i}.bin` })),
    });
    while (queue.length > 0 && wallMs < 300) {
      queue.sort((a, b) => a.at - b.at);
      const { at, task } = queue.shift()!;
      wallMs = Math.max(wallMs, at);
      task();
    }
    const text = new TextDecoder().decode(
      new ByteRing(channels.uart0Tx, channels.uart0TxCapacity).read(),
    );
    expect(text).toContain('load 0x40100000, len 12, room');
    expect(text).toContain('load 0x3ffe8000, len 8, room');
    expect(text).not.toContain('csum err');
    expect(text).toContain('Fatal exception (29):');
    expect(text).toMatch(
      /epc1=0x40100003, epc2=0x[0-9a-f]{8}, epc3=0x[0-9a-f]{8}, excvaddr=0x00000000, depc=0x[0-9a-f]{8}/,
    );
  });
});
