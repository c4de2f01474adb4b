/**
 * Run figures the worker publishes after every batch of slices and the UI reads every frame,
 * without a message: run state, simulated time, speed, instruction count, UART counters and the
 * GPIO pad levels.
 *
 * Layout (256 bytes):
 *
 *   Int32   [0]        sequence: odd while the worker is writing (a seqlock)
 *   Int32   [1]        run state (index into RUN_STATES)
 *   Int32   [2]        pacing (index into PACINGS)
 *   Int32   [3]        reserved
 *   Float64 [2..8]     simSeconds, speedPercent, cpuMhz, instructions, uartBytesReceived,
 *                     uartBytesSent, publish count
 *   Int8    [72..88]   GPIO0..16 levels (0, 1, or -1 when unknown)
 *   Int8    [96..112]  GPIO0..16 driven by the firmware as outputs (0, 1, -1 unknown)
 *   Int8    [128..144] GPIO0..16 driven by the host (0, 1, -1 released)
 *   Int8    [160..176] GPIO0..16 conflict (1 when the host drives against the firmware)
 *   Float64 [24..26]   a0, uart1BytesSent, mips  (bytes 192..215)
 *
 * One writer (the worker), any number of readers. A reader retries when the sequence was odd or
 * changed while it read, so it never sees half of one update and half of the next.
 */

import { GPIO_COUNT, type Pacing, type RunState } from './protocol.ts';

export const STATUS_BLOCK_BYTES = 256;

const RUN_STATES: readonly RunState[] = ['no-board', 'off', 'running', 'paused', 'crashed'];
const PACINGS: readonly Pacing[] = ['realtime', 'max'];

const SEQ = 0;
const RUN_STATE = 1;
const PACING = 2;
const F_SIM_SECONDS = 2;
const F_SPEED = 3;
const F_MHZ = 4;
const F_INSTRUCTIONS = 5;
const F_UART_RX = 6;
const F_UART_TX = 7;
const F_PUBLISHES = 8;
const GPIO_OFFSET = 72;
const OUTPUT_OFFSET = 96;
const HOST_OFFSET = 128;
const CONFLICT_OFFSET = 160;
const F_A0 = 24;
const F_UART1_TX = 25;
const F_MIPS = 26;
const MAX_READ_ATTEMPTS = 10_000;

export interface StatusSnapshot {
  runState: RunState;
  pacing: Pacing;
  simSeconds: number;
  speedPercent: number;
  /** Guest instructions per wall second, in millions (the same window as speedPercent). */
  mips: number;
  cpuMhz: number;
  instructions: number;
  uartBytesReceived: number;
  uartBytesSent: number;
  uart1BytesSent: number;
  a0: number;
  /** Per GPIO0..16: 1 while the firmware drives it as an output. */
  gpioOutput: (0 | 1 | null)[];
  /** Per GPIO0..16: the host's drive (null: released). */
  gpioHostDrive: (0 | 1 | null)[];
  gpioConflict: boolean[];
  /** How many times the worker has published: lets a reader tell "no change" from "stalled". */
  publishes: number;
  gpio: (0 | 1 | null)[];
}

export type StatusFields = Omit<StatusSnapshot, 'publishes'>;

export class StatusBlock {
  private readonly ints: Int32Array;
  private readonly floats: Float64Array;
  private readonly pads: Int8Array;
  private readonly outputs: Int8Array;
  private readonly hostDrive: Int8Array;
  private readonly conflicts: Int8Array;

  constructor(readonly buffer: SharedArrayBuffer | ArrayBuffer) {
    if (buffer.byteLength < STATUS_BLOCK_BYTES) throw new RangeError('status block too small');
    this.ints = new Int32Array(buffer, 0, 4);
    this.floats = new Float64Array(buffer, 0, STATUS_BLOCK_BYTES / 8);
    this.pads = new Int8Array(buffer, GPIO_OFFSET, GPIO_COUNT);
    this.outputs = new Int8Array(buffer, OUTPUT_OFFSET, GPIO_COUNT);
    this.hostDrive = new Int8Array(buffer, HOST_OFFSET, GPIO_COUNT);
    this.conflicts = new Int8Array(buffer, CONFLICT_OFFSET, GPIO_COUNT);
  }

  static allocate(): StatusBlock {
    return new StatusBlock(new SharedArrayBuffer(STATUS_BLOCK_BYTES));
  }

  /** Worker side. */
  publish(fields: StatusFields): void {
    Atomics.add(this.ints, SEQ, 1);
    this.ints[RUN_STATE] = RUN_STATES.indexOf(fields.runState);
    this.ints[PACING] = PACINGS.indexOf(fields.pacing);
    this.floats[F_SIM_SECONDS] = fields.simSeconds;
    this.floats[F_SPEED] = fields.speedPercent;
    this.floats[F_MIPS] = fields.mips;
    this.floats[F_MHZ] = fields.cpuMhz;
    this.floats[F_INSTRUCTIONS] = fields.instructions;
    this.floats[F_UART_RX] = fields.uartBytesReceived;
    this.floats[F_UART_TX] = fields.uartBytesSent;
    this.floats[F_PUBLISHES] += 1;
    this.floats[F_A0] = fields.a0;
    this.floats[F_UART1_TX] = fields.uart1BytesSent;
    for (let pin = 0; pin < GPIO_COUNT; pin++) {
      this.pads[pin] = bit(fields.gpio[pin]);
      this.outputs[pin] = bit(fields.gpioOutput[pin]);
      this.hostDrive[pin] = bit(fields.gpioHostDrive[pin]);
      this.conflicts[pin] = fields.gpioConflict[pin] ? 1 : 0;
    }
    Atomics.add(this.ints, SEQ, 1);
  }

  /**
   * Reader side: a consistent snapshot (retries while the worker is mid-update). The retries are
   * bounded so a worker terminated mid-update cannot hang the UI; it then gets the last try.
   */
  read(): StatusSnapshot {
    for (let attempt = 0; ; attempt++) {
      const before = Atomics.load(this.ints, SEQ);
      const lastTry = attempt >= MAX_READ_ATTEMPTS;
      if (before & 1 && !lastTry) continue;
      const snapshot: StatusSnapshot = {
        runState: RUN_STATES[this.ints[RUN_STATE]] ?? 'no-board',
        pacing: PACINGS[this.ints[PACING]] ?? 'realtime',
        simSeconds: this.floats[F_SIM_SECONDS],
        speedPercent: this.floats[F_SPEED],
        mips: this.floats[F_MIPS],
        cpuMhz: this.floats[F_MHZ],
        instructions: this.floats[F_INSTRUCTIONS],
        uartBytesReceived: this.floats[F_UART_RX],
        uartBytesSent: this.floats[F_UART_TX],
        uart1BytesSent: this.floats[F_UART1_TX],
        a0: this.floats[F_A0],
        publishes: this.floats[F_PUBLISHES],
        gpio: Array.from(this.pads, level),
        gpioOutput: Array.from(this.outputs, level),
        gpioHostDrive: Array.from(this.hostDrive, level),
        gpioConflict: Array.from(this.conflicts, (v) => v === 1),
      };
      if (Atomics.load(this.ints, SEQ) === before || lastTry) return snapshot;
    }
  }
}

function bit(value: 0 | 1 | null | undefined): number {
  return value === 0 || value === 1 ? value : -1;
}

function level(value: number): 0 | 1 | null {
  return value === 0 || value === 1 ? value : null;
}
