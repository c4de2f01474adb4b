/**
 * The real command, as users and CI call it: `node bin/v8266.mjs …` in a child process. Covers
 * every input error (exit 2 with one line), help, version, and the not-yet-running case.
 */

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repoRoot, 'bin', 'v8266.mjs');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function v8266(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let dir = '';

/** A minimal valid 0xE9 image: one 4-byte IRAM segment. */
function tinyImage(): Uint8Array {
  const data = [0x00, 0x20, 0x00, 0x00];
  const image = [0xe9, 1, 2, 0x40, 0x00, 0x00, 0x10, 0x40, 0x00, 0x00, 0x10, 0x40, 4, 0, 0, 0];
  image.push(...data);
  while (image.length % 16 !== 15) image.push(0);
  image.push(data.reduce((sum, b) => sum ^ b, 0xef));
  return Uint8Array.from(image);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'v8266-cli-'));
  writeFileSync(join(dir, 'fw.bin'), tinyImage());
  writeFileSync(join(dir, 'big.bin'), new Uint8Array(0x2000));
  writeFileSync(join(dir, 'data.bin'), Uint8Array.of(1, 2, 3, 4));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The network debugging tool's side of seed 3.3.1-3.3.3 against firmware/wifitest/sockets.c.
 * 3.3.1: a UDP port that sends to the board's port 1200 once it listens; it echoes. 3.3.2: a TCP
 * server the board connects to; it answers the board once it is connected. 3.3.3: a TCP client
 * of the board's server, opened once the board listens.
 */
const SOCKETS_TOOL_SCRIPT = [
  '--tool',
  'udp:5000:192.168.10.50:1200',
  '--expect',
  'udp: listening on 1200',
  '--tool-send',
  'ESP8266 UDP test',
  '--tool',
  'tcp-server:1001',
  '--tool-send',
  'hello client\\r\\n',
  '--expect',
  'tcp server: listening on 1002',
  '--tool',
  'tcp-client:192.168.10.50:1002',
  '--tool-send',
  'hello server',
];

describe.concurrent('v8266 (spawned)', () => {
  it('prints usage on --help, help and -h, exit 0', async () => {
    for (const args of [['--help'], ['help'], ['-h']]) {
      const r = await v8266(...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: v8266 <command>/);
      expect(r.stdout).toContain('run [options] IMAGE[@OFFSET]...');
      expect(r.stderr).toBe('');
    }
  });

  it('prints run usage on `run --help` and `help run`', async () => {
    for (const args of [
      ['run', '--help'],
      ['help', 'run'],
    ]) {
      const r = await v8266(...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: v8266 run \[options\] IMAGE\[@OFFSET\]\.\.\./);
      expect(r.stdout).toContain('--flash-size SIZE');
    }
  });

  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    for (const args of [['--version'], ['version'], ['-V']]) {
      const r = await v8266(...args);
      expect(r).toEqual({ code: 0, stdout: `v8266 ${version}\n`, stderr: '' });
    }
  });

  it('shows usage on stderr and exits 2 with no arguments', async () => {
    const r = await v8266();
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: v8266/);
  });

  it.each([
    [['frobnicate'], 'v8266: unknown command "frobnicate"'],
    [['fw.bin'], 'v8266: unknown command "fw.bin" (did you mean: v8266 run fw.bin?)'],
    [['--frob'], 'v8266: unknown option --frob'],
    [['help', 'frob'], 'v8266: no help for unknown command "frob"'],
    [['run'], 'v8266: no image given (v8266 run [options] IMAGE[@OFFSET]...)'],
    [['run', '--stats'], 'v8266: no image given (v8266 run [options] IMAGE[@OFFSET]...)'],
    [['run', 'missing.bin'], 'v8266: cannot read missing.bin: no such file'],
    [['run', '.'], 'v8266: cannot read .: is a directory'],
    [['run', 'fw.bin@0xZZ'], 'v8266: fw.bin: bad offset "0xZZ" (use hex like 0x10000 or decimal)'],
    [['run', 'fw.bin@-16'], 'v8266: fw.bin: bad offset "-16" (use hex like 0x10000 or decimal)'],
    [
      ['run', 'big.bin', 'data.bin@0x1ffc'],
      'v8266: big.bin (0x0–0x1fff) overlaps data.bin (0x1ffc–0x1fff)',
    ],
    [
      ['run', 'fw.bin', 'big.bin@0x7f000', '--flash-size', '512K'],
      'v8266: big.bin (8192 bytes at 0x7f000) runs past the end of the 512K flash (0x80000 bytes); use --flash-size or a smaller offset',
    ],
    [
      ['run', 'data.bin@0x400000'],
      'v8266: data.bin (4 bytes at 0x400000) runs past the end of the 4M flash (0x400000 bytes); use --flash-size or a smaller offset',
    ],
    [
      ['run', 'fw.bin', '--flash-size', '3M'],
      'v8266: bad flash size "3M" (use one of 512K, 1M, 2M, 4M, 8M, 16M)',
    ],
    [['run', 'fw.bin', '--bogus'], 'v8266: unknown option --bogus'],
    [['run', 'fw.bin', '--expect'], 'v8266: --expect needs a value (TEXT)'],
    [['run', 'fw.bin', '--flash-size'], 'v8266: --flash-size needs a value (SIZE)'],
    [
      ['run', 'fw.bin', '--timeout', 'x'],
      'v8266: bad --timeout "x" (a positive number of emulated seconds)',
    ],
    [
      ['run', 'fw.bin', '--timeout', '1', '--timeout', '2'],
      'v8266: --timeout given more than once',
    ],
    [
      ['run', 'fw.bin', '--ap', 'home:short'],
      'v8266: --ap "home:short": a WPA2 passphrase has 8-63 characters',
    ],
    [['run', 'fw.bin', '--ap', 'home@15'], 'v8266: --ap "home@15": channel 15 is not 1-14'],
    [['run', 'fw.bin', '--echo', 'sctp:7'], 'v8266: bad --echo "sctp:7" (tcp:PORT or udp:PORT)'],
    [
      ['relay', '--allow', 'everything'],
      'v8266: bad --allow "everything" (an IPv4 network like 192.168.10.0/24)',
    ],
    [
      ['run', 'fw.bin', '--ap', 'a', '--tool', 'tcp:80'],
      'v8266: bad --tool "tcp:80" (tcp-server:PORT, tcp-client:IP:PORT, udp:PORT or udp:PORT:IP:PORT)',
    ],
    [
      ['run', 'fw.bin', '--pcap', 'air.pcap', '--mqtt'],
      'v8266: --mqtt, --pcap need a virtual network: add --ap SSID',
    ],
    [['run', 'fw.bin', '--tap', 'tap0'], 'v8266: --tap need a virtual network: add --ap SSID'],
    [
      ['run', 'fw.bin', '--ap', 'a', '--tap', 'tap0', '--gdb', '0'],
      'v8266: --tap and --gdb cannot be used together',
    ],
    [
      ['run', 'fw.bin', '--send', 'a\\qb'],
      'v8266: --send "a\\\\qb": unknown escape \\q (use \\r \\n \\t \\\\ or \\xNN)',
    ],
  ])('%j → exit 2: %s', async (args, message) => {
    const r = await v8266(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${message}\n`);
  });

  it("boots a real image: the guest's UART0 bytes on stdout, stats on stderr, exit 0", async () => {
    const hello = join(repoRoot, 'firmware', 'esp', 'out', 'hello.bin');
    const r = await v8266(
      'run',
      hello,
      '--expect',
      'hello from v8266',
      '--timeout',
      '2',
      '--stats',
    );
    expect(r.code).toBe(0);
    // The ROM's 74880-baud banner comes first, byte for byte as the mask ROM prints it.
    expect(r.stdout.startsWith('\r\n ets Jan  8 2013,rst cause:1, boot mode:(3,')).toBe(true);
    expect(r.stdout).toContain('hello from v8266');
    const stats = JSON.parse(r.stderr.trim().split('\n').at(-1)!);
    expect(Object.keys(stats)).toEqual([
      'instructions',
      'cycles',
      'emulatedSeconds',
      'wallSeconds',
      'mips',
    ]);
    expect(stats.instructions).toBeGreaterThan(1000);
  });

  it('--snapshot-out then --snapshot-in: 1 s + 1.5 s gives the bytes and the state of 2.5 s straight', async () => {
    // The task switcher prints its result at 2.03 s, after the save point.
    const demo = join(repoRoot, 'firmware', 'espbench', 'out', 'storm_tasks.bin');
    const first = await v8266('run', demo, '--timeout', '1', '--snapshot-out', 'one.v8266snap');
    const second = await v8266(
      'run',
      '--snapshot-in',
      'one.v8266snap',
      '--timeout',
      '1.5',
      '--snapshot-out',
      'resumed.v8266snap',
      '--stats',
    );
    const straight = await v8266(
      'run',
      demo,
      '--timeout',
      '2.5',
      '--snapshot-out',
      'straight.v8266snap',
    );
    expect([first.code, second.code, straight.code]).toEqual([0, 0, 0]);
    expect(second.stdout).toContain('storms: tasks');
    expect(first.stdout + second.stdout).toBe(straight.stdout);
    expect(JSON.parse(second.stderr.trim()).emulatedSeconds).toBe(2.5);
    const resumed = readFileSync(join(dir, 'resumed.v8266snap'));
    expect(Buffer.compare(resumed, readFileSync(join(dir, 'straight.v8266snap')))).toBe(0);
  });

  it('--snapshot-in refuses what it cannot resume, saying why (exit 2)', async () => {
    const demo = join(repoRoot, 'firmware', 'esp', 'out', 'demo.bin');
    await v8266(
      'run',
      demo,
      '--timeout',
      '0.1',
      '--flash-size',
      '1M',
      '--snapshot-out',
      'small.v8266snap',
    );
    const notSnapshot = await v8266('run', '--snapshot-in', 'fw.bin');
    expect(notSnapshot.code).toBe(2);
    expect(notSnapshot.stderr).toBe(
      'v8266: fw.bin: not a v8266 snapshot (a .v8266snap file starts with "V8266SNP")\n',
    );
    const truncated = readFileSync(join(dir, 'small.v8266snap')).subarray(0, 100);
    writeFileSync(join(dir, 'cut.v8266snap'), truncated);
    const cut = await v8266('run', '--snapshot-in', 'cut.v8266snap');
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/^v8266: cut\.v8266snap: snapshot corrupt or truncated/);
    const size = await v8266('run', '--snapshot-in', 'small.v8266snap', '--flash-size', '4M');
    expect(size.code).toBe(2);
    expect(size.stderr).toBe(
      'v8266: --flash-size 4M: the board in small.v8266snap has 1M of flash, and a resumed board keeps its chip\n',
    );
    // Images given with a snapshot replace its flash (laid out at the snapshot's size).
    const replaced = await v8266(
      'run',
      '--snapshot-in',
      'small.v8266snap',
      'data.bin@0x10000',
      '--timeout',
      '0.05',
    );
    expect(replaced.code).toBe(0);
  });

  it('exits 1 naming the expectation a running guest never met', async () => {
    const r = await v8266(
      'run',
      'fw.bin',
      'data.bin@0x10000',
      '--flash-size',
      '1MB',
      '--expect',
      'ready',
      '--timeout',
      '0.2',
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(
      'v8266: timeout after 0.2 s waiting for "ready" (expectation 1 of 1)',
    );
  });

  it('--ap puts the board into a virtual network: own firmware joins it, --pcap records the air', async () => {
    const join_ = join(repoRoot, 'firmware', 'wifitest', 'out', 'join.bin');
    const r = await v8266(
      'run',
      join_,
      '--ap',
      'v8266-open@6,rssi=-61',
      '--ap',
      'locked:secret-pass@11',
      '--pcap',
      'air.pcap',
      '--expect',
      'done',
      '--timeout',
      '3',
    );
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([
      'v8266: AP 0 "v8266-open" ch 6 open -61 dBm, LAN 192.168.10.0/24 gateway 192.168.10.1',
      'v8266: AP 1 "locked" ch 11 wpa2 -50 dBm, LAN 192.168.11.0/24 gateway 192.168.11.1',
    ]);
    expect(r.stdout).toContain('ch 6: "v8266-open" 02:82:66:00:00:00 rssi -61\r\n');
    expect(r.stdout).toContain('arp reply op 2: 192.168.10.1 is at 02:82:66:00:00:01');
    const pcap = readFileSync(join(dir, 'air.pcap'));
    expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(pcap.readUInt32LE(20)).toBe(127); // radiotap + 802.11
    expect(pcap.length).toBeGreaterThan(24 + 10 * 40);
  });

  it('--snapshot-in brings the board back into the network it was saved in; a snapshot without one runs without', async () => {
    const join_ = join(repoRoot, 'firmware', 'wifitest', 'out', 'join.bin');
    // Saved before the firmware has scanned: the resumed board must find the saved APs.
    const saved = await v8266(
      'run',
      join_,
      '--ap',
      'v8266-open@6,rssi=-61',
      '--ap',
      'locked:secret-pass@11',
      '--timeout',
      '0.05',
      '--snapshot-out',
      'net.v8266snap',
    );
    expect(saved.code).toBe(0);
    const r = await v8266(
      'run',
      '--snapshot-in',
      'net.v8266snap',
      '--expect',
      'done',
      '--timeout',
      '3',
    );
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').slice(0, 3)).toEqual([
      'v8266: the network saved in the snapshot:',
      'v8266: AP 0 "v8266-open" ch 6 open -61 dBm, LAN 192.168.10.0/24 gateway 192.168.10.1',
      'v8266: AP 1 "locked" ch 11 wpa2 -50 dBm, LAN 192.168.11.0/24 gateway 192.168.11.1',
    ]);
    expect(r.stdout).toContain('ch 6: "v8266-open" 02:82:66:00:00:00 rssi -61\r\n');
    expect(r.stdout).toContain('arp reply op 2: 192.168.10.1 is at 02:82:66:00:00:01');
    // --ap given with --snapshot-in replaces the saved network.
    const other = await v8266(
      'run',
      '--snapshot-in',
      'net.v8266snap',
      '--ap',
      'elsewhere@11',
      '--expect',
      'done',
      '--timeout',
      '3',
    );
    expect(other.code).toBe(0);
    expect(other.stderr.split('\n')[0]).toBe(
      'v8266: AP 0 "elsewhere" ch 11 open -50 dBm, LAN 192.168.10.0/24 gateway 192.168.10.1',
    );
    expect(other.stdout).toContain('ch 11: "elsewhere" 02:82:66:00:00:00 rssi -50\r\n');
    // Saved without a network (as every snapshot from before the network was saved): none.
    await v8266('run', join_, '--timeout', '0.05', '--snapshot-out', 'alone.v8266snap');
    const alone = await v8266(
      'run',
      '--snapshot-in',
      'alone.v8266snap',
      '--expect',
      'done',
      '--timeout',
      '3',
    );
    expect(alone.code).toBe(0);
    expect(alone.stderr).toBe('');
    expect(alone.stdout).toContain('no network');
  });

  it('--snapshot-in resumes the network where it was: a TCP exchange in flight goes on byte for byte', async () => {
    const sockets = join(repoRoot, 'firmware', 'wifitest', 'out', 'sockets.bin');
    // The debugging tool's whole script happens by 0.21 s; the board's TCP server then reads,
    // answers and closes (0.21-0.217 s). Saved at 0.2125 s, segments are on the air.
    const script = ['--ap', 'v8266-open@6', ...SOCKETS_TOOL_SCRIPT];
    const straight = await v8266(
      'run',
      sockets,
      ...script,
      '--timeout',
      '0.3',
      '--snapshot-out',
      'tcp-straight.v8266snap',
    );
    const first = await v8266(
      'run',
      sockets,
      ...script,
      '--timeout',
      '0.2125',
      '--snapshot-out',
      'tcp-a.v8266snap',
    );
    const second = await v8266(
      'run',
      '--snapshot-in',
      'tcp-a.v8266snap',
      '--timeout',
      '0.0875',
      '--snapshot-out',
      'tcp-b.v8266snap',
    );
    expect([straight.code, first.code, second.code]).toEqual([0, 0, 0]);
    // Saved while the board prints what it read; it closes the connection after the resume.
    expect(first.stdout).not.toContain('tcp server: closed');
    expect(second.stdout).toContain('hello server\r\ntcp server: closed');
    expect(first.stdout + second.stdout).toBe(straight.stdout);
    expect(second.stderr).not.toContain('resumes from its configuration only');
    // The whole machine and the network's history end identical.
    const resumed = readFileSync(join(dir, 'tcp-b.v8266snap'));
    expect(Buffer.compare(resumed, readFileSync(join(dir, 'tcp-straight.v8266snap')))).toBe(0);
  });

  it("--tool is the guides' network debugging tool: own firmware does seed 3.3.1-3.3.3 against it", async () => {
    const sockets = join(repoRoot, 'firmware', 'wifitest', 'out', 'sockets.bin');
    const r = await v8266(
      'run',
      sockets,
      '--ap',
      'v8266-open@6',
      ...SOCKETS_TOOL_SCRIPT,
      '--expect',
      'done',
      '--timeout',
      '10',
    );
    expect(r.code).toBe(0);
    const uart = r.stdout.split('\r\n').join('\n').split('\n');
    const from = uart.indexOf('udp: listening on 1200');
    expect(uart.slice(from, from + 12)).toEqual([
      'udp: listening on 1200',
      'udp: recv 16 bytes from 192.168.10.1:5000: ESP8266 UDP test',
      'udp: sent it back',
      'tcp client: connecting to 192.168.10.1:1001',
      'tcp client: connect ok',
      'tcp client: send success',
      'tcp client: recv data 14 bytes: hello client\\r\\n',
      'tcp client: closed',
      'tcp server: listening on 1002',
      expect.stringMatching(/^tcp server: client from 192\.168\.10\.1 \d+$/),
      'tcp server: read data 12: hello server',
      'tcp server: closed',
    ]);
    // The tool's lines, on stderr, stamped with the simulated time; sessions numbered in order.
    const tool = r.stderr
      .split('\n')
      .filter((l) => l.includes(' s tool ['))
      .map((l) => {
        expect(l).toMatch(/^v8266: \d+\.\d{3} s tool \[\d\] /);
        return l
          .replace(/^v8266: \d+\.\d{3} s tool /, '')
          .replace(/from port \d+$/, 'from port PORT');
      });
    expect(tool).toEqual([
      '[1] udp open on 5000, sending to 192.168.10.50:1200',
      '[1] > 192.168.10.50:1200 (16 bytes) ESP8266 UDP test',
      '[2] tcp listening on 1001',
      '[1] < 192.168.10.50:1200 (16 bytes) ESP8266 UDP test',
      '[3] tcp 192.168.10.50:4000 connected (to port 1001, session 2)',
      '[3] < 192.168.10.50:4000 (17 bytes) ESP8266 recv test',
      '[3] > 192.168.10.50:4000 (14 bytes) hello client\\r\\n',
      '[3] peer closed (FIN); closing',
      '[3] tcp closed',
      '[4] tcp connecting to 192.168.10.50:1002',
      '[4] tcp connected to 192.168.10.50:1002 from port PORT',
      '[4] > 192.168.10.50:1002 (12 bytes) hello server',
      '[4] peer closed (FIN); closing',
      '[4] tcp closed',
    ]);
  });

  it('--client puts a phone in the air that looks for its network (the board has no SoftAP here)', async () => {
    const join_ = join(repoRoot, 'firmware', 'wifitest', 'out', 'join.bin');
    const r = await v8266('run', join_, '--client', 'board-ap', '--timeout', '8');
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe('v8266: client 0 02:82:66:5a:00:00 joins "board-ap" (open)');
    // It tries again every 5 s, as a phone does; nothing joins a network that is not there.
    const failures = lines.filter((l) => l.includes('client 0: join "board-ap" failed'));
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures[0]).toMatch(
      /^v8266: \d+\.\d{3} s client 0: join "board-ap" failed: no AP found$/,
    );
  });

  it('warns when flash offset 0 holds no bootable image, and runs it like the chip would', async () => {
    const r = await v8266('run', 'data.bin', '--timeout', '0.5');
    expect(r.code).toBe(0); // no --expect: the timeout elapsing is success
    // The ROM prints its banner and gives up on the image, as the mask ROM does.
    expect(r.stdout).toContain('ets Jan  8 2013,rst cause:1, boot mode:(3,');
    expect(r.stderr.split('\n')[0]).toBe(
      'v8266: warning: flash at 0x0: bad magic 0x1 at 0x0 (an ESP8266 image starts with 0xe9, ' +
        'or 0xea for a v2 application); the ROM will not boot it',
    );
  });
});
