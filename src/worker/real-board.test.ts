import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GUEST_RAM } from '../board/memory-layout.ts';
import { readBoardSnapshot } from '../board/snapshot/board-snapshot.ts';
import type { WorldConfig } from '../net/world.ts';
import { readWorld } from '../net/world-snapshot.ts';
import { buildBoard, restoreBoard } from './board-factory.ts';
import { EmulatorHost, type HostEnvironment } from './emulator-host.ts';
import { ByteRing } from './ring.ts';
import { SerialEventRing } from './serial-events.ts';

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
    restoreBoard,
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
  it('saves a snapshot and restores it: the board carries on from there, pins and name kept', () => {
    const { host, pump } = hostWithFakeWallClock();
    const channels = host.start({ board: 'esp8266' });
    const data = new Uint8Array(readFileSync('firmware/esp/out/demo.bin'));
    host.loadFlash({ flashSize: 0x400000, parts: [{ offset: 0, data, name: 'demo.bin' }] });
    pump(600);
    host.driveGpio(5, 1);
    host.pause();
    const snap = host.saveSnapshot()!;
    const at = host.getState().simSeconds;
    host.resume();
    pump(1500); // the board moves on
    expect(host.getState().simSeconds).toBeGreaterThan(at + 0.5);

    const ring = new ByteRing(channels.uart0Tx, channels.uart0TxCapacity);
    ring.read();
    const restored = host.restoreSnapshot(snap);
    expect(restored.runState).toBe('running');
    expect(restored.simSeconds).toBe(at);
    expect(restored.firmware?.name).toBe('demo.bin');
    expect(restored.gpioHostDrive[5]).toBe(1);
    expect(host.takeFlashChanges()?.full).toBe(true);
    // The demo echoes: the restored machine still runs its UART interrupt handler.
    host.uartWrite(0, new TextEncoder().encode('after restore\r\n'));
    pump(2500);
    expect(new TextDecoder().decode(ring.read())).toContain('after restore');
    expect(host.getState().simSeconds).toBeGreaterThan(at);
  });

  it('a snapshot holds the network the board runs in (for v8266 run --snapshot-in); none without one', () => {
    const { host, pump } = hostWithFakeWallClock();
    host.start({ board: 'esp8266' });
    const data = new Uint8Array(readFileSync('firmware/esp/out/demo.bin'));
    host.loadFlash({ flashSize: 0x400000, parts: [{ offset: 0, data, name: 'demo.bin' }] });
    pump(100);
    expect(readBoardSnapshot(host.saveSnapshot()!).host.has('network')).toBe(false);
    const config: WorldConfig = {
      aps: [{ ssid: '<img src=x>', passphrase: 'secret-pass', channel: 3 }],
    };
    host.setNetwork(config);
    pump(200);
    const saved = readBoardSnapshot(host.saveSnapshot()!).host.child('network');
    expect(readWorld(saved).config).toEqual({ ...config, stations: [], echo: [] });
    expect(readWorld(saved).history).not.toBeNull();
  });

  it('a restored snapshot brings the network back where it was, when the page runs that network', () => {
    const { host, pump } = hostWithFakeWallClock();
    host.start({ board: 'esp8266' });
    const data = new Uint8Array(readFileSync('firmware/wifitest/out/join.bin'));
    const config: WorldConfig = {
      aps: [{ ssid: 'v8266-open', channel: 6 }],
      stations: [{ name: 'phone', ssid: 'v8266-open' }],
    };
    host.setNetwork(config);
    host.loadFlash({ flashSize: 0x400000, parts: [{ offset: 0, data, name: 'join.bin' }] });
    pump(900); // the board has joined; the phone is joining (it joins at 0.655 s)
    host.pause();
    const snap = host.saveSnapshot()!;
    const world = () => JSON.stringify({ ...host.networkStatus(), restored: undefined });
    const saved = world();
    expect(saved).toContain('v8266-open');
    expect(host.networkStatus()!.restored).toBeNull();
    host.resume();
    pump(3000);
    expect(world()).not.toBe(saved);

    host.setNetwork({ ...config }); // the same network again: nothing is rebuilt
    host.restoreSnapshot(snap);
    host.pause();
    expect(world()).toBe(saved);
    expect(host.networkResumeOutcome()).toBe('resumed');
    expect(host.networkStatus()!.restored).toEqual({ resumed: true, why: null });

    // In another network the saved one does not apply: that network starts afresh.
    host.setNetwork({ aps: [{ ssid: 'elsewhere', channel: 1 }] });
    host.restoreSnapshot(snap);
    expect(host.networkResumeOutcome()).toBe('the snapshot was saved in another network');
  });

  it('refuses a file that is not a snapshot and keeps the running board', () => {
    const { host, pump } = hostWithFakeWallClock();
    host.start({ board: 'esp8266' });
    const data = new Uint8Array(readFileSync('firmware/esp/out/demo.bin'));
    host.loadFlash({ flashSize: 0x400000, parts: [{ offset: 0, data, name: 'demo.bin' }] });
    pump(300);
    const before = host.getState();
    expect(() => host.restoreSnapshot(data)).toThrow(/not a v8266 snapshot/);
    const snap = host.saveSnapshot()!;
    expect(() => host.restoreSnapshot(snap.subarray(0, snap.length - 9))).toThrow(
      /corrupt or truncated/,
    );
    const after = host.getState();
    expect(after.runState).toBe('running');
    expect(after.firmware?.name).toBe('demo.bin');
    expect(after.simSeconds).toBeGreaterThanOrEqual(before.simSeconds);
  });

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

  it('publishes baud changes and line starts at the byte they belong to, UART1, pin modes, A0', () => {
    const { host, pump } = hostWithFakeWallClock();
    const channels = host.start({ board: 'esp8266' });
    host.setA0(700);
    const data = new Uint8Array(readFileSync('firmware/esp/out/demo.bin'));
    host.loadFlash({ flashSize: 0x400000, parts: [{ offset: 0, data, name: 'demo.bin' }] });
    pump(700);
    const bytes = new ByteRing(channels.uart0Tx, channels.uart0TxCapacity).read();
    const text = new TextDecoder().decode(bytes);
    const events = new SerialEventRing(
      new ByteRing(channels.serialEvents, channels.serialEventsCapacity),
    ).read();
    const bauds = events.filter((e) => e.kind === 'baud' && e.uart === 0);
    // The ROM's 74880 (26 MHz crystal × 115200/40 MHz), then the app's 115200, both as divided.
    expect(bauds.map((e) => (e.kind === 'baud' ? Math.round(e.baud / 100) : 0))).toEqual([
      749, 1153,
    ]);
    expect(bauds[0].byteIndex).toBe(0);
    // The switch happens before the app's first line.
    const appStart = text.indexOf('\nv8266 demo');
    expect(bauds[1].byteIndex).toBeLessThanOrEqual(appStart);
    expect(bauds[1].byteIndex).toBeGreaterThan(text.indexOf('csum'));
    const lines = events.filter((e) => e.kind === 'line' && e.uart === 0);
    const banner = lines.find((e) => text.startsWith('v8266 demo: boot', e.byteIndex));
    expect(banner).toBeDefined();
    expect(banner!.seconds).toBeGreaterThan(bauds[1].seconds);
    expect(banner!.seconds).toBeLessThan(0.5);
    // The demo drives GPIO2 (LED) as an output and leaves GPIO0 (FLASH) an input.
    const state = host.getState();
    expect(state.gpioOutput[2]).toBe(1);
    expect(state.gpioOutput[0]).toBe(0);
    expect(state.a0).toBe(700);
    host.driveGpio(2, state.gpio[2] === 1 ? 0 : 1);
    expect(host.getState().gpioConflict[2]).toBe(true);
    expect(host.getState().gpioHostDrive[2]).not.toBeNull();
  });

  it('erases the flash: all 0xFF, the ROM finds no image', () => {
    const { host, pump } = hostWithFakeWallClock();
    host.start({ board: 'esp8266' });
    const state = host.eraseFlash(0x100000);
    expect(state.firmware).toMatchObject({ name: 'erased flash', flashSize: 0x100000 });
    pump(200);
    expect(host.getState().runState).not.toBe('no-board');
    expect(() => host.eraseFlash(12345)).toThrow(/flash size/);
  });

  it("takes a serial tool's DTR/RTS through the auto-reset circuit: held in reset, then download mode", () => {
    const { host, pump } = hostWithFakeWallClock();
    const channels = host.start({ board: 'esp8266' });
    const data = new Uint8Array(readFileSync('firmware/esp/out/demo.bin'));
    host.loadFlash({ flashSize: 0x400000, parts: [{ offset: 0, data, name: 'demo.bin' }] });
    pump(300);
    const ring = new ByteRing(channels.uart0Tx, channels.uart0TxCapacity);
    const text = () => new TextDecoder('latin1').decode(ring.read());
    text();
    // esptool's classic reset: RTS alone pulls EN low; the board stands still meanwhile.
    host.setSerialLines(false, true);
    pump(350);
    const held = host.getState().simSeconds;
    pump(450);
    expect(host.getState().simSeconds).toBe(held);
    // DTR alone: EN rises with GPIO0 low; the chip leaves reset in download mode.
    host.setSerialLines(true, false);
    pump(500);
    host.setSerialLines(false, false);
    pump(700);
    expect(host.getState().simSeconds).toBeGreaterThan(held);
    expect(text()).toContain('rst cause:2, boot mode:(1,');
  });
});

describe('configure: MAC and flash size from the board document', () => {
  it('rebuilds a running board with the same flash contents and the new MAC', () => {
    const { host, pump } = hostWithFakeWallClock();
    const macs: (readonly number[] | undefined)[] = [];
    const sizes: number[] = [];
    // Spy on the factory the host calls (same real board underneath).
    const env = (host as unknown as { env: HostEnvironment }).env;
    env.buildBoard = (choice, memory, flash, mac) => {
      macs.push(mac);
      sizes.push(flash.length);
      return buildBoard(choice, memory, flash, mac);
    };
    const channels = host.start({ board: 'esp8266' });
    const ring = new ByteRing(channels.uart0Tx, channels.uart0TxCapacity);
    const read = () => new TextDecoder().decode(ring.read());
    // Before any firmware, configure only records the choice.
    expect(host.configure({ mac: [0x5c, 0xcf, 0x7f, 1, 2, 3], flashSize: 0x400000 }).runState).toBe(
      'no-board',
    );
    const data = new Uint8Array(readFileSync('firmware/esp/out/demo.bin'));
    host.loadFlash({ flashSize: 0x400000, parts: [{ offset: 0, data, name: 'demo.bin' }] });
    pump(1200);
    expect(read()).toContain('boot 1 (flash)');
    expect(macs).toEqual([[0x5c, 0xcf, 0x7f, 1, 2, 3]]);

    // Same config: nothing happens.
    host.configure({ mac: [0x5c, 0xcf, 0x7f, 1, 2, 3], flashSize: 0x400000 });
    expect(macs.length).toBe(1);

    // A new MAC: rebuilt, and the demo's boot counter in flash survived (boot 2).
    const state = host.configure({ mac: [0x5c, 0xcf, 0x7f, 9, 9, 9], flashSize: 0x400000 });
    expect(state.runState).toBe('running');
    expect(state.firmware?.name).toBe('demo.bin');
    pump(2400);
    expect(read()).toContain('boot 2 (flash)');
    expect(macs[1]).toEqual([0x5c, 0xcf, 0x7f, 9, 9, 9]);

    // A bigger chip: the contents carried over (padded with 0xFF), still the same counter.
    expect(
      host.configure({ mac: [0x5c, 0xcf, 0x7f, 9, 9, 9], flashSize: 0x800000 }).firmware?.flashSize,
    ).toBe(0x800000);
    pump(3600);
    expect(sizes).toEqual([0x400000, 0x400000, 0x800000]);
    expect(read()).toContain('boot 3 (flash)');
    expect(() => host.configure({ mac: [1, 2, 3], flashSize: 0x100000 })).toThrow(/6 bytes/);
    expect(() => host.configure({ mac: [0, 1, 2, 3, 4, 5], flashSize: 12345 })).toThrow(
      /flash size/,
    );
  });
});
