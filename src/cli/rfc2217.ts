/**
 * The server side of RFC 2217 ("Telnet Com Port Control Option"): a serial port carried over a
 * Telnet connection, which is what pyserial's `rfc2217://` URLs, esptool, PlatformIO and
 * miniterm speak. Host-neutral: bytes in, bytes out, events for the port settings.
 *
 * Telnet framing (RFC 854/855): 0xFF (IAC) starts a command; a data byte 0xFF is sent doubled.
 * Options are negotiated with WILL/WONT/DO/DONT; RFC 2217's settings travel as sub-negotiations
 * `IAC SB 44 <command> <value…> IAC SE`, and the server answers each with `<command> + 100` and
 * the value now in force — clients such as pyserial wait for that answer.
 */

export const IAC = 0xff;
const DONT = 0xfe;
const DO = 0xfd;
const WONT = 0xfc;
const WILL = 0xfb;
const SB = 0xfa;
const SE = 0xf0;

export const TELNET_BINARY = 0;
export const TELNET_ECHO = 1;
export const TELNET_SGA = 3;
export const COM_PORT_OPTION = 44;

/** Client-to-server sub-negotiation commands (RFC 2217 §2); the server answers with +100. */
export const ComPort = {
  SIGNATURE: 0,
  SET_BAUDRATE: 1,
  SET_DATASIZE: 2,
  SET_PARITY: 3,
  SET_STOPSIZE: 4,
  SET_CONTROL: 5,
  NOTIFY_LINESTATE: 6,
  NOTIFY_MODEMSTATE: 7,
  FLOWCONTROL_SUSPEND: 8,
  FLOWCONTROL_RESUME: 9,
  SET_LINESTATE_MASK: 10,
  SET_MODEMSTATE_MASK: 11,
  PURGE_DATA: 12,
} as const;
export const SERVER_OFFSET = 100;

/** SET-CONTROL values (RFC 2217 §2, "SET-CONTROL"). */
export const Control = {
  REQUEST_FLOW: 0,
  FLOW_NONE: 1,
  REQUEST_BREAK: 4,
  BREAK_ON: 5,
  BREAK_OFF: 6,
  REQUEST_DTR: 7,
  DTR_ON: 8,
  DTR_OFF: 9,
  REQUEST_RTS: 10,
  RTS_ON: 11,
  RTS_OFF: 12,
} as const;

/** The options this server agrees to perform itself, and to let the client perform. */
const SERVER_WILL = new Set([TELNET_BINARY, TELNET_SGA, COM_PORT_OPTION]);
const CLIENT_MAY = new Set([TELNET_BINARY, TELNET_SGA, COM_PORT_OPTION]);

export interface SerialSettings {
  baud: number;
  /** 5–8. */
  dataBits: number;
  /** RFC 2217 codes: 1 none, 2 odd, 3 even, 4 mark, 5 space. */
  parity: number;
  /** RFC 2217 codes: 1 one, 2 two, 3 one and a half. */
  stopBits: number;
  /** Control lines as the client asserts them (true = asserted, i.e. the line's active level). */
  dtr: boolean;
  rts: boolean;
}

export interface Rfc2217Listener {
  /** Serial data the client sent (Telnet escapes removed). */
  data(bytes: Uint8Array): void;
  /** DTR or RTS changed. */
  controlLines?(dtr: boolean, rts: boolean): void;
  /** The client set the line speed. */
  baud?(baud: number): void;
  /** The client asked to drop buffered data (1 receive, 2 transmit, 3 both). */
  purge?(which: number): void;
}

const enum Parse {
  Data,
  Command,
  Option,
  Sub,
  SubIac,
}

export interface TelnetHandlers {
  /** Data bytes, doubled IACs already undone. */
  data(bytes: Uint8Array): void;
  /** WILL/WONT/DO/DONT `option`. */
  negotiate?(command: number, option: number): void;
  /** The bytes between IAC SB and IAC SE, unescaped. */
  subNegotiation?(bytes: readonly number[]): void;
}

/** Splits a Telnet byte stream into data, negotiations and sub-negotiations, across chunks. */
export class TelnetParser {
  private state = Parse.Data;
  private command = 0;
  private sub: number[] = [];

  constructor(private readonly handlers: TelnetHandlers) {}

  feed(bytes: Uint8Array): void {
    let data: number[] = [];
    const flushData = () => {
      if (data.length === 0) return;
      this.handlers.data(Uint8Array.from(data));
      data = [];
    };
    for (const byte of bytes) {
      switch (this.state) {
        case Parse.Data:
          if (byte === IAC) this.state = Parse.Command;
          else data.push(byte);
          break;
        case Parse.Command:
          if (byte === IAC) {
            data.push(IAC);
            this.state = Parse.Data;
          } else if (byte === SB) {
            this.sub = [];
            this.state = Parse.Sub;
          } else if (byte >= WILL && byte <= DONT) {
            this.command = byte;
            this.state = Parse.Option;
          } else {
            this.state = Parse.Data; // NOP, break, go-ahead…: nothing a serial port does
          }
          break;
        case Parse.Option:
          flushData();
          this.handlers.negotiate?.(this.command, byte);
          this.state = Parse.Data;
          break;
        case Parse.Sub:
          if (byte === IAC) this.state = Parse.SubIac;
          else this.sub.push(byte);
          break;
        case Parse.SubIac:
          if (byte === IAC) {
            this.sub.push(IAC);
            this.state = Parse.Sub;
          } else {
            // SE, or anything else that ends the sub-negotiation. Data before a setting was sent
            // under the old setting, so it goes first.
            flushData();
            this.handlers.subNegotiation?.(this.sub);
            this.state = Parse.Data;
          }
          break;
      }
    }
    flushData();
  }
}

/** Data for a Telnet stream: 0xFF doubled. */
export function escapeIac(bytes: Uint8Array): Uint8Array {
  let escapes = 0;
  for (const b of bytes) if (b === IAC) escapes++;
  if (escapes === 0) return bytes;
  const out = new Uint8Array(bytes.length + escapes);
  let j = 0;
  for (const b of bytes) {
    out[j++] = b;
    if (b === IAC) out[j++] = IAC;
  }
  return out;
}

/** `IAC SB COM-PORT-OPTION command value… IAC SE`, with IACs in the value doubled. */
export function comPortCommand(command: number, value: readonly number[]): Uint8Array {
  const out = [IAC, SB, COM_PORT_OPTION, command];
  for (const b of value) {
    out.push(b);
    if (b === IAC) out.push(IAC);
  }
  out.push(IAC, SE);
  return Uint8Array.from(out);
}

/** Telnet negotiation: `IAC command option`. */
export function negotiation(command: number, option: number): Uint8Array {
  return Uint8Array.of(IAC, command, option);
}

export const TelnetCommand = { WILL, WONT, DO, DONT } as const;

export class Rfc2217Server {
  readonly settings: SerialSettings = {
    baud: 115200,
    dataBits: 8,
    parity: 1,
    stopBits: 1,
    dtr: false,
    rts: false,
  };
  private readonly weDo = new Set<number>();
  private readonly theyDo = new Set<number>();
  private readonly parser: TelnetParser;

  constructor(
    private readonly send: (bytes: Uint8Array) => void,
    private readonly listener: Rfc2217Listener,
    private readonly signature = 'v8266',
  ) {
    this.parser = new TelnetParser({
      data: (bytes) => listener.data(bytes),
      negotiate: (command, option) => this.negotiate(command, option),
      subNegotiation: (bytes) => this.subNegotiation(bytes),
    });
  }

  /** Bytes from the network. */
  receive(bytes: Uint8Array): void {
    this.parser.feed(bytes);
  }

  /** Serial data to the client, escaped for Telnet. */
  sendData(bytes: Uint8Array): void {
    this.send(escapeIac(bytes));
  }

  private negotiate(command: number, option: number): void {
    // Answer only when the state changes, so two peers can never loop (RFC 854's rule).
    switch (command) {
      case WILL:
        if (!CLIENT_MAY.has(option)) this.send(Uint8Array.of(IAC, DONT, option));
        else if (!this.theyDo.has(option)) {
          this.theyDo.add(option);
          this.send(Uint8Array.of(IAC, DO, option));
        }
        break;
      case WONT:
        if (this.theyDo.delete(option)) this.send(Uint8Array.of(IAC, DONT, option));
        break;
      case DO:
        if (!SERVER_WILL.has(option)) this.send(Uint8Array.of(IAC, WONT, option));
        else if (!this.weDo.has(option)) {
          this.weDo.add(option);
          this.send(Uint8Array.of(IAC, WILL, option));
        }
        break;
      case DONT:
        if (this.weDo.delete(option)) this.send(Uint8Array.of(IAC, WONT, option));
        break;
    }
  }

  private subNegotiation(sub: readonly number[]): void {
    if (sub[0] !== COM_PORT_OPTION || sub.length < 2) return;
    const command = sub[1];
    const value = sub.slice(2);
    const s = this.settings;
    switch (command) {
      case ComPort.SIGNATURE:
        // An empty signature asks for ours; a non-empty one is the client's, for our logs.
        if (value.length === 0) this.answer(command, [...new TextEncoder().encode(this.signature)]);
        break;
      case ComPort.SET_BAUDRATE: {
        const baud = value.length >= 4 ? ((value[0] << 24) | (value[1] << 16) | (value[2] << 8) | value[3]) >>> 0 : 0;
        if (baud !== 0 && baud !== s.baud) {
          s.baud = baud;
          this.listener.baud?.(baud);
        }
        this.answer(command, [(s.baud >>> 24) & 0xff, (s.baud >>> 16) & 0xff, (s.baud >>> 8) & 0xff, s.baud & 0xff]);
        break;
      }
      case ComPort.SET_DATASIZE:
        if (value[0] >= 5 && value[0] <= 8) s.dataBits = value[0];
        this.answer(command, [s.dataBits]);
        break;
      case ComPort.SET_PARITY:
        if (value[0] >= 1 && value[0] <= 5) s.parity = value[0];
        this.answer(command, [s.parity]);
        break;
      case ComPort.SET_STOPSIZE:
        if (value[0] >= 1 && value[0] <= 3) s.stopBits = value[0];
        this.answer(command, [s.stopBits]);
        break;
      case ComPort.SET_CONTROL:
        this.answer(command, [this.control(value[0] ?? Control.REQUEST_FLOW)]);
        break;
      case ComPort.PURGE_DATA:
        if (value[0] >= 1 && value[0] <= 3) this.listener.purge?.(value[0]);
        this.answer(command, [value[0] ?? 0]);
        break;
      case ComPort.SET_LINESTATE_MASK:
      case ComPort.SET_MODEMSTATE_MASK:
      case ComPort.FLOWCONTROL_SUSPEND:
      case ComPort.FLOWCONTROL_RESUME:
        this.answer(command, value);
        break;
    }
  }

  /** Apply a SET-CONTROL value; returns the value to answer with. */
  private control(value: number): number {
    const s = this.settings;
    const before = { dtr: s.dtr, rts: s.rts };
    let answer = value;
    switch (value) {
      case Control.REQUEST_FLOW:
        answer = Control.FLOW_NONE;
        break;
      case Control.REQUEST_DTR:
        answer = s.dtr ? Control.DTR_ON : Control.DTR_OFF;
        break;
      case Control.REQUEST_RTS:
        answer = s.rts ? Control.RTS_ON : Control.RTS_OFF;
        break;
      case Control.REQUEST_BREAK:
        answer = Control.BREAK_OFF;
        break;
      case Control.DTR_ON:
      case Control.DTR_OFF:
        s.dtr = value === Control.DTR_ON;
        break;
      case Control.RTS_ON:
      case Control.RTS_OFF:
        s.rts = value === Control.RTS_ON;
        break;
      // Flow control and BREAK: a virtual wire has no handshake lines; echo what was asked.
    }
    if (s.dtr !== before.dtr || s.rts !== before.rts) this.listener.controlLines?.(s.dtr, s.rts);
    return answer;
  }

  private answer(command: number, value: readonly number[]): void {
    this.send(comPortCommand(command + SERVER_OFFSET, value));
  }
}
