/**
 * A Web Serial `SerialPort` look-alike over an RFC 2217 connection (Node), so that JavaScript
 * tools written for Web Serial — esptool-js, the library esp-web-tools and many flashing pages
 * use — drive `v8266 serve` (or any RFC 2217 server) unmodified:
 *
 *   const port = new Rfc2217SerialPort('127.0.0.1', 2217);
 *   const loader = new ESPLoader({ transport: new Transport(port), baudrate: 115200, … });
 *
 * Only what those tools use: open/close, readable/writable streams, setSignals (DTR/RTS as
 * SET-CONTROL), getInfo, and setBaudRate (esptool-js changes speed in place when it exists).
 */

import { connect, type Socket } from 'node:net';
import {
  COM_PORT_OPTION,
  comPortCommand,
  ComPort,
  Control,
  escapeIac,
  negotiation,
  TELNET_BINARY,
  TelnetCommand,
  TelnetParser,
} from './rfc2217.ts';

export interface SerialSignals {
  dataTerminalReady?: boolean;
  requestToSend?: boolean;
  break?: boolean;
}

function baudBytes(baud: number): number[] {
  return [(baud >>> 24) & 0xff, (baud >>> 16) & 0xff, (baud >>> 8) & 0xff, baud & 0xff];
}

export class Rfc2217SerialPort {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  private socket: Socket | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  getInfo(): { usbVendorId?: number; usbProductId?: number } {
    return {};
  }

  async open(options: { baudRate: number }): Promise<void> {
    if (this.socket) throw new Error('the port is already open');
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(this.port, this.host, () => resolve(s));
      s.once('error', reject);
    });
    socket.setNoDelay(true);
    this.socket = socket;
    const { WILL, DO } = TelnetCommand;
    socket.write(negotiation(WILL, COM_PORT_OPTION));
    socket.write(negotiation(WILL, TELNET_BINARY));
    socket.write(negotiation(DO, TELNET_BINARY));
    socket.write(comPortCommand(ComPort.SET_BAUDRATE, baudBytes(options.baudRate)));

    this.readable = new ReadableStream<Uint8Array>({
      start(controller) {
        // Negotiation replies and setting acknowledgements are not serial data: drop them.
        const parser = new TelnetParser({ data: (bytes) => controller.enqueue(bytes) });
        socket.on('data', (chunk: Buffer) => parser.feed(new Uint8Array(chunk)));
        socket.on('close', () => {
          try {
            controller.close();
          } catch {
            // already closed or cancelled
          }
        });
        socket.on('error', (error) => controller.error(error));
      },
      cancel() {
        socket.pause();
      },
    });
    this.writable = new WritableStream<Uint8Array>({
      write(chunk) {
        return new Promise((resolve, reject) =>
          socket.write(escapeIac(chunk), (error) => (error ? reject(error) : resolve())),
        );
      },
    });
  }

  async setSignals(signals: SerialSignals): Promise<void> {
    const socket = this.requireOpen();
    if (signals.dataTerminalReady !== undefined) {
      socket.write(
        comPortCommand(ComPort.SET_CONTROL, [signals.dataTerminalReady ? Control.DTR_ON : Control.DTR_OFF]),
      );
    }
    if (signals.requestToSend !== undefined) {
      socket.write(
        comPortCommand(ComPort.SET_CONTROL, [signals.requestToSend ? Control.RTS_ON : Control.RTS_OFF]),
      );
    }
  }

  async setBaudRate(baud: number): Promise<void> {
    this.requireOpen().write(comPortCommand(ComPort.SET_BAUDRATE, baudBytes(baud)));
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    this.readable = null;
    this.writable = null;
    if (!socket) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      socket.destroySoon();
    });
  }

  private requireOpen(): Socket {
    if (!this.socket) throw new Error('the port is not open');
    return this.socket;
  }
}
