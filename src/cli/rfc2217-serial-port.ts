/**
 * A Web Serial `SerialPort` look-alike over an RFC 2217 connection (Node), so that JavaScript
 * tools written for Web Serial — esptool-js, the library esp-web-tools and many flashing pages
 * use — drive `v8266 serve` (or any RFC 2217 server) unmodified:
 *
 *   const port = new Rfc2217SerialPort('127.0.0.1', 2217);
 *   const loader = new ESPLoader({ transport: new Transport(port), baudrate: 115200, … });
 *
 * The port's shape is shared with the page's (src/web-serial/line-serial-port.ts); this file is
 * the line: Telnet negotiation, data with IAC escaped, DTR/RTS and speed as COM-PORT-OPTION.
 */

import { connect, type Socket } from 'node:net';
import { LineSerialPort, type SerialLine } from '../web-serial/line-serial-port.ts';
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

export type { SerialSignals } from '../web-serial/line-serial-port.ts';

function baudBytes(baud: number): number[] {
  return [(baud >>> 24) & 0xff, (baud >>> 16) & 0xff, (baud >>> 8) & 0xff, baud & 0xff];
}

class Rfc2217Line implements SerialLine {
  private socket: Socket | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  async open(baud: number, data: (bytes: Uint8Array) => void, closed: (error?: Error) => void): Promise<void> {
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
    socket.write(comPortCommand(ComPort.SET_BAUDRATE, baudBytes(baud)));
    // Negotiation replies and setting acknowledgements are not serial data: the parser drops them.
    const parser = new TelnetParser({ data });
    socket.on('data', (chunk: Buffer) => parser.feed(new Uint8Array(chunk)));
    socket.on('close', () => closed());
    socket.on('error', (error) => closed(error));
  }

  write(bytes: Uint8Array): Promise<void> {
    const socket = this.requireOpen();
    return new Promise((resolve, reject) =>
      socket.write(escapeIac(bytes), (error) => (error ? reject(error) : resolve())),
    );
  }

  async setControlLines(dtr: boolean | undefined, rts: boolean | undefined): Promise<void> {
    const socket = this.requireOpen();
    if (dtr !== undefined) {
      socket.write(comPortCommand(ComPort.SET_CONTROL, [dtr ? Control.DTR_ON : Control.DTR_OFF]));
    }
    if (rts !== undefined) {
      socket.write(comPortCommand(ComPort.SET_CONTROL, [rts ? Control.RTS_ON : Control.RTS_OFF]));
    }
  }

  async setBaudRate(baud: number): Promise<void> {
    this.requireOpen().write(comPortCommand(ComPort.SET_BAUDRATE, baudBytes(baud)));
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
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

export class Rfc2217SerialPort extends LineSerialPort {
  constructor(host: string, port: number) {
    super(new Rfc2217Line(host, port));
  }
}
