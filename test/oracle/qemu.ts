/**
 * Running programs on QEMU (`qemu-system-xtensa -M sim -cpu lx106 -semihosting`), the reference
 * the differential tests compare our core with, and building random programs with binutils.
 *
 * `-singlestep` (QEMU 7.2 spelling) makes every instruction its own translation block. That is
 * how the traces are taken, and it also gives the ISA answer where QEMU's block translation has a
 * quirk (SRL/SRA after SSL 0 in the same block, xtensa-lx106.md §5.3), so the golden outputs are
 * recorded with it as well.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const QEMU = 'qemu-system-xtensa';
export const QEMU_ARGS = [
  '-M',
  'sim',
  '-cpu',
  'lx106',
  '-semihosting',
  '-display',
  'none',
  '-monitor',
  'none',
  '-serial',
  'stdio',
];

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export const hasQemu = onPath(QEMU);
export const hasBinutils = onPath('xtensa-lx106-elf-as') && onPath('xtensa-lx106-elf-ld');

export interface QemuRun {
  stdout: Uint8Array;
  stderr: Uint8Array;
  exitCode: number;
  wallSeconds: number;
}

/** Run an ELF to completion on QEMU; the guest's exit(n) is QEMU's exit status. */
export function runQemu(
  elfPath: string,
  opts: { singlestep?: boolean; timeoutMs?: number; extra?: string[] } = {},
): Promise<QemuRun> {
  const args = [
    ...QEMU_ARGS,
    '-kernel',
    elfPath,
    ...(opts.singlestep ? ['-singlestep'] : []),
    ...(opts.extra ?? []),
  ];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(QEMU, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal) return reject(new Error(`QEMU killed by ${signal} running ${elfPath}`));
      resolve({
        stdout: new Uint8Array(Buffer.concat(out)),
        stderr: new Uint8Array(Buffer.concat(err)),
        exitCode: code ?? -1,
        wallSeconds: (performance.now() - started) / 1000,
      });
    });
  });
}

/** CPU state QEMU logs before each instruction with `-singlestep -d cpu,nochain`. */
export interface QemuState {
  pc: number;
  a: Uint32Array;
  /** Special registers by QEMU's log name (PS, SAR, EPC1, 176, ...). */
  sr: Map<string, number>;
}

/** QEMU stops being traced after this many states unless the caller says otherwise. */
export const DEFAULT_TRACE_LIMIT = 2_000_000;

/**
 * Run `elfPath` single-stepped under QEMU with a CPU-state log, and stream the states to `visit`
 * (the same objects are reused between calls). `visit` returns false to stop.
 *
 * The log (~1.2 KB per instruction) goes through a named pipe, never to disk: a program that
 * loops would otherwise fill the disk at QEMU's speed. (An inherited fd 3 does not work: Node
 * makes extra stdio channels sockets, which QEMU cannot open by path.) QEMU is killed as soon
 * as the caller stops, after `maxStates` states, or after `timeoutMs`.
 */
export function traceQemu(
  elfPath: string,
  visit: (state: QemuState, index: number) => boolean,
  { timeoutMs = 120_000, maxStates = DEFAULT_TRACE_LIMIT } = {},
): Promise<{ states: number; run: QemuRun; truncated: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'v8266-trace-'));
  const fifo = join(dir, 'cpu.log');
  const mk = spawnSync('mkfifo', [fifo], { encoding: 'utf8' });
  if (mk.status !== 0) throw new Error(`mkfifo failed: ${mk.stderr}`);
  const args = [...QEMU_ARGS, '-kernel', elfPath, '-singlestep', '-d', 'cpu,nochain', '-D', fifo];
  return new Promise<{ states: number; run: QemuRun; truncated: boolean }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(QEMU, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    let killedByUs = false;
    const stop = () => {
      killedByUs = true;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(stop, timeoutMs);

    const state: QemuState = { pc: 0, a: new Uint32Array(16), sr: new Map() };
    let index = -1;
    let stopped = false;
    let truncated = false;
    const kv = /([A-Za-z0-9_]+)=([0-9a-f]{8})/g;
    const lines = createInterface({ input: createReadStream(fifo), crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (stopped) return;
      if (line.startsWith('PC=')) {
        if (index >= 0 && !visit(state, index)) {
          stopped = true;
          stop();
          return;
        }
        index++;
        if (index >= maxStates) {
          stopped = truncated = true;
          stop();
          return;
        }
        state.pc = parseInt(line.slice(3, 11), 16);
        return;
      }
      if (index < 0 || line.startsWith('AR')) return; // ARn repeat An (no register windows)
      for (const m of line.matchAll(kv)) {
        const name = m[1]!;
        const value = parseInt(m[2]!, 16);
        if (name.length === 3 && name[0] === 'A' && name[1]! <= '9')
          state.a[parseInt(name.slice(1), 10)] = value;
        else state.sr.set(name, value);
      }
    });
    let closed = 0;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (++closed < 2) return; // wait for both the process and the log to end
      clearTimeout(timer);
      if (signal && !killedByUs)
        return reject(new Error(`QEMU killed by ${signal} tracing ${elfPath}`));
      if (killedByUs && !stopped)
        return reject(new Error(`QEMU trace of ${elfPath} timed out after ${timeoutMs} ms`));
      if (!stopped && index >= 0) visit(state, index);
      resolve({
        states: truncated ? maxStates : index + 1,
        truncated,
        run: {
          stdout: new Uint8Array(Buffer.concat(out)),
          stderr: new Uint8Array(Buffer.concat(err)),
          exitCode: code ?? -1,
          wallSeconds: (performance.now() - started) / 1000,
        },
      });
    };
    let exit: [number | null, NodeJS.Signals | null] = [null, null];
    child.on('error', reject);
    child.on('close', (code, signal) => {
      exit = [code, signal];
      finish(code, signal);
    });
    lines.on('close', () => finish(...exit));
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** Assemble and link a generated program; returns the ELF bytes. Throws with the tool's message. */
export function buildAsmProgram(asm: string, linkerScript: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'v8266-asm-'));
  try {
    writeFileSync(join(dir, 'prog.S'), asm);
    writeFileSync(join(dir, 'prog.ld'), linkerScript);
    const as = spawnSync('xtensa-lx106-elf-as', ['prog.S', '-o', 'prog.o'], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (as.status !== 0) throw new Error(`xtensa-lx106-elf-as failed:\n${as.stderr}`);
    const ld = spawnSync('xtensa-lx106-elf-ld', ['-T', 'prog.ld', 'prog.o', '-o', 'prog.elf'], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (ld.status !== 0) throw new Error(`xtensa-lx106-elf-ld failed:\n${ld.stderr}`);
    return new Uint8Array(readFileSync(join(dir, 'prog.elf')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Write bytes to a fresh temp file (QEMU wants a path); returns the path and a cleanup. */
export function tempFile(name: string, bytes: Uint8Array): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'v8266-'));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
