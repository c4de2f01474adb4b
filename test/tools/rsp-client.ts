/** GDB's side of the Remote Serial Protocol, scripted, for the GDB stub's tests. */
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { expect } from 'vitest';
import { ROOT } from './serve-harness.ts';

/** GDB's side of the wire: packets with checksums, acknowledgements, replies. */
export class RspClient {
  private buffer = '';
  private waiters: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      this.buffer += text;
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static open(port: number): Promise<RspClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RspClient(socket)));
      socket.once('error', reject);
    });
  }

  send(data: string): void {
    let sum = 0;
    for (const c of data) sum = (sum + c.charCodeAt(0)) & 0xff;
    this.socket.write(`$${data}#${sum.toString(16).padStart(2, '0')}`, 'latin1');
  }

  interrupt(): void {
    this.socket.write('\x03', 'latin1');
  }

  /** The next reply packet's data (acknowledgements skipped; the checksum verified). */
  async reply(): Promise<string> {
    for (;;) {
      this.buffer = this.buffer.replace(/^\++/, '');
      const m = /^\$([^#]*)#([0-9a-f]{2})/.exec(this.buffer);
      if (m) {
        this.buffer = this.buffer.slice(m[0].length);
        let sum = 0;
        for (const c of m[1]) sum = (sum + c.charCodeAt(0)) & 0xff;
        expect(parseInt(m[2], 16)).toBe(sum);
        this.socket.write('+');
        return m[1];
      }
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  async command(data: string): Promise<string> {
    this.send(data);
    return this.reply();
  }

  close(): void {
    this.socket.destroy();
  }
}

export const le32 = (hex: string) => {
  let v = 0;
  for (let i = 3; i >= 0; i--) v = (v << 8) | parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return v >>> 0;
};
export const hexAddr = (a: number) => a.toString(16);

/** `v8266 run --gdb 0 ARGS...` as a child process: the port it waits on, its output, its exit. */
export async function startRunUnderGdb(args: readonly string[]) {
  const child = spawn(process.execPath, ['bin/v8266.mjs', 'run', '--gdb', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('latin1')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /waiting for GDB on 127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) resolve(Number(m[1]));
    });
    void exited.then((code) => reject(new Error(`v8266 run exited (${code}): ${stderr}`)));
  });
  return { child, port, exited, stdout: () => stdout, stderr: () => stderr };
}
