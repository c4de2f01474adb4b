/**
 * `v8266 serve` against a real RFC 2217 client: pyserial (Debian python3-serial), the library
 * esptool, PlatformIO's monitor and miniterm use. Its control-line sequences are esptool's own
 * reset sequences; the demo firmware shows which boot mode the ROM took.
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, startServe, type ServeProcess } from './serve-harness.ts';

const PYTHON = '/usr/bin/python3';
const hasPyserial = spawnSync(PYTHON, ['-c', 'import serial.rfc2217']).status === 0;
// CI installs python3-serial (.ci/run) and sets CI=true: there the test never skips, and fails loudly.
const skip = !hasPyserial && !process.env.CI;
if (skip) console.warn('skipping v8266 serve tests: Debian python3-serial is not installed');

/** Asynchronously: the server's stderr is read by this process's event loop meanwhile. */
function runClient(rfc2217: number, raw: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(PYTHON, ['test/tools/pyserial_client.py', String(rfc2217), String(raw)], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

describe.skipIf(skip)('v8266 serve (RFC 2217)', () => {
  let serve: ServeProcess | undefined;
  afterAll(async () => {
    await serve?.stop();
  });

  it('pyserial resets the board with esptool sequences, types, changes baud; raw TCP works too', async () => {
    serve = await startServe(['firmware/esp/out/demo.bin']);
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
    const code = await serve.stop();
    serve = undefined;
    expect(code).toBe(0);
  }, 180_000);
});
