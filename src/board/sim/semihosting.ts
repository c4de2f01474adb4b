/**
 * The SIMCALL semihosting calls our test programs make, with the ABI of the Xtensa ISS and QEMU
 * (`-semihosting`): a2 = call number, a3..a5 = arguments; on return a2 = result, a3 = errno.
 *
 * Implemented: exit (1), read (3, stdin only), write (4, stdout/stderr), select_one (29, always
 * ready), argc (1000) / argv_sz (1001) / argv (1002) for an empty command line, memset (1004).
 * File calls (open 5, close 6, lseek 19) and anything else fail with ENOSYS: programs for the
 * sim machine never touch host files.
 */
import type { SimBus } from './sim-bus.ts';

export const enum SimcallNumber {
  Exit = 1,
  Read = 3,
  Write = 4,
  Open = 5,
  Close = 6,
  Lseek = 19,
  SelectOne = 29,
  Argc = 1000,
  ArgvSize = 1001,
  Argv = 1002,
  Memset = 1004,
}

/** newlib's Xtensa errno values (what QEMU translates host errors to). */
const EBADF = 9;
const EFAULT = 14;
const ENOSYS = 88;

/** What semihosting needs from the CPU: the address registers. */
export interface SemihostingCpu {
  readonly regs: Uint32Array;
}

export class Semihosting {
  /** Bytes the program wrote to fd 1 and fd 2, in order. */
  readonly stdout = new ByteLog();
  readonly stderr = new ByteLog();
  /**
   * fd 1 and fd 2 interleaved in write order: QEMU's semihosting sends both to its console
   * (`-serial stdio`), so this is what QEMU's stdout shows.
   */
  readonly console = new ByteLog();
  /** Bytes `read(0, ...)` returns, consumed front to back. */
  private stdin: Uint8Array = new Uint8Array(0);
  private stdinPos = 0;
  /** The code passed to exit(), or null while the program runs. */
  exitCode: number | null = null;
  /** Called when the program exits, so the machine can stop the CPU at once. */
  onExit: (() => void) | null = null;
  /** Called with every byte written to stdout or stderr, for hosts that stream output. */
  onOutput: ((fd: number, bytes: Uint8Array) => void) | null = null;

  constructor(private readonly bus: SimBus) {}

  setStdin(bytes: Uint8Array): void {
    this.stdin = bytes;
    this.stdinPos = 0;
  }

  reset(): void {
    this.stdout.clear();
    this.stderr.clear();
    this.console.clear();
    this.stdinPos = 0;
    this.exitCode = null;
  }

  /** Perform the call the registers describe; the PC is the CPU's business. */
  handle(cpu: SemihostingCpu): void {
    const r = cpu.regs;
    const [result, errno] = this.dispatch(r[2]!, r[3]!, r[4]!, r[5]!);
    r[2] = result;
    r[3] = errno;
  }

  private dispatch(nr: number, a: number, b: number, c: number): [number, number] {
    switch (nr) {
      case SimcallNumber.Exit:
        this.exitCode = a | 0;
        this.onExit?.();
        return [0, 0];
      case SimcallNumber.Write: {
        const log = a === 1 ? this.stdout : a === 2 ? this.stderr : null;
        if (!log) return [-1 >>> 0, EBADF];
        let bytes: Uint8Array;
        try {
          bytes = this.bus.readBytes(b, c);
        } catch {
          return [-1 >>> 0, EFAULT];
        }
        log.append(bytes);
        this.console.append(bytes);
        this.onOutput?.(a, bytes);
        return [c, 0];
      }
      case SimcallNumber.Read: {
        if (a !== 0) return [-1 >>> 0, EBADF];
        const n = Math.min(c, this.stdin.length - this.stdinPos);
        try {
          this.bus.writeBytes(b, this.stdin.subarray(this.stdinPos, this.stdinPos + n));
        } catch {
          return [-1 >>> 0, EFAULT];
        }
        this.stdinPos += n;
        return [n, 0];
      }
      case SimcallNumber.SelectOne:
        return [1, 0];
      case SimcallNumber.Argc:
      case SimcallNumber.ArgvSize:
        return [0, 0];
      case SimcallNumber.Argv:
        return [0, 0];
      case SimcallNumber.Memset: {
        try {
          this.bus.writeBytes(a, new Uint8Array(c).fill(b));
        } catch {
          return [-1 >>> 0, EFAULT];
        }
        return [a, 0];
      }
      default:
        return [-1 >>> 0, ENOSYS];
    }
  }
}

/** An append-only byte buffer that grows by doubling. */
export class ByteLog {
  private buf = new Uint8Array(256);
  private len = 0;

  get length(): number {
    return this.len;
  }

  append(bytes: Uint8Array): void {
    if (this.len + bytes.length > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < this.len + bytes.length) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
    }
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  clear(): void {
    this.len = 0;
  }

  /** A copy of the bytes so far. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  /** The bytes as Latin-1 text (each byte one char, so nothing is lost). */
  text(): string {
    let s = '';
    for (let i = 0; i < this.len; i++) s += String.fromCharCode(this.buf[i]!);
    return s;
  }
}
