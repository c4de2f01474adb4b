/**
 * `v8266 run --tap`: the board's virtual network joined to a Linux TAP interface, with the kernel
 * on the other side as a wired host. Our own web server firmware (firmware/wifitest/httpd.c) joins
 * the AP as 192.168.10.50; the TAP is moved into a network namespace created for the test, given
 * 192.168.10.77, and curl there fetches the board's page through the virtual AP. The run ends when
 * the board prints the request it served.
 *
 * Needs root, /dev/net/tun, socat, ip and curl. Skips with the reason otherwise; only the
 * namespace and TAP it creates are touched.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const TOOLS = ['socat', 'ip', 'curl'];

function skipReason(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0)
    return 'not root (TAP devices and network namespaces need CAP_NET_ADMIN)';
  if (!existsSync('/dev/net/tun')) return 'no /dev/net/tun';
  const missing = TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  return missing.length ? `missing tools: ${missing.join(' ')}` : null;
}

const reason = skipReason();
if (reason) console.warn(`test/net-linux/run-tap skipped: ${reason}`);

const CLI = fileURLToPath(new URL('../../bin/v8266.mjs', import.meta.url));
const HTTPD = fileURLToPath(new URL('../../firmware/wifitest/out/httpd.bin', import.meta.url));

describe.skipIf(reason !== null)('v8266 run --tap (the kernel on the first LAN)', () => {
  const ns = `v8266rt${process.pid}`;
  const tap = `v8rt${process.pid % 100000}`;
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', ns]);
  });

  it("curl in a namespace fetches our firmware's page through the virtual AP", async () => {
    const child = spawn(
      process.execPath,
      [
        CLI,
        'run',
        `${HTTPD}@0`,
        '--ap',
        'v8266-open@1',
        '--tap',
        tap,
        '--timeout',
        '600',
        '--expect',
        'http: GET / HTTP/1.1 from 192.168.10.77',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const until = async (done: () => boolean, what: string) => {
      while (!done()) {
        if (child.exitCode !== null) throw new Error(`the run ended before ${what}: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      await until(() => stderr.includes(`TAP ${tap} is a wired host`), 'the TAP came up');
      expect(stderr).toContain('the run is paced to the wall clock');
      for (const step of [
        ['netns', 'add', ns],
        ['link', 'set', tap, 'netns', ns],
        ['-n', ns, 'addr', 'add', '192.168.10.77/24', 'dev', tap],
        ['-n', ns, 'link', 'set', tap, 'up'],
      ]) {
        const r = spawnSync('ip', step, { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`ip ${step.join(' ')}: ${r.stderr}`);
      }
      await until(() => stdout.includes('serving http://192.168.10.50/'), 'the board served');
      const curl = spawnSync(
        'ip',
        ['netns', 'exec', ns, 'curl', '-s', '--max-time', '120', 'http://192.168.10.50/'],
        { encoding: 'utf8' },
      );
      expect(curl.stdout).toContain('ESP8266 web server');
      expect(await exited).toBe(0);
      expect(stdout).toContain('http: GET / HTTP/1.1 from 192.168.10.77');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 300_000);
});
