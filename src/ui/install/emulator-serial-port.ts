/**
 * The page's virtual board as a Web Serial port: UART0 and the NodeMCU auto-reset lines of the
 * emulator worker, in the shape esptool-js expects of `navigator.serial`'s ports
 * (src/web-serial/line-serial-port.ts). esptool-js running in the tab flashes the board through
 * the ROM's download protocol exactly as it would a board on a USB adapter.
 */

import { LineSerialPort, type SerialLine } from '../../web-serial/line-serial-port.ts';
import type { EmulatorClient } from '../emulator-client.ts';

class EmulatorSerialLine implements SerialLine {
  private unsubscribe: (() => void) | null = null;
  private closed: ((error?: Error) => void) | null = null;
  private dtr = false;
  private rts = false;

  constructor(private readonly client: EmulatorClient) {}

  async open(
    baud: number,
    data: (bytes: Uint8Array) => void,
    closed: (error?: Error) => void,
  ): Promise<void> {
    this.unsubscribe = this.client.onSerial((bytes) => data(bytes.slice()));
    this.closed = closed;
    await this.client.api.setUartLineBaud(baud);
  }

  write(bytes: Uint8Array): Promise<void> {
    return this.client.sendSerial(bytes.slice());
  }

  async setControlLines(dtr: boolean | undefined, rts: boolean | undefined): Promise<void> {
    if (dtr !== undefined) this.dtr = dtr;
    if (rts !== undefined) this.rts = rts;
    await this.client.api.setSerialLines(this.dtr, this.rts);
  }

  async setBaudRate(baud: number): Promise<void> {
    await this.client.api.setUartLineBaud(baud);
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.closed?.();
    this.closed = null;
    // A closed adapter lets go of both lines (a USB-serial chip's outputs go inactive).
    this.dtr = this.rts = false;
    await this.client.api.setSerialLines(false, false);
  }
}

export class EmulatorSerialPort extends LineSerialPort {
  constructor(client: EmulatorClient) {
    super(new EmulatorSerialLine(client));
  }
}
