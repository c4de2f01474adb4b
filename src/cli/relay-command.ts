/**
 * `v8266 relay`: a WebSocket relay for virtual LANs in the framing of v86's network relay
 * (websockproxy): every binary message is one Ethernet frame. The page's network (and v86, and
 * any client of that framing) connects to it; the relay is a learning switch between its clients
 * — and, with `--tap`, a Linux TAP interface, i.e. the real network behind it —, passing only
 * frames whose destination the allow-list permits. Listens on 127.0.0.1 unless told otherwise.
 *
 * Node-only (sockets, timers). Time is wall time: a SwitchedSegment on a wall-paced clock.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import { DestinationFilter } from '../net/relay/destination-filter.ts';
import { RelayLink, type FrameSocket } from '../net/relay/relay-link.ts';
import { SwitchedSegment } from '../net/ip/segment.ts';
import { EXIT_OK, UsageError } from './errors.ts';
import { relayHelp } from './help.ts';
import type { CliHost } from './host.ts';
import { TapBridge } from './net/tap-bridge.ts';
import { WallPacedClock } from './net/wall-clock.ts';
import { parseRelayArgs, type RelayRequest } from './relay-args.ts';

export interface Relay {
  /** The port it listens on (the one picked when asked for 0). */
  port: number;
  readonly clients: number;
  close(): Promise<void>;
}

/** Starts a relay (the command, and tests in-process). */
export async function startRelay(
  request: Omit<RelayRequest, 'help'>,
  log: (line: string) => void = () => {},
): Promise<Relay> {
  const time = new WallPacedClock();
  const segment = new SwitchedSegment(time.clock);
  const filter = new DestinationFilter(request.allow);
  const links = new Set<RelayLink>();
  let tap: TapBridge | null = null;
  if (request.tapIfname !== null) {
    try {
      tap = await TapBridge.open(request.tapIfname, { beforeInject: () => time.advance() });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    tap.attachTo(segment);
  }
  const server = new WebSocketServer({ host: request.listen, port: request.port });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new UsageError(
          `cannot listen on ${request.listen}:${request.port}: ${error.code ?? error.message}`,
        ),
      ),
    );
  });
  let next = 1;
  server.on('connection', (ws: WebSocket, req) => {
    const n = next++;
    const from = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    const link = new RelayLink(segment, ws as unknown as FrameSocket, {
      accept: (frame) => filter.allows(frame),
      beforeInject: () => time.advance(),
      onState: (state) => {
        if (state !== 'closed') return;
        links.delete(link);
        log(
          `client ${n} (${from}) left: ${link.framesIn} frames in, ${link.framesOut} out, ${link.framesRefused} refused`,
        );
      },
    });
    links.add(link);
    log(`client ${n} joined from ${from}`);
  });
  time.start();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : request.port;
  return {
    port,
    get clients() {
      return links.size;
    },
    async close() {
      for (const link of links) link.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      tap?.close();
      time.stop();
    },
  };
}

export async function relayCommand(argv: readonly string[], host: CliHost): Promise<number> {
  const request = parseRelayArgs(argv);
  if (request.help) {
    host.writeStdout(relayHelp());
    return EXIT_OK;
  }
  const relay = await startRelay(request, (line) => host.writeStderr(`v8266: relay: ${line}\n`));
  const loopback =
    request.listen === '127.0.0.1' || request.listen === '::1' || request.listen === 'localhost';
  if (!loopback)
    host.writeStderr(
      `v8266: warning: listening on ${request.listen}: other machines can put frames on this relay\n`,
    );
  host.writeStderr(
    `v8266: relay on ws://${request.listen.includes(':') ? `[${request.listen}]` : request.listen}:${relay.port}/ ` +
      `(one Ethernet frame per binary message, as v86's relay); allowed destinations ${new DestinationFilter(request.allow).describe()}` +
      `${request.tapIfname ? `; TAP ${request.tapIfname}` : ''}; Ctrl-C stops\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await relay.close();
  return EXIT_OK;
}
