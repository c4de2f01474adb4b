/**
 * The GDB remote serial protocol (RSP) for the ESP8266's LX106 core, over any byte stream:
 * `v8266 serve --gdb PORT` puts it on a TCP socket. Packets `$data#xx` (xx = the data's byte sum
 * mod 256, hex) are acknowledged with `+`; a lone 0x03 is Ctrl-C.
 *
 * Registers: the order Espressif's xtensa-lx106-elf-gdb (Arduino and PlatformIO toolchains)
 * expects from a stub, as the ESP8266 Arduino core's GDBStub sends it (libraries/GDBStub,
 * gdbstub.c, after gdb/regformats/reg-xtensa.dat of the lx106 overlay): 113 32-bit registers,
 * little-endian hex, with pc at 0, sar at 36, litbase at 37, sr176 at 40, ps at 42 and a0..a15
 * at 97..112; the others read as `xxxxxxxx` (unavailable) and writes to them are ignored.
 *
 * Breakpoints: Z0 (software) and Z1 (hardware) are both kept by the debugger without touching
 * guest memory (CpuDebugger), so they also work in flash-mapped code. Stop replies: S05 (SIGTRAP)
 * after a breakpoint or a step, S02 (SIGINT) after Ctrl-C.
 */

import type { CpuDebugger } from './cpu-debugger.ts';

export const GDB_REGISTER_COUNT = 113;
const REG_PC = 0;
const REG_SAR = 36;
const REG_LITBASE = 37;
const REG_SR176 = 40;
const REG_PS = 42;
const REG_A0 = 97;

const SR_SAR = 3;
const SR_LITBASE = 5;
const SR_PS = 230;

const SIGINT = 2;
const SIGTRAP = 5;

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

  constructor(
    private readonly target: CpuDebugger,
    private readonly send: (text: string) => void,
  ) {
    target.onStop = () => this.reportStop();
  }

  /** GDB connected: the target stops, as a debug probe halts the core on attach. */
  attach(): void {
    this.target.interrupt();
  }

  /** GDB went away: breakpoints go, the board runs on. */
  detach(): void {
    this.running = false;
    this.target.onStop = null;
    this.target.clearAll();
    this.target.resume();
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
    return `S${hex8(this.target.stopReason === 'interrupt' ? SIGINT : SIGTRAP)}`;
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
        return this.reply(Array.from({ length: GDB_REGISTER_COUNT }, (_, n) => this.readRegister(n)).join(''));
      case 'G':
        for (let n = 0; n < GDB_REGISTER_COUNT; n++) this.writeRegister(n, args.slice(n * 8, n * 8 + 8));
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
    if (p.startsWith('qSupported')) return this.reply('PacketSize=4000;swbreak+;hwbreak+;QStartNoAckMode+;vContSupported+');
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

  private breakpoint(insert: boolean, args: string): string {
    const [type, address] = args.split(',');
    if (type !== '0' && type !== '1') return ''; // watchpoints: not supported
    const addr = parseInt(address, 16);
    if (!insert) {
      this.target.clearBreakpoint(addr);
      return 'OK';
    }
    return this.target.setBreakpoint(addr) ? 'OK' : 'E01';
  }

  private readRegister(n: number): string {
    if (n === REG_PC) return le32hex(this.target.pc);
    if (n === REG_SAR) return le32hex(this.target.readSpecial(SR_SAR));
    if (n === REG_LITBASE) return le32hex(this.target.readSpecial(SR_LITBASE));
    if (n === REG_SR176) return le32hex(this.target.readSpecial(176));
    if (n === REG_PS) return le32hex(this.target.readSpecial(SR_PS));
    if (n >= REG_A0 && n < REG_A0 + 16) return le32hex(this.target.ar(n - REG_A0));
    return 'xxxxxxxx';
  }

  private writeRegister(n: number, text: string | undefined): void {
    if (!text || text.length < 8 || text.startsWith('x')) return;
    const v = parseLe32(text);
    if (n === REG_PC) this.target.pc = v;
    else if (n === REG_SAR) this.target.writeSpecial(SR_SAR, v);
    else if (n === REG_LITBASE) this.target.writeSpecial(SR_LITBASE, v);
    else if (n === REG_PS) this.target.writeSpecial(SR_PS, v);
    else if (n >= REG_A0 && n < REG_A0 + 16) this.target.setAr(n - REG_A0, v);
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
      if (!this.target.writeByte(addr + i, parseInt(data.slice(i * 2, i * 2 + 2), 16))) return 'E01';
    }
    return 'OK';
  }
}
