/** Starts `v8266 serve` as a child process, as users do, and collects what it reports. */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  rfc2217: number;
  raw: number;
  /** The GDB stub's port, when started with `--gdb 0`. */
  gdb: number | null;
  /** Everything it wrote on stderr so far. */
  log(): string;
  /** SIGINT, then its exit code. */
  stop(): Promise<number | null>;
}

export function startServe(args: readonly string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['bin/v8266.mjs', 'serve', ...args, '--port', '0', '--raw-port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /rfc2217:\/\/127\.0\.0\.1:(\d+) and tcp:\/\/127\.0\.0\.1:(\d+)(?:, GDB on 127\.0\.0\.1:(\d+))?/.exec(stderr);
      if (m && m[0].length > 0 && stderr.includes('Ctrl-C stops')) {
        resolve({
          child,
          rfc2217: Number(m[1]),
          raw: Number(m[2]),
          gdb: m[3] === undefined ? null : Number(m[3]),
          log: () => stderr,
          stop: () => {
            child.kill('SIGINT');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`v8266 serve exited (${code}): ${stderr}`)));
  });
}

/** A plain TCP client on the raw port: the board's UART0 output as text, and a wait on it. */
export class RawMonitor {
  private text = '';
  private waiters: Array<() => void> = [];
  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.text += chunk.toString('latin1');
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static open(port: number): Promise<RawMonitor> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawMonitor(socket)));
      socket.once('error', reject);
    });
  }

  get output(): string {
    return this.text;
  }

  /** Resolves when `needle` has appeared after character `from` of the output. */
  async waitFor(needle: string, from = 0): Promise<void> {
    while (this.text.indexOf(needle, from) < 0) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
