import { describe, expect, it } from 'vitest';
import { formatStatsLine, runFirmware, type RunIo, type ScriptStep } from './run.ts';
import { decodeEscapes } from './escapes.ts';
import { FakeBoard } from './testing/fake-board.ts';

const expectText = (text: string): ScriptStep => ({
  kind: 'expect',
  text,
  bytes: decodeEscapes(text),
});
const send = (text: string): ScriptStep => ({ kind: 'send', text, bytes: decodeEscapes(text) });

function capture(): RunIo & { text(): string; chunks: Uint8Array[] } {
  const chunks: Uint8Array[] = [];
  let wall = 100;
  return {
    chunks,
    output: (bytes) => chunks.push(bytes),
    // Each reading advances 0.5 s: the run's wall time is then exactly 0.5 s.
    wallSeconds: () => (wall += 0.5),
    text: () => new TextDecoder().decode(Buffer.concat(chunks)),
  };
}

describe('runFirmware', () => {
  it('exits 0 as soon as the last expectation is met, and copies UART0 output', () => {
    const board = new FakeBoard([
      { at: 0.05, text: 'boot\r\n' },
      { at: 0.5, text: 'ready\r\n' },
      { at: 2, text: 'later' },
    ]);
    const io = capture();
    const result = runFirmware(board, { script: [expectText('ready')], timeoutSeconds: 10 }, io);
    expect(result.exitCode).toBe(0);
    expect(result.error).toBeUndefined();
    expect(board.poweredOn).toBe(true);
    expect(io.text()).toBe('boot\r\nready\r\n');
    expect(board.seconds).toBeCloseTo(0.5, 9);
  });

  it('exits 1 naming the expectation that was not met', () => {
    const board = new FakeBoard([{ at: 0.1, text: 'one two' }]);
    const result = runFirmware(
      board,
      { script: [expectText('one'), expectText('two'), expectText('three')], timeoutSeconds: 10 },
      capture(),
    );
    expect(result.exitCode).toBe(1);
    expect(result.error).toBe('timeout after 10 s waiting for "three" (expectation 3 of 3)');
    expect(board.seconds).toBeCloseTo(10, 9);
  });

  it('matches expectations in order only: an earlier occurrence does not count', () => {
    const board = new FakeBoard([{ at: 0.1, text: 'B then A' }]);
    const result = runFirmware(
      board,
      { script: [expectText('A'), expectText('B')], timeoutSeconds: 1 },
      capture(),
    );
    expect(result.error).toBe('timeout after 1 s waiting for "B" (expectation 2 of 2)');
  });

  it('finds a match split across slices and chunks', () => {
    const board = new FakeBoard([
      { at: 0.001, text: 're' },
      { at: 0.5, text: 'rea' },
      { at: 0.75, text: 'dy' },
    ]);
    const io = capture();
    const result = runFirmware(board, { script: [expectText('ready')], timeoutSeconds: 5 }, io);
    expect(result.exitCode).toBe(0);
    expect(io.chunks.length).toBe(3);
    expect(board.seconds).toBeCloseTo(0.75, 9);
  });

  it('matches escaped text', () => {
    const board = new FakeBoard([{ at: 0.2, text: 'x\r\n> ' }]);
    const result = runFirmware(
      board,
      { script: [expectText('\\r\\n> ')], timeoutSeconds: 1 },
      capture(),
    );
    expect(result.exitCode).toBe(0);
  });

  it('sends text only after the expectations before it are met', () => {
    const board = new FakeBoard([{ at: 1.234, text: 'login: ' }], (text, now) =>
      text === 'root\r' ? [{ at: now + 0.1, text: 'welcome\r\n' }] : [],
    );
    const io = capture();
    const result = runFirmware(
      board,
      {
        script: [expectText('login: '), send('root\\r'), expectText('welcome')],
        timeoutSeconds: 10,
      },
      io,
    );
    expect(result.exitCode).toBe(0);
    expect(board.received).toHaveLength(1);
    expect(board.received[0].text).toBe('root\r');
    // Delivered at the end of the 10 ms slice in which "login: " appeared.
    expect(board.received[0].at).toBeGreaterThanOrEqual(1.234);
    expect(board.received[0].at).toBeLessThanOrEqual(1.234 + 0.0100001);
    expect(io.text()).toBe('login: welcome\r\n');
  });

  it('drives pads (--gpio) in script order: at power-on, and once the expectation before is met', () => {
    const board = new FakeBoard([{ at: 2.5, text: 'sleeping until GPIO13 is low\r\n' }]);
    const gpio = (pin: number, level: 0 | 1 | null, atSeconds = 0): ScriptStep => ({
      kind: 'gpio',
      text: `${pin}=${level ?? 'z'}`,
      pin,
      level,
      atSeconds,
    });
    const result = runFirmware(
      board,
      {
        script: [
          gpio(13, 1),
          expectText('GPIO13 is low'),
          gpio(13, 0),
          gpio(13, null, 2.8), // waits for its time; what follows waits behind it
          gpio(12, 1),
        ],
        timeoutSeconds: 3,
      },
      capture(),
    );
    expect(result.exitCode).toBe(0);
    expect(board.driven.map((d) => [d.pin, d.level])).toEqual([
      [13, 1],
      [13, 0],
      [13, null],
      [12, 1],
    ]);
    expect(board.driven[0].at).toBe(0);
    expect(board.driven[1].at).toBeGreaterThanOrEqual(2.5);
    expect(board.driven[1].at).toBeLessThanOrEqual(2.5 + 0.0100001);
    expect(board.driven[2].at).toBeCloseTo(2.8, 9);
    expect(board.driven[3].at).toBeCloseTo(2.8, 9);
  });

  it('sends leading --send text right after power-on', () => {
    const board = new FakeBoard();
    runFirmware(board, { script: [send('a'), send('b')], timeoutSeconds: 0.05 }, capture());
    expect(board.received.map((r) => [r.at, r.text])).toEqual([
      [0, 'a'],
      [0, 'b'],
    ]);
  });

  it('does not let output from before a send satisfy the expectation after it', () => {
    // The prompt appears twice in the same slice: only a prompt after the send may count.
    const board = new FakeBoard([{ at: 0.001, text: '> > ' }]);
    const result = runFirmware(
      board,
      { script: [expectText('> '), send('x'), expectText('> ')], timeoutSeconds: 0.5 },
      capture(),
    );
    expect(result.exitCode).toBe(1);
    expect(result.error).toMatch(/expectation 2 of 2/);
  });

  it('runs to the timeout and exits 0 without expectations', () => {
    const board = new FakeBoard([{ at: 3, text: 'hi' }]);
    const io = capture();
    const result = runFirmware(board, { script: [], timeoutSeconds: 2.5 }, io);
    expect(result.exitCode).toBe(0);
    expect(board.seconds).toBe(2.5);
    expect(io.text()).toBe('');
    // 10 ms slices, never past the timeout.
    expect(board.runCalls.length).toBe(250);
    expect(Math.max(...board.runCalls)).toBe(2.5);
  });

  it('keeps running after a trailing send, to show the reply', () => {
    const board = new FakeBoard([{ at: 0.1, text: '$ ' }], (text, now) => [
      { at: now + 1, text: `echo ${text}` },
    ]);
    const io = capture();
    const result = runFirmware(
      board,
      { script: [expectText('$'), send('hi')], timeoutSeconds: 3 },
      io,
    );
    expect(result.exitCode).toBe(0);
    expect(board.seconds).toBe(3);
    expect(io.text()).toBe('$ echo hi');
  });

  it('ignores other UARTs for matching and output', () => {
    const board = new FakeBoard([{ at: 0.1, text: 'ready', uart: 1 }]);
    const io = capture();
    const result = runFirmware(board, { script: [expectText('ready')], timeoutSeconds: 0.2 }, io);
    expect(result.exitCode).toBe(1);
    expect(io.text()).toBe('');
  });

  it('stops when the board stops advancing', () => {
    const board = new FakeBoard();
    board.haltAt = 0.3;
    const result = runFirmware(board, { script: [expectText('x')], timeoutSeconds: 10 }, capture());
    expect(result.exitCode).toBe(1);
    expect(result.error).toBe('the board stopped at 0.3 s waiting for "x" (expectation 1 of 1)');
  });

  it('collects statistics from the board and the wall clock', () => {
    const board = new FakeBoard([{ at: 0.25, text: 'ok' }]);
    const { stats } = runFirmware(
      board,
      { script: [expectText('ok')], timeoutSeconds: 1 },
      capture(),
    );
    expect(stats).toEqual({
      instructions: 16_000_000,
      cycles: 20_000_000,
      emulatedSeconds: 0.25,
      wallSeconds: 0.5,
      mips: 32,
    });
    expect(formatStatsLine(stats)).toBe(
      '{"instructions":16000000,"cycles":20000000,"emulatedSeconds":0.25,"wallSeconds":0.5,"mips":32}',
    );
  });

  it('passes board events on to extra listeners', () => {
    const board = new FakeBoard([{ at: 0.01, text: 'ab', uart: 1 }]);
    const seen: number[] = [];
    runFirmware(
      board,
      { script: [], timeoutSeconds: 0.1 },
      {
        ...capture(),
        listeners: { uartTx: (_uart, byte) => seen.push(byte) },
      },
    );
    expect(seen).toEqual([0x61, 0x62]);
  });

  it('does tool steps when they come due, and waits behind one that cannot be done yet', () => {
    const board = new FakeBoard([
      { at: 0.1, text: 'listen ok\r\n' },
      { at: 0.5, text: 'got it\r\n' },
    ]);
    const open: ScriptStep = {
      kind: 'tool',
      text: '--tool udp:1',
      step: { kind: 'open', spec: { kind: 'udp', port: 1 }, text: 'udp:1' },
    };
    const say: ScriptStep = {
      kind: 'tool',
      text: '--tool-send x',
      step: { kind: 'send', tool: 0, text: 'x', bytes: Uint8Array.of(0x78) },
    };
    const done: { step: string; at: number }[] = [];
    const peerAt = 0.3; // the tool has nowhere to send before this
    const io: RunIo = {
      ...capture(),
      tool: (step) => {
        if (step.kind === 'send' && board.seconds < peerAt) return false;
        done.push({ step: step.text, at: board.seconds });
        return true;
      },
    };
    const result = runFirmware(
      board,
      {
        script: [open, expectText('listen ok'), say, send('after\\r'), expectText('got it')],
        timeoutSeconds: 2,
      },
      io,
    );
    expect(result.exitCode).toBe(0);
    expect(done[0]).toEqual({ step: 'udp:1', at: 0 }); // before the first slice
    expect(done[1].step).toBe('x');
    expect(done[1].at).toBeCloseTo(0.3, 6);
    // The UART input after the blocked send waited for it.
    expect(board.received.map((r) => [r.text, Number(r.at.toFixed(6))])).toEqual([
      ['after\r', 0.3],
    ]);
  });
});
