/**
 * The GDB remote serial protocol (RSP) for the ESP8266's LX106 core, over any byte stream:
 * `v8266 serve --gdb PORT` and `v8266 run --gdb PORT` put it on a TCP socket. Packets `$data#xx`
 * (xx = the data's byte sum mod 256, hex) are acknowledged with `+`; a lone 0x03 is Ctrl-C.
 *
 * Registers: the table in gdb-registers.ts (the lx106 GDB's stub layout in the `g` packet; the
 * exception and debug registers after it, by `p`), described to GDB by
 * qXfer:features:read:target.xml.
 *
 * Breakpoints: Z0 (software, any number) and Z1 (the one IBREAK) are kept by the debugger without
 * touching guest memory (CpuDebugger), so they also work in flash-mapped code; Z2/Z3/Z4
 * (write/read/access watchpoints) use the one DBREAK.
 *
 * Stop replies: S02 (SIGINT) after Ctrl-C; S05 (SIGTRAP) after a step or a BREAK instruction;
 * `T05swbreak:;` / `T05hwbreak:;` at a breakpoint (`S05` to a GDB that did not offer those
 * features); `T05watch:ADDR;` (`rwatch`, `awatch`) before the access that tripped a watchpoint;
 * and for a fatal fault the signal of its EXCCAUSE (signalForCause), with EPC1, EXCCAUSE and
 * EXCVADDR readable as registers.
 */

import type { CpuDebugger } from './cpu-debugger.ts';

import { G_PACKET_REGISTERS, GDB_REGISTERS, targetXml } from './gdb-registers.ts';
import type { WatchKind } from './data-breakpoint.ts';

export const GDB_REGISTER_COUNT = G_PACKET_REGISTERS;

/** GDB's own signal numbers (gdb/signals.def), which the protocol uses whatever the host. */
const SIGINT = 2;
const SIGILL = 4;
const SIGTRAP = 5;
const SIGFPE = 8;
const SIGBUS = 10;
const SIGSEGV = 11;
const SIGSYS = 12;

/**
 * The signal GDB is told for a fatal fault, by EXCCAUSE (Xtensa ISA exception causes), named
 * as Unix names the same crash: docs/tools.md has the table.
 */
export function signalForCause(cause: number): number {
  switch (cause) {
    case 0: // IllegalInstruction
    case 8: // Privileged
      return SIGILL;
    case 1: // Syscall with no handler
      return SIGSYS;
    case 6: // IntegerDivideByZero
      return SIGFPE;
    case 9: // LoadStoreAlignment
    case 12: // InstrPIFDataError
    case 13: // LoadStorePIFDataError
    case 14: // InstrPIFAddrError
    case 15: // LoadStorePIFAddrError
      return SIGBUS;
    default: // fetch and load/store errors, prohibited accesses
      return SIGSEGV;
  }
}

const WATCH_TYPES: Record<string, WatchKind> = { '2': 'write', '3': 'read', '4': 'access' };
const WATCH_STOP: Record<WatchKind, string> = { write: 'watch', read: 'rwatch', access: 'awatch' };

const hex8 = (v: number) => (v & 0xff).toString(16).padStart(2, '0');
/** A 32-bit value as GDB wants target-order (little-endian) hex. */
const le32hex = (v: number) => hex8(v) + hex8(v >>> 8) + hex8(v >>> 16) + hex8(v >>> 24);
function parseLe32(text: string): number {
  let v = 0;
  for (let i = 3; i >= 0; i--) v = (v << 8) | parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return v >>> 0;
}

const enum Parse {
  Idle,
  Data,
  Checksum1,
  Checksum2,
}

export class GdbRemote {
  private state = Parse.Idle;
  private packet = '';
  private noAck = false;
  /** A `c`/`s` whose stop reply is still owed. */
  private running = false;
  /** Stop reasons the GDB on the other end said it understands (qSupported). */
  private swbreak = false;
  private hwbreak = false;

  constructor(
    private readonly target: CpuDebugger,
    private readonly send: (text: string) => void,
  ) {
    target.onStop = () => this.reportStop();
  }

  /** GDB connected: the target stops, as a debug probe halts the core on attach. */
  attach(): void {
    this.target.catchFaults(true);
    this.target.interrupt();
  }

  /** GDB went away: breakpoints go, the board runs on. */
  detach(): void {
    this.running = false;
    this.target.onStop = null;
    this.target.catchFaults(false);
    this.target.clearAll();
    this.target.resume();
  }

  /** The run is over (`v8266 run --gdb`): a GDB waiting on `c` is told the exit code (`Wxx`). */
  exited(code: number): void {
    if (!this.running) return;
    this.running = false;
    this.reply(`W${hex8(code)}`);
  }

  feed(bytes: Uint8Array): void {
    for (const byte of bytes) {
      const c = String.fromCharCode(byte);
      switch (this.state) {
        case Parse.Idle:
          if (c === '$') {
            this.packet = '';
            this.state = Parse.Data;
          } else if (byte === 0x03) {
            this.target.interrupt();
            this.reportStop();
          }
          break; // '+' and '-' acknowledgements need nothing
        case Parse.Data:
          if (c === '#') this.state = Parse.Checksum1;
          else this.packet += c;
          break;
        case Parse.Checksum1:
          this.state = Parse.Checksum2;
          break;
        case Parse.Checksum2:
          this.state = Parse.Idle;
          if (!this.noAck) this.send('+');
          this.handle(this.packet);
          break;
      }
    }
  }

  private reply(data: string): void {
    let sum = 0;
    for (let i = 0; i < data.length; i++) sum = (sum + data.charCodeAt(i)) & 0xff;
    this.send(`$${data}#${hex8(sum)}`);
  }

  private stopReply(): string {
    const target = this.target;
    switch (target.stopReason) {
      case 'interrupt':
        return `S${hex8(SIGINT)}`;
      case 'fault':
        return `S${hex8(signalForCause(target.exceptionCause))}`;
      case 'breakpoint':
        return this.swbreak ? `T${hex8(SIGTRAP)}swbreak:;` : `S${hex8(SIGTRAP)}`;
      case 'hw-breakpoint':
        return this.hwbreak ? `T${hex8(SIGTRAP)}hwbreak:;` : `S${hex8(SIGTRAP)}`;
      case 'watchpoint': {
        const watch = target.watchStop!;
        return `T${hex8(SIGTRAP)}${WATCH_STOP[watch.kind]}:${watch.address.toString(16)};`;
      }
      default:
        return `S${hex8(SIGTRAP)}`;
    }
  }

  private reportStop(): void {
    if (!this.running) return;
    this.running = false;
    this.reply(this.stopReply());
  }

  private handle(p: string): void {
    const cmd = p[0];
    const args = p.slice(1);
    switch (cmd) {
      case '?':
        return this.reply(this.stopReply());
      case 'g':
        return this.reply(
          Array.from({ length: GDB_REGISTER_COUNT }, (_, n) => this.readRegister(n)).join(''),
        );
      case 'G':
        for (let n = 0; n < GDB_REGISTER_COUNT; n++)
          this.writeRegister(n, args.slice(n * 8, n * 8 + 8));
        return this.reply('OK');
      case 'p':
        return this.reply(this.readRegister(parseInt(args, 16)));
      case 'P': {
        const [n, value] = args.split('=');
        this.writeRegister(parseInt(n, 16), value);
        return this.reply('OK');
      }
      case 'm':
        return this.reply(this.readMemory(args));
      case 'M':
        return this.reply(this.writeMemory(args));
      case 'c':
        return this.resume(args, false);
      case 's':
        return this.resume(args, true);
      case 'Z':
      case 'z':
        return this.reply(this.breakpoint(cmd === 'Z', args));
      case 'H':
      case 'T':
        return this.reply('OK');
      case 'k':
        this.detach();
        return;
      case 'D':
        this.reply('OK');
        this.detach();
        return;
      case 'v':
        return this.vPacket(p);
      case 'q':
      case 'Q':
        return this.query(p);
      default:
        return this.reply(''); // not supported
    }
  }

  private vPacket(p: string): void {
    if (p === 'vCont?') return this.reply('vCont;c;C;s;S');
    if (p.startsWith('vCont;')) {
      // One thread: the first action decides (`c`, `s`, or their signal forms `Cxx`/`Sxx`).
      const action = p.slice(6).split(';')[0].split(':')[0];
      return this.resume('', action[0] === 's' || action[0] === 'S');
    }
    if (p.startsWith('vKill')) {
      this.reply('OK');
      this.detach();
      return;
    }
    this.reply('');
  }

  private query(p: string): void {
    if (p.startsWith('qSupported')) {
      const offered = p.slice('qSupported:'.length).split(';');
      this.swbreak = offered.includes('swbreak+');
      this.hwbreak = offered.includes('hwbreak+');
      return this.reply(
        'PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;QStartNoAckMode+;vContSupported+',
      );
    }
    if (p.startsWith('qXfer:features:read:')) return this.reply(this.readFeature(p));
    if (p === 'QStartNoAckMode') {
      this.reply('OK');
      this.noAck = true;
      return;
    }
    if (p === 'qAttached') return this.reply('1');
    if (p === 'qC') return this.reply('QC1');
    if (p === 'qfThreadInfo') return this.reply('m1');
    if (p === 'qsThreadInfo') return this.reply('l');
    if (p.startsWith('qSymbol')) return this.reply('OK');
    this.reply('');
  }

  private resume(args: string, step: boolean): void {
    if (args) this.target.pc = parseInt(args, 16);
    if (step) {
      this.target.step();
      this.reply(this.stopReply());
      return;
    }
    this.running = true;
    this.target.resume();
  }

  /** `qXfer:features:read:target.xml:OFFSET,LENGTH`: `m` + a chunk, or `l` + the last one. */
  private readFeature(p: string): string {
    const [annex, range] = p.slice('qXfer:features:read:'.length).split(':');
    if (annex !== 'target.xml' || !range) return 'E00';
    const [offset, length] = range.split(',').map((t) => parseInt(t, 16));
    const xml = targetXml();
    const chunk = xml.slice(offset, offset + length);
    return (offset + length >= xml.length ? 'l' : 'm') + chunk;
  }

  private breakpoint(insert: boolean, args: string): string {
    const [type, address, kind] = args.split(',');
    const addr = parseInt(address, 16);
    const target = this.target;
    if (type === '0' || type === '1') {
      const hardware = type === '1';
      if (!insert) {
        if (hardware) target.clearHardwareBreakpoint(addr);
        else target.clearBreakpoint(addr);
        return 'OK';
      }
      const ok = hardware ? target.setHardwareBreakpoint(addr) : target.setBreakpoint(addr);
      return ok ? 'OK' : 'E01';
    }
    const watch = WATCH_TYPES[type];
    if (!watch) return ''; // not supported
    const length = parseInt(kind, 16);
    if (!insert) {
      target.clearWatchpoint(watch, addr, length);
      return 'OK';
    }
    return target.setWatchpoint(watch, addr, length) ? 'OK' : 'E01';
  }

  private readRegister(n: number): string {
    const source = GDB_REGISTERS[n]?.source;
    switch (source?.kind) {
      case 'pc':
        return le32hex(this.target.pc);
      case 'ar':
        return le32hex(this.target.ar(source.n));
      case 'sr':
        return le32hex(this.target.readSpecial(source.sr));
      default:
        return 'xxxxxxxx';
    }
  }

  private writeRegister(n: number, text: string | undefined): void {
    if (!text || text.length < 8 || text.startsWith('x')) return;
    const v = parseLe32(text);
    const source = GDB_REGISTERS[n]?.source;
    if (source?.kind === 'pc') this.target.pc = v;
    else if (source?.kind === 'ar') this.target.setAr(source.n, v);
    else if (source?.kind === 'sr' && !source.readOnly) this.target.writeSpecial(source.sr, v);
  }

  private readMemory(args: string): string {
    const [a, l] = args.split(',');
    const addr = parseInt(a, 16);
    const length = Math.min(parseInt(l, 16), 0x2000);
    let out = '';
    for (let i = 0; i < length; i++) {
      const b = this.target.readByte(addr + i);
      if (b === null) return i === 0 ? 'E01' : out;
      out += hex8(b);
    }
    return out;
  }

  private writeMemory(args: string): string {
    const [where, data] = args.split(':');
    const [a, l] = where.split(',');
    const addr = parseInt(a, 16);
    const length = parseInt(l, 16);
    for (let i = 0; i < length; i++) {
      if (!this.target.writeByte(addr + i, parseInt(data.slice(i * 2, i * 2 + 2), 16)))
        return 'E01';
    }
    return 'OK';
  }
}
