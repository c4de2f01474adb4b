/**
 * Running firmware headlessly against a script of expectations and inputs: the heart of
 * `v8266 run`. Host-neutral (no Node APIs), so it is tested with a scripted stand-in board.
 *
 * The board runs in slices of simulated time. UART0 bytes are matched one by one as they leave
 * the transmitter, so a match is found wherever the guest's writes are split. Inputs are
 * delivered at the end of the slice in which their preceding expectation was met.
 */

import type { BoardListeners, EmulatedBoard } from '../board/board-api.ts';
import { ByteMatcher } from './byte-matcher.ts';
import type { ToolStep } from './net/tool-args.ts';

/** `--expect` and `--send`. */
export interface UartStep {
  kind: 'expect' | 'send';
  /** As the user typed it (escapes not decoded), for messages. */
  text: string;
  bytes: Uint8Array;
}

export type ScriptStep =
  | (UartStep & { kind: 'expect' })
  | (UartStep & { kind: 'send' })
  | {
      /** A network debugging tool step (`--tool`, `--tool-send`), done by `RunIo.tool`. */
      kind: 'tool';
      text: string;
      step: ToolStep;
    }
  | {
      /** `--gpio PIN=LEVEL[@S]`: drive a pad from outside (`null` lets it go), like a wire or button. */
      kind: 'gpio';
      text: string;
      pin: number;
      level: 0 | 1 | null;
      /** Not before this simulated time (seconds since power-on); 0: as soon as it is due. */
      atSeconds: number;
    };

export interface RunPlan {
  script: readonly ScriptStep[];
  /** Simulated seconds this run lasts at most, counted from where the board is when it starts. */
  timeoutSeconds: number;
  /**
   * The board is already running (restored from a snapshot): no power-on, and the timeout counts
   * from its current time. Times reported (stats, traces) stay absolute since power-on.
   */
  resumed?: boolean;
  /** Simulated seconds per `runUntil` call; also the latency of a `send` after its expectation. */
  sliceSeconds?: number;
  /** The UART watched and typed into (0 unless a later option says otherwise). */
  uart?: number;
}

export interface RunIo {
  /** Bytes the guest sent on the watched UART, delivered after each slice. */
  output(bytes: Uint8Array): void;
  /** A monotonic wall clock in seconds, only for the statistics. */
  wallSeconds(): number;
  /** More listeners for the same board (GPIO logs, VCD traces…). */
  listeners?: BoardListeners;
  /** Called after each slice's output was delivered, and once when the run ends. */
  afterSlice?(): void;
  /**
   * Does a tool step that is due (every earlier expectation met). False: not possible yet (no
   * peer to send to): it is tried again after each slice, and the script waits behind it.
   */
  tool?(step: ToolStep): boolean;
  /**
   * True while something outside holds the board still (a debugger stopped it): a slice that
   * did not advance is then a pause, not the board having stopped for good.
   */
  held?(): boolean;
}

export interface RunStats {
  instructions: number;
  cycles: number;
  emulatedSeconds: number;
  wallSeconds: number;
  mips: number;
}

export interface RunResult {
  /** 0 when every expectation was met (or, without any, the timeout elapsed); 1 otherwise. */
  exitCode: 0 | 1;
  /** Why the run failed, for stderr (without the `v8266: ` prefix). */
  error?: string;
  stats: RunStats;
}

export const DEFAULT_SLICE_SECONDS = 0.01;

/** Below a clock tick (1/2.08 GHz): a board that lands this close to the timeout has reached it. */
const TIME_EPSILON = 1e-10;

/**
 * A board stops a few nanoseconds past the time it was asked for (its last instruction ends
 * there). A run resumed from a snapshot saved at "2 s" starts at 2.000000005 s; for 3 s more it
 * ends at 5 s, where one straight 5 s run ends too, not 5 ns later.
 */
function onSliceGrid(seconds: number, slice: number): number {
  const grid = Math.round(seconds / slice) * slice;
  return Math.abs(seconds - grid) < 1e-6 ? grid : seconds;
}

/** Seconds as people write them: 10, 0.5, 2.25 (no float noise). */
function formatSeconds(s: number): string {
  return String(Number(s.toFixed(6)));
}

/** Run the whole plan at once. */
export function runFirmware(board: EmulatedBoard, plan: RunPlan, io: RunIo): RunResult {
  const run = firmwareRun(board, plan, io);
  for (;;) {
    const next = run.next();
    if (next.done) return next.value;
  }
}

/**
 * The same run, giving the host a turn after every slice (`between`: a debugger's packets are
 * handled there, and it waits there while the debugger holds the board).
 */
export async function runFirmwareAsync(
  board: EmulatedBoard,
  plan: RunPlan,
  io: RunIo,
  between: () => Promise<void>,
): Promise<RunResult> {
  const run = firmwareRun(board, plan, io);
  for (;;) {
    const next = run.next();
    if (next.done) return next.value;
    await between();
  }
}

/** The run as slices: it yields after each one. */
function* firmwareRun(board: EmulatedBoard, plan: RunPlan, io: RunIo): Generator<void, RunResult> {
  const script = plan.script;
  const uart = plan.uart ?? 0;
  const slice = plan.sliceSeconds ?? DEFAULT_SLICE_SECONDS;
  const expectCount = script.filter((s) => s.kind === 'expect').length;
  // A script that ends with an expectation ends the run when it is met; otherwise the run lasts
  // until the timeout, so the guest's answer to the last input is seen.
  const endsOnMatch = script.length > 0 && script[script.length - 1].kind === 'expect';

  let cursor = 0; // next script step
  let expectsMet = 0;
  let matcher: ByteMatcher | null = null;
  let out: number[] = [];

  /** Watch for the step at the cursor; nothing is watched while a `send` waits for delivery. */
  const armMatcher = () => {
    const step = script[cursor];
    matcher = step?.kind === 'expect' ? new ByteMatcher(step.bytes) : null;
  };

  /**
   * Do the sends, pin drives and tool steps at the cursor, up to one that cannot be done yet; a partial match
   * in progress is kept when there are none.
   */
  const deliverDueSends = () => {
    const start = cursor;
    while (cursor < script.length) {
      const step = script[cursor];
      if (step.kind === 'expect') break;
      if (step.kind === 'send') board.uartReceive(uart, step.bytes);
      else if (step.kind === 'gpio') {
        if (board.seconds < step.atSeconds - TIME_EPSILON) break;
        board.driveGpio(step.pin, step.level);
      } else if (!io.tool?.(step.step)) break;
      cursor++;
    }
    if (cursor !== start) armMatcher();
  };

  const extra = io.listeners ?? {};
  board.listen({
    ...extra,
    uartTx(n, byte) {
      extra.uartTx?.(n, byte);
      if (n !== uart) return;
      out.push(byte);
      if (matcher?.push(byte)) {
        cursor++;
        expectsMet++;
        // Output before a pending send is delivered cannot satisfy what comes after the send.
        armMatcher();
      }
    },
  });

  const wallStart = io.wallSeconds();
  if (!plan.resumed) board.powerOn();
  const deadline = plan.resumed
    ? onSliceGrid(board.seconds + plan.timeoutSeconds, slice)
    : plan.timeoutSeconds;
  armMatcher();
  deliverDueSends();
  yield; // powered on, nothing run yet: where `run --gdb` waits for GDB

  let stoppedAt: number | null = null;
  while (board.seconds < deadline - TIME_EPSILON) {
    if (endsOnMatch && cursor === script.length) break;
    const before = board.seconds;
    // Slice ends on whole multiples of the slice, so float error does not pile up over a long run.
    const nextBoundary = (Math.floor(before / slice + 1e-6) + 1) * slice;
    board.runUntil(Math.min(deadline, nextBoundary));
    if (out.length > 0) {
      io.output(Uint8Array.from(out));
      out = [];
    }
    io.afterSlice?.();
    deliverDueSends();
    if (board.seconds <= before && !io.held?.()) {
      stoppedAt = board.seconds;
      break;
    }
    yield;
  }

  io.afterSlice?.();
  const wallSeconds = io.wallSeconds() - wallStart;
  const boardStats = board.stats;
  const stats: RunStats = {
    instructions: boardStats.instructions,
    cycles: boardStats.cycles,
    emulatedSeconds: Number(board.seconds.toFixed(6)),
    wallSeconds: Number(wallSeconds.toFixed(3)),
    mips: wallSeconds > 0 ? Number((boardStats.instructions / wallSeconds / 1e6).toFixed(2)) : 0,
  };

  if (expectsMet === expectCount) return { exitCode: 0, stats };
  const pending = script[cursor];
  const waitingFor = `waiting for "${pending.text}" (expectation ${expectsMet + 1} of ${expectCount})`;
  const error =
    stoppedAt === null
      ? `timeout after ${formatSeconds(plan.timeoutSeconds)} s ${waitingFor}`
      : `the board stopped at ${formatSeconds(stoppedAt)} s ${waitingFor}`;
  return { exitCode: 1, error, stats };
}

/** The `--stats` line: one JSON object, keys in a fixed order. */
export function formatStatsLine(stats: RunStats): string {
  const { instructions, cycles, emulatedSeconds, wallSeconds, mips } = stats;
  return JSON.stringify({ instructions, cycles, emulatedSeconds, wallSeconds, mips });
}
