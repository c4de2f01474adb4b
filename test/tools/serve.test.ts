/**
 * `v8266 serve` against a real RFC 2217 client: pyserial (Debian python3-serial), the library
 * esptool, PlatformIO's monitor and miniterm use. Its control-line sequences are esptool's own
 * reset sequences; the demo firmware shows which boot mode the ROM took.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PYTHON = '/usr/bin/python3';
const hasPyserial = spawnSync(PYTHON, ['-c', 'import serial.rfc2217']).status === 0;
if (!hasPyserial) console.warn('skipping v8266 serve tests: Debian python3-serial is not installed');

function startServe(): Promise<{ child: ChildProcess; rfc2217: number; raw: number; log: () => string }> {
  const child = spawn(
    process.execPath,
    ['bin/v8266.mjs', 'serve', 'firmware/esp/out/demo.bin', '--port', '0', '--raw-port', '0'],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /rfc2217:\/\/127\.0\.0\.1:(\d+) and tcp:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) resolve({ child, rfc2217: Number(m[1]), raw: Number(m[2]), log: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`v8266 serve exited (${code}): ${stderr}`)));
  });
}

function runClient(rfc2217: number, raw: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(PYTHON, ['test/tools/pyserial_client.py', String(rfc2217), String(raw)], {
    cwd: ROOT,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

describe.skipIf(!hasPyserial)('v8266 serve (RFC 2217)', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('pyserial resets the board with esptool sequences, types, changes baud; raw TCP works too', async () => {
    const serve = await startServe();
    child = serve.child;
    // Asynchronously: the server's stderr is read by this process's event loop meanwhile.
    const client = await runClient(serve.rfc2217, serve.raw);
    expect(client.stderr + serve.log()).not.toMatch(/Traceback/);
    expect(client.stdout.trim().split('\n')).toEqual([
      'hard reset: runs the flash',
      'default reset: download mode',
      'hard reset again: runs the flash',
      'typed bytes echoed',
      'baud change acknowledged',
      'raw TCP port echoed, RFC 2217 client saw it too',
    ]);
    expect(client.status).toBe(0);
    expect(serve.log()).toContain('reset by DTR/RTS, GPIO0 low: download mode');
    const exited = new Promise<number | null>((r) => serve.child.on('exit', (code) => r(code)));
    serve.child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 180_000);
});
