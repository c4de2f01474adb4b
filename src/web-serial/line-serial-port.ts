/**
 * A Web Serial `SerialPort` look-alike over any byte line with DTR/RTS, so that JavaScript tools
 * written for Web Serial — esptool-js, the library esp-web-tools and many flashing pages use —
 * drive a virtual board unmodified. Two lines exist: RFC 2217 over TCP (Node,
 * `src/cli/rfc2217-serial-port.ts`) and the page's emulator worker (`src/ui/install/`).
 *
 * Only what those tools use: open/close, readable/writable streams, setSignals, getInfo, and
 * setBaudRate (esptool-js changes speed in place when it exists). Pure TypeScript: the streams
 * are the WHATWG ones both Node and browsers have.
 */

export interface SerialSignals {
  dataTerminalReady?: boolean;
  requestToSend?: boolean;
  break?: boolean;
}

/** The far end of the port: what a line implementation provides. */
export interface SerialLine {
  /** Connects at `baud`; `data` gets the device's output, `closed` fires when the line drops. */
  open(baud: number, data: (bytes: Uint8Array) => void, closed: (error?: Error) => void): Promise<void>;
  write(bytes: Uint8Array): Promise<void>;
  /** DTR/RTS as the host asserts them; an undefined line keeps its level. */
  setControlLines(dtr: boolean | undefined, rts: boolean | undefined): Promise<void>;
  setBaudRate(baud: number): Promise<void>;
  close(): Promise<void>;
}

export class LineSerialPort {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  private opened = false;

  constructor(private readonly line: SerialLine) {}

  getInfo(): { usbVendorId?: number; usbProductId?: number } {
    return {};
  }

  async open(options: { baudRate: number }): Promise<void> {
    if (this.opened) throw new Error('the port is already open');
    const line = this.line;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    this.readable = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
    });
    await line.open(
      options.baudRate,
      (bytes) => {
        try {
          controller.enqueue(bytes);
        } catch {
          // the reader cancelled: the bytes go nowhere, as on a closed port
        }
      },
      (error) => {
        try {
          if (error) controller.error(error);
          else controller.close();
        } catch {
          // already closed or cancelled
        }
      },
    );
    this.opened = true;
    this.writable = new WritableStream<Uint8Array>({ write: (chunk) => line.write(chunk) });
  }

  async setSignals(signals: SerialSignals): Promise<void> {
    this.requireOpen();
    await this.line.setControlLines(signals.dataTerminalReady, signals.requestToSend);
  }

  async setBaudRate(baud: number): Promise<void> {
    this.requireOpen();
    await this.line.setBaudRate(baud);
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    this.opened = false;
    this.readable = null;
    this.writable = null;
    await this.line.close();
  }

  private requireOpen(): void {
    if (!this.opened) throw new Error('the port is not open');
  }
}
