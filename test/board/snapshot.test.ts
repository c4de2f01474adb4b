/**
 * Snapshots are exact: running N s, saving, restoring into a fresh board and running M s ends in
 * the same machine as running N + M s straight — the same registers, RAM, flash, peripheral state
 * and pending events (the two final snapshots are byte-identical), and the same UART bytes and pin
 * changes, at the same simulated times, after the save point. Checked on our own firmware: the
 * demo (LED, serial echo with input on the wire at the save), the soak program (FRC1/CCOMPARE/ROM
 * timers/watchdog feeding), the UART print storm, the Wi-Fi MAC test program, the RTOS-style task
 * switcher; with the interpreter and with the block compiler, including a restore into a board
 * whose compiled code came from other firmware.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBoard } from '../../src/board/board.ts';
import { boardFromSnapshot, snapshotBoard } from '../../src/board/snapshot/board-snapshot.ts';
import { decodeSnapshot } from '../../src/board/snapshot/snapshot-format.ts';
import { StateReader } from '../../src/board/snapshot/state.ts';
import { checkResume, firstDifference, runTo, type Case } from './snapshot-resume.ts';

function image(path: string): Uint8Array {
  return readFileSync(new URL(`../../firmware/${path}`, import.meta.url));
}

const CASES: Case[] = [
  {
    name: 'demo: LED, boot counter, serial echo with bytes on the wire at the save',
    flash: image('esp/out/demo.bin'),
    n: 1.3,
    m: 1.4,
    // Typed at 1.295 s: 100 bytes take 8.7 ms at 115200 baud, so some are still on RXD at 1.3 s.
    inputs: [
      { at: 1.2951, text: `${'hello, snapshot '.repeat(6)}1234\r\n` },
      { at: 2.0, text: 'again\r\n' },
    ],
  },
  {
    name: 'soak: FRC1, CCOMPARE, ROM timers, watchdog',
    flash: image('soak/out/soak.bin'),
    n: 59.5,
    m: 1,
  },
  { name: 'UART print storm', flash: image('soak/out/uart_storm.bin'), n: 0.4, m: 0.6 },
  { name: 'Wi-Fi MAC test program', flash: image('wifitest/out/wifi.bin'), n: 0.1, m: 0.5 },
  { name: 'RTOS-style task switcher', flash: image('espbench/out/storm_tasks.bin'), n: 1, m: 1.1 },
];

/**
 * The network's running state goes with the board (src/net/replay/): saved in the middle of
 * things, the resumed world must send the board the same frames at the same times, and end with
 * the same history, as the straight run.
 */
const NETWORK_CASES: Case[] = [
  {
    // join.bin scans (probe requests on channels 1-13), authenticates and associates to the open
    // AP while a virtual phone does the WPA2 4-way handshake with the other; 0.652 s is between
    // its EAPOL-Key messages 2 and 3.
    name: 'a board joining an open AP while a virtual station does the WPA2 4-way handshake',
    flash: image('wifitest/out/join.bin'),
    n: 0.652,
    m: 1.4,
    expectOutput: false, // the board printed its join by 0.3 s: the phone's join is what goes on
    network: {
      aps: [
        { ssid: 'v8266-open', channel: 6 },
        { ssid: 'locked', passphrase: 'secret-pass', channel: 11 },
      ],
      stations: [{ name: 'phone', ssid: 'locked', passphrase: 'secret-pass' }],
    },
  },
  {
    // The board (httpd.bin) serves on the open AP; a phone there downloads 200 KB from the LAN's
    // .1 host and is mid-transfer (TCP segments and their ACKs on the air) at the save.
    name: 'a virtual station downloading from the LAN with TCP segments in flight',
    flash: image('wifitest/out/httpd.bin'),
    n: 0,
    m: 0.4,
    expectOutput: false,
    network: {
      aps: [{ ssid: 'v8266-open', channel: 6 }],
      stations: [{ name: 'phone', ssid: 'v8266-open' }],
    },
    before: (board, world) => {
      const phone = world!.stations[0];
      while (phone.phase !== 'online' || board.seconds < 1) board.runUntil(board.seconds + 0.005);
      world!.stationGet(0, '/bytes/200000');
      board.runUntil(board.seconds + 0.03);
    },
  },
];

describe('a restored snapshot carries on exactly (interpreter)', () => {
  for (const c of CASES) it(c.name, () => void checkResume(c));
});

describe('a restored snapshot carries the virtual network on exactly', () => {
  for (const c of NETWORK_CASES) it(c.name, () => void checkResume(c));
});

describe('a restored snapshot carries on exactly (block compiler)', () => {
  it(CASES[0].name, () => void checkResume(CASES[0], true));
  it(CASES[1].name, () => void checkResume(CASES[1], true));
});

describe('snapshots', () => {
  it('equal the straight run even without the slice boundary at the save point', () => {
    // The resumed run has a slice boundary at N that one long runUntil does not: same result.
    const c = CASES[1];
    const straight = createBoard({ flash: c.flash });
    straight.powerOn();
    straight.runUntil(c.n + c.m);
    const split = createBoard({ flash: c.flash });
    split.powerOn();
    split.runUntil(c.n);
    const resumed = boardFromSnapshot(snapshotBoard(split));
    resumed.runUntil(c.n + c.m);
    expect(
      firstDifference(
        decodeSnapshot(snapshotBoard(straight)),
        decodeSnapshot(snapshotBoard(resumed)),
      ),
    ).toBeNull();
  });

  it('restore into a board that ran other firmware with compiled code drops that code', () => {
    const c = CASES[0];
    const donor = createBoard({ flash: c.flash });
    donor.soc.cpu.blockCompiler = true;
    donor.powerOn();
    runTo(donor, c.n, c.inputs);
    const file = snapshotBoard(donor);
    runTo(donor, c.n + c.m, c.inputs);

    const used = createBoard({ flash: image('espbench/out/storm_tasks.bin') });
    used.soc.cpu.blockCompiler = true;
    used.powerOn();
    used.runUntil(0.5); // hot compiled regions of another program at the same addresses
    used.restoreState(new StateReader(decodeSnapshot(file)).child('board'));
    runTo(used, c.n + c.m, c.inputs);
    expect(
      firstDifference(decodeSnapshot(snapshotBoard(donor)), decodeSnapshot(snapshotBoard(used))),
    ).toBeNull();
  });

  it('the same state gives the same bytes', () => {
    const board = createBoard({ flash: image('esp/out/demo.bin') });
    board.powerOn();
    board.runUntil(0.2);
    expect(Buffer.compare(snapshotBoard(board), snapshotBoard(board))).toBe(0);
  });

  it('carries the MAC address, the flash size and the flash contents', () => {
    const mac = [0xac, 0xd0, 0x74, 1, 2, 3];
    const board = createBoard({ flash: image('esp/out/demo.bin'), flashSize: 1 << 20, mac });
    board.powerOn();
    board.runUntil(0.3);
    const resumed = boardFromSnapshot(snapshotBoard(board));
    expect(resumed.flash.length).toBe(1 << 20);
    expect(Buffer.compare(resumed.flash, board.flash)).toBe(0);
    expect([...resumed.soc.dport.efuseWords]).toEqual([...board.soc.dport.efuseWords]);
    expect(resumed.seconds).toBe(board.seconds);
  });
});

describe('what a snapshot leaves out', () => {
  it('alarms added to the clock after the machine was built (the network, a test peer) are not in it', () => {
    const board = createBoard({ flash: image('esp/out/demo.bin') });
    board.powerOn();
    board.runUntil(0.1);
    // Two peers with the same alarm name, as two virtual stations would have.
    const fired: string[] = [];
    board.soc.clock.createAlarm(() => fired.push('a'), 'peer').scheduleIn(1000);
    board.soc.clock.createAlarm(() => fired.push('b'), 'peer').scheduleIn(2000);
    const resumed = boardFromSnapshot(snapshotBoard(board));
    board.runUntil(0.2);
    resumed.runUntil(0.2);
    expect(fired).toEqual(['a', 'b']); // the original's peers ran; the resumed board has none
    expect(
      Object.keys(
        (
          decodeSnapshot(snapshotBoard(resumed)).board as never as {
            soc: { clock: { alarms: object } };
          }
        ).soc.clock.alarms,
      ),
    ).not.toContain('peer');
  });
});
