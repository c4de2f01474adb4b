/**
 * The GDB stub on a TCP port of 127.0.0.1 (`serve --gdb`, `run --gdb`): one GDB at a time, as on
 * a debug probe. A connection stops the board (GdbRemote.attach); when it closes, the
 * breakpoints go and the board runs on.
 */

import { createServer, type Socket } from 'node:net';
import type { CpuDebugger } from '../board/debug/cpu-debugger.ts';
import { GdbRemote } from '../board/debug/gdb-remote.ts';
import { UsageError } from './errors.ts';

export const LOOPBACK = '127.0.0.1';

export interface GdbServer {
  /** The port it listens on (the one asked for, or the system's pick for 0). */
  port: number;
  /** Resolves when the first GDB has connected (and the board has stopped for it). */
  attached: Promise<void>;
  /** Tell a GDB still connected that the program ended with `code`, then close everything. */
  close(code?: number): void;
}

export function startGdbServer(target: CpuDebugger, port: number): Promise<GdbServer> {
  let session: GdbRemote | null = null;
  const sockets = new Set<Socket>();
  let attached!: () => void;
  const attachedPromise = new Promise<void>((resolve) => (attached = resolve));
  const server = createServer((socket) => {
    if (session) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    sockets.add(socket);
    const mine = new GdbRemote(target, (text) => socket.write(text, 'latin1'));
    session = mine;
    mine.attach();
    attached();
    socket.on('data', (chunk: Buffer) => mine.feed(new Uint8Array(chunk)));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      if (session === mine) {
        mine.detach();
        session = null;
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new UsageError(
          `cannot listen on ${LOOPBACK}:${port} (GDB): ${error.code ?? error.message}`,
        ),
      ),
    );
    server.listen(port, LOOPBACK, () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        attached: attachedPromise,
        close(code) {
          if (code !== undefined) session?.exited(code);
          server.close();
          for (const socket of sockets) socket.end();
        },
      });
    });
  });
}
