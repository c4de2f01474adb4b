import { describe, expect, it } from 'vitest';
import type { BoardListeners, BoardStats, EmulatedBoard } from '../board/board-api.ts';
import { GUEST_RAM } from '../board/memory-layout.ts';
import { EmulatorHost, type HostEnvironment } from './emulator-host.ts';
import { LoopbackBoard } from './loopback-board.ts';
import { ByteRing } from './ring.ts';
import { StatusBlock } from './status-block.ts';

/**
 * A hand-driven environment: wall time only moves when the fake board "costs" time or a timer
 * wait is taken, and scheduled tasks run only when the test pumps them.
 */
class FakeEnvironment implements HostEnvironment {
  wallMs = 0;
  private readonly queue: { at: number; task: () => void }[] = [];
  constructor(readonly make: () => EmulatedBoard | null) {}
  now = () => this.wallMs;
  yieldThen = (task: () => void) => void this.queue.push({ at: this.wallMs, task });
  after = (ms: number, task: () => void) => void this.queue.push({ at: this.wallMs + ms, task });
  buildBoard = () => this.make();
  /** Run scheduled tasks in time order until `untilMs` of wall time has passed. */
  pump(untilMs: number): void {
    while (this.queue.length > 0) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (next.at > untilMs) break;
      this.queue.shift();
      this.wallMs = Math.max(this.wallMs, next.at);
      next.task();
    }
    this.wallMs = Math.max(this.wallMs, untilMs);
  }
  get pending(): number {
    return this.queue.length;
  }
}

/** A board that takes `wallMsPerSimSecond` of (fake) wall time to simulate one second. */
class CostlyBoard implements EmulatedBoard {
  now = 0;
  received: number[] = [];
  listeners: BoardListeners = {};
  throwAt = Infinity;
  constructor(
    private readonly env: FakeEnvironment,
    private readonly wallMsPerSimSecond: number,
  ) {}
  readonly flash = new Uint8Array(0);
  get seconds() {
    return this.now;
  }
  get stats(): BoardStats {
    return { instructions: this.now * 1e6, cycles: this.now * 8e7, seconds: this.now, cpuMhz: 80 };
  }
  listen(l: BoardListeners) {
    this.listeners = l;
  }
  powerOn() {
    this.now = 0;
  }
  powerOff() {}
  reset() {
    this.now = 0;
  }
  runUntil(s: number) {
    if (s >= this.throwAt) throw new Error('illegal instruction at 0x40100000');
    this.env.wallMs += (s - this.now) * this.wallMsPerSimSecond;
    this.now = s;
  }
  uartReceive(_uart: number, bytes: Uint8Array) {
    this.received.push(...bytes);
    for (const b of bytes) this.listeners.uartTx?.(0, b ^ 0x20);
  }
  driveGpio(pin: number, level: 0 | 1 | null) {
    this.listeners.gpio?.(pin, level ?? 1);
  }
}

const image = (bytes = 16) => ({
  flashSize: 0x400000,
  parts: [{ offset: 0, data: new Uint8Array(bytes), name: 'fw.bin' }],
});

function setup(wallMsPerSimSecond = 100) {
  let board: CostlyBoard | null = null;
  const env: FakeEnvironment = new FakeEnvironment(
    (): EmulatedBoard => (board = new CostlyBoard(env, wallMsPerSimSecond)),
  );
  const host = new EmulatorHost(env);
  const channels = host.start({ board: 'esp8266' });
  return { env, host, channels, board: () => board! };
}

describe('EmulatorHost', () => {
  it('is live without a board: answers, shares memory, reports no-board', () => {
    const env = new FakeEnvironment(() => null);
    const host = new EmulatorHost(env);
    const channels = host.start({ board: 'esp8266' });
    expect(channels.guestMemory).toBeInstanceOf(SharedArrayBuffer);
    const state = host.loadFlash(image(100));
    expect(state.runState).toBe('no-board');
    expect(state.firmware).toMatchObject({ name: 'fw.bin', bytes: 100, parts: 1 });
    host.uartWrite(0, new Uint8Array([104, 105]));
    expect(host.getState().uartBytesReceived).toBe(2);
    expect(new StatusBlock(channels.status).read().uartBytesReceived).toBe(2);
    expect(host.powerOn().runState).toBe('no-board');
    expect(env.pending).toBe(0);
  });

  it('writes guest RAM where the UI can read it, and refuses other addresses', () => {
    const { host, channels } = setup();
    host.writeGuestMemory(GUEST_RAM.iram.base + 4, new Uint8Array([0xde, 0xad]));
    const view = new Uint8Array(channels.guestMemory);
    expect(view[GUEST_RAM.iram.offset + 4]).toBe(0xde);
    expect(view[GUEST_RAM.iram.offset + 5]).toBe(0xad);
    expect(() => host.writeGuestMemory(0x60000000, new Uint8Array(4))).toThrow(/not guest RAM/);
    expect(() =>
      host.writeGuestMemory(GUEST_RAM.rtcMem.base + GUEST_RAM.rtcMem.size - 1, new Uint8Array(2)),
    ).toThrow(RangeError);
  });

  it('runs at real time when the guest is fast, waiting on timers instead of spinning', () => {
    const { env, host, channels } = setup(100); // the board could run 10x real time
    expect(host.loadFlash(image()).runState).toBe('running');
    env.pump(1000);
    const status = new StatusBlock(channels.status).read();
    expect(status.runState).toBe('running');
    expect(status.simSeconds).toBeGreaterThan(0.98);
    expect(status.simSeconds).toBeLessThanOrEqual(1.003);
    expect(status.speedPercent).toBeGreaterThan(90);
    expect(status.speedPercent).toBeLessThan(110);
  });

  it('reports the real speed when the guest cannot keep up, and yields between batches', () => {
    const { env, host, channels } = setup(4000); // a quarter of real time
    host.loadFlash(image());
    let macrotasks = 0;
    const yieldThen = env.yieldThen;
    env.yieldThen = (task: () => void) => {
      macrotasks++;
      yieldThen(task);
    };
    env.pump(2000);
    const status = new StatusBlock(channels.status).read();
    expect(status.simSeconds).toBeGreaterThan(0.45);
    expect(status.simSeconds).toBeLessThan(0.55);
    expect(status.speedPercent).toBeGreaterThan(20);
    expect(status.speedPercent).toBeLessThan(30);
    // Never more than the wall budget (8 ms + one 2 ms slice at 4 ms/ms) between yields.
    expect(macrotasks).toBeGreaterThan(2000 / 16);
  });

  it('a guest slower than real time runs flat out in both pacings: max is never slower', () => {
    // "Max speed" cannot beat a guest that real time already runs as fast as it goes, but it must
    // not lose to it either: no waiting on timers in real time when behind, none in max at all.
    const reached = (pacing: 'realtime' | 'max') => {
      const { env, host } = setup(4000); // a quarter of real time
      host.loadFlash(image());
      host.setPacing(pacing);
      let timerWaits = 0;
      const after = env.after;
      env.after = (ms, task) => {
        timerWaits++;
        after(ms, task);
      };
      env.pump(2000);
      return { seconds: host.getState().simSeconds, timerWaits };
    };
    const realtime = reached('realtime');
    const max = reached('max');
    // At most the one at the start, when the guest is not yet behind the wall clock.
    expect(realtime.timerWaits).toBeLessThanOrEqual(1);
    expect(max.timerWaits).toBe(0);
    expect(max.seconds).toBeGreaterThanOrEqual(realtime.seconds);
    expect(max.seconds).toBeGreaterThan(0.45);
  });

  it('runs flat out in max pacing', () => {
    const { env, host } = setup(100);
    host.loadFlash(image());
    host.setPacing('max');
    env.pump(1000);
    expect(host.getState().simSeconds).toBeGreaterThan(9);
  });

  it('feeds typed bytes between slices and publishes the output through the ring', () => {
    const { env, host, channels, board } = setup();
    host.loadFlash(image());
    host.uartWrite(0, new TextEncoder().encode('ab'));
    expect(board().received).toEqual([]); // not in the middle of anything: at the next slice
    env.pump(10);
    expect(board().received).toEqual([97, 98]);
    const ring = new ByteRing(channels.uart0Tx, channels.uart0TxCapacity);
    expect(new TextDecoder().decode(ring.read())).toBe('AB');
    expect(host.getState()).toMatchObject({ uartBytesReceived: 2, uartBytesSent: 2 });
  });

  it('pauses, resumes, powers off and resets', () => {
    const { env, host } = setup();
    host.loadFlash(image());
    env.pump(100);
    const paused = host.pause();
    expect(paused.runState).toBe('paused');
    env.pump(300);
    expect(host.getState().simSeconds).toBe(paused.simSeconds);
    expect(host.resume().runState).toBe('running');
    env.pump(400);
    expect(host.getState().simSeconds).toBeGreaterThan(paused.simSeconds + 0.05);
    expect(host.reset().simSeconds).toBe(0);
    expect(host.powerOff().runState).toBe('off');
    env.pump(600);
    expect(host.getState().simSeconds).toBeLessThan(0.01);
    expect(host.powerOn().runState).toBe('running');
  });

  it('marks the board crashed with the message when it throws, and recovers on reset', () => {
    const { env, host, board } = setup();
    host.loadFlash(image());
    board().throwAt = 0.05;
    env.pump(200);
    const state = host.getState();
    expect(state.runState).toBe('crashed');
    expect(state.error).toMatch(/illegal instruction/);
    expect(env.pending).toBe(0); // the loop stopped
    board().throwAt = Infinity;
    expect(host.reset().runState).toBe('running');
    expect(host.getState().error).toBeNull();
  });

  it('does not spin on a board that stops advancing, and asks it again later', () => {
    const { env, host, board } = setup();
    host.loadFlash(image());
    env.pump(50);
    const stuckAt = board().now;
    let calls = 0;
    board().runUntil = () => void calls++; // halted: time no longer moves
    env.pump(250);
    expect(host.getState().runState).toBe('running');
    expect(calls).toBeGreaterThan(3);
    expect(calls).toBeLessThan(250 / 20 + 2); // one try per retry period, not a busy loop
    expect(board().now).toBe(stuckAt);
  });

  it('drops bytes typed while the board is off, as a wire would', () => {
    const { env, host, board } = setup();
    host.loadFlash(image());
    host.powerOff();
    host.uartWrite(0, new Uint8Array([1, 2, 3]));
    host.powerOn();
    env.pump(20);
    expect(board().received).toEqual([]);
    expect(host.getState().uartBytesReceived).toBe(3);
  });

  it("reports no board when building one throws, instead of the previous board's state", () => {
    const { env, host } = setup();
    host.loadFlash(image());
    env.pump(20);
    env.buildBoard = () => {
      throw new RangeError('flash image too large');
    };
    expect(() => host.loadFlash(image())).toThrow(/too large/);
    expect(host.getState().runState).toBe('no-board');
    expect(env.pending).toBeLessThanOrEqual(1); // at most the old loop's stale tick, now inert
    env.pump(100);
    expect(host.getState().simSeconds).toBe(0);
  });

  it('tracks GPIO levels the board reports', () => {
    const { host } = setup();
    host.loadFlash(image());
    host.driveGpio(4, 0);
    expect(host.getState().gpio[4]).toBe(0);
    expect(() => host.driveGpio(17, 1)).toThrow(RangeError);
  });

  it('drives the loopback board: banner, echo, blinking GPIO2', () => {
    const env = new FakeEnvironment(() => null);
    env.buildBoard = () => new LoopbackBoard(new Uint8Array(64));
    const host = new EmulatorHost(env);
    const channels = host.start({ board: 'loopback' });
    host.loadFlash(image(64));
    host.uartWrite(0, new TextEncoder().encode('hi'));
    env.pump(700);
    expect(host.getState().gpio[2]).toBe(0); // the LED toggled at 0.5 s
    env.pump(1200);
    expect(host.getState().gpio[2]).toBe(1); // and back at 1.0 s
    const text = new TextDecoder().decode(
      new ByteRing(channels.uart0Tx, channels.uart0TxCapacity).read(),
    );
    expect(text).toContain('loopback board: 64 bytes of flash');
    expect(text.endsWith('hi')).toBe(true);
  });

  it('reports the flash sectors that changed: all after a load, none after a restore until written', () => {
    const env = new FakeEnvironment(() => null);
    const host = new EmulatorHost({
      ...env,
      buildBoard: (_choice, _memory, flash) => new LoopbackBoard(flash),
    });
    host.start({ board: 'loopback' });
    expect(host.takeFlashChanges()).toBeNull();
    host.loadFlash({
      flashSize: 0x80000,
      parts: [{ offset: 0, data: new Uint8Array(image(64).parts[0].data) }],
    });
    const loaded = host.takeFlashChanges()!;
    expect(loaded.full).toBe(true);
    expect(loaded.sectors.map((s) => s.index)).toEqual([0]);
    expect(host.takeFlashChanges()!.sectors).toEqual([]);
    host.pokeFlash(0x7f000, new Uint8Array([0]));
    expect(host.takeFlashChanges()!.sectors.map((s) => s.index)).toEqual([0x7f]);

    const saved = new Uint8Array(0x80000).fill(0xff);
    saved[0x1000] = 0x42; // a saved chip needs no image at 0x0
    host.restoreFlash(saved.slice(), 'saved');
    expect(host.getState().runState).toBe('running');
    expect(host.takeFlashChanges()!.sectors).toEqual([]);
    expect(host.readFlash()![0x1000]).toBe(0x42);
    expect(() => host.pokeFlash(0x80000, new Uint8Array([1]))).toThrow(RangeError);
  });
});
