/**
 * The whole command line in-process, with a scripted board plugged in where the ESP8266 will go:
 * what reaches stdout and stderr, and the exit codes, once a board exists.
 */

import { describe, expect, it } from 'vitest';
import type { EmulatedBoard } from '../board/board-api.ts';
import type { CliHost } from './host.ts';
import { main } from './main.ts';
import { FakeBoard, type ScheduledOutput } from './testing/fake-board.ts';

interface TestHost extends CliHost {
  stdout: number[];
  stderr: string;
  flashSeen: Uint8Array | null;
  board: FakeBoard | null;
}

function testHost(
  files: Record<string, Uint8Array>,
  makeBoard: (() => FakeBoard) | null,
): TestHost {
  const host: TestHost = {
    stdout: [],
    stderr: '',
    flashSeen: null,
    board: null,
    writeStdout(bytes) {
      host.stdout.push(...(typeof bytes === 'string' ? Buffer.from(bytes) : bytes));
    },
    writeStderr(text) {
      host.stderr += text;
    },
    readFile(path) {
      const data = files[path];
      if (!data) throw new Error('no such file');
      return data;
    },
    wallSeconds: () => 0,
    version: '9.9.9',
    createBoard(flash): EmulatedBoard | null {
      host.flashSeen = flash;
      host.board = makeBoard ? makeBoard() : null;
      return host.board;
    },
  };
  return host;
}

const files = { 'fw.bin': Uint8Array.of(0xe9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xef) };
const boot: ScheduledOutput[] = [
  { at: 0.001, text: '\x00\xff ets Jan  8 2013\r\n' },
  { at: 0.2, text: 'ready\r\n' },
];

describe('main with a board', () => {
  it('writes exactly the UART0 bytes to stdout and exits 0 when expectations are met', async () => {
    const host = testHost(files, () => new FakeBoard(boot));
    const code = await main(['run', 'fw.bin', '--expect', 'ready'], host);
    expect(code).toBe(0);
    expect(Buffer.from(host.stdout).toString('latin1')).toBe(
      Buffer.from('\x00\xff ets Jan  8 2013\r\nready\r\n').toString('latin1'),
    );
    expect(host.stderr).toBe('');
  });

  it('gives the board the assembled flash: files at their offsets, 0xFF elsewhere', async () => {
    const host = testHost({ ...files, 'd.bin': Uint8Array.of(7, 8) }, () => new FakeBoard());
    await main(
      ['run', 'fw.bin', 'd.bin@0x7fffe', '--flash-size', '512k', '--timeout', '0.01'],
      host,
    );
    const flash = host.flashSeen!;
    expect(flash.length).toBe(0x80000);
    expect([...flash.subarray(0, 17)]).toEqual([...files['fw.bin'], 0xff]);
    expect([...flash.subarray(0x7fffd)]).toEqual([0xff, 7, 8]);
  });

  it('--header-size writes the size code into the image header at 0x0, as esptool does', async () => {
    const host = testHost({ ...files, 'd.bin': Uint8Array.of(7, 8) }, () => new FakeBoard());
    await main(
      [
        'run',
        'fw.bin',
        'd.bin@0x1000',
        '--flash-size',
        '1M',
        '--header-size',
        '1MB',
        '--timeout',
        '0.01',
      ],
      host,
    );
    expect(host.flashSeen![3]).toBe(0x20);
    expect(files['fw.bin'][3]).toBe(0); // the file as read stays as it was
    expect(host.stderr).not.toContain('warning');

    const noImage = testHost({ 'd.bin': Uint8Array.of(7, 8) }, () => new FakeBoard());
    await main(['run', 'd.bin', '--header-size', '4MB', '--timeout', '0.01'], noImage);
    expect(noImage.stderr).toContain(
      'v8266: warning: --header-size: no 0xE9 image header at offset 0 to patch',
    );
    expect([...noImage.flashSeen!.subarray(0, 3)]).toEqual([7, 8, 0xff]);
  });

  it('exits 1 naming the unmet expectation, with the --stats line last', async () => {
    const host = testHost(files, () => new FakeBoard(boot));
    const code = await main(
      [
        'run',
        'fw.bin',
        '--expect',
        'ets',
        '--expect',
        'ready',
        '--expect',
        'wifi',
        '--timeout',
        '1',
        '--stats',
      ],
      host,
    );
    expect(code).toBe(1);
    const lines = host.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('v8266: timeout after 1 s waiting for "wifi" (expectation 3 of 3)');
    expect(JSON.parse(lines[1])).toEqual({
      instructions: 64_000_000,
      cycles: 80_000_000,
      emulatedSeconds: 1,
      wallSeconds: 0,
      mips: 0,
    });
    expect(lines[1]).toMatch(
      /^\{"instructions":\d+,"cycles":\d+,"emulatedSeconds":[\d.]+,"wallSeconds":[\d.]+,"mips":[\d.]+\}$/,
    );
  });

  it('types --send text into UART0 after the expectations before it', async () => {
    const host = testHost(files, () => new FakeBoard([{ at: 0.1, text: '> ' }]));
    const code = await main(
      ['run', 'fw.bin', '--expect', '> ', '--send', 'AT\\r\\n\\x01', '--timeout', '0.5'],
      host,
    );
    expect(code).toBe(0);
    expect(host.board!.received.map((r) => [r.uart, r.text])).toEqual([[0, 'AT\r\n\x01']]);
  });

  it('turns an exception inside the emulator into exit 3 with the stack', async () => {
    const host = testHost(files, () => {
      const board = new FakeBoard();
      board.runUntil = () => {
        throw new Error('decoder exploded');
      };
      return board;
    });
    const code = await main(['run', 'fw.bin'], host);
    expect(code).toBe(3);
    expect(host.stderr).toMatch(/^v8266: internal error: Error: decoder exploded\n {4}at /);
  });
});
