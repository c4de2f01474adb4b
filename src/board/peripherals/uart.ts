/**
 * ESP8266 UART (UART0 at 0x60000000, UART1 at 0x60000F00; same layout, both on CPU INT 5).
 *
 *   const uart0 = new Uart(clock, router.levelLine(CpuIrq.UART), 0);
 *   uart0.onByte = (b) => …;        // a byte finished leaving the TX pin (at that simulated time)
 *   uart0.onBaudChange = (baud) => …;
 *   uart0.receive(bytes);           // the host sends bytes into RXD, one frame time apart
 *   uart0.apbHz = 52_000_000;       // the SoC sets the clock the divider counts (see below)
 *
 * Timing is real: the transmitter sends one frame (start + data + parity + stop bits) per
 * `frameTicks`, so firmware that writes faster than the line drains fills the 128-byte TX FIFO
 * and sees STATUS.TXCNT climb. The byte being shifted out stays counted in the FIFO until its
 * stop bit ends, which is what firmware that polls TXCNT == 0 ("FIFO empty") waits for.
 *
 * Clock: baud = apbHz / CLKDIV. The ROM computes its divider for 80 MHz (115200 → 694) but runs
 * on the 52 MHz boot clock, so the banner comes out at 52e6 / 694 ≈ 74928 baud (nominally "74880").
 * The SoC sets `apbHz` to 52 MHz at reset and to 80 MHz when the firmware switches to the PLL.
 *
 * Register facts: esp8266-hw.md §5.2; ROM values at the user entry: esp8266-rom-internals.md §4.1.
 */

import { TICKS_PER_SECOND, type Alarm, type SimClock } from '../clock';
import { Peripheral, type IrqLine } from './peripheral';
import type { SavedState, StateReader } from '../snapshot/state';

// Register offsets (Espressif names).
export const UART_FIFO = 0x00;
export const UART_INT_RAW = 0x04;
export const UART_INT_ST = 0x08;
export const UART_INT_ENA = 0x0c;
export const UART_INT_CLR = 0x10;
export const UART_CLKDIV = 0x14;
export const UART_AUTOBAUD = 0x18;
export const UART_STATUS = 0x1c;
export const UART_CONF0 = 0x20;
export const UART_CONF1 = 0x24;
export const UART_LOWPULSE = 0x28;
export const UART_HIGHPULSE = 0x2c;
export const UART_PULSE_NUM = 0x30;
export const UART_DATE = 0x78;
export const UART_ID = 0x7c;

// INT_RAW / INT_ST / INT_ENA / INT_CLR bits.
export const UART_RXFIFO_FULL_INT = 1 << 0;
export const UART_TXFIFO_EMPTY_INT = 1 << 1;
export const UART_PARITY_ERR_INT = 1 << 2;
export const UART_FRM_ERR_INT = 1 << 3;
export const UART_RXFIFO_OVF_INT = 1 << 4;
export const UART_DSR_CHG_INT = 1 << 5;
export const UART_CTS_CHG_INT = 1 << 6;
export const UART_BRK_DET_INT = 1 << 7;
export const UART_RXFIFO_TOUT_INT = 1 << 8;
const UART_INT_MASK = 0x1ff;

// STATUS fields.
export const UART_RXFIFO_CNT_SHIFT = 0;
export const UART_TXFIFO_CNT_SHIFT = 16;
export const UART_RXD = 1 << 15;

// CONF0 fields.
export const UART_PARITY_ODD = 1 << 0;
export const UART_PARITY_EN = 1 << 1;
export const UART_BIT_NUM_SHIFT = 2; // [3:2]: data bits = 5 + field
export const UART_STOP_BIT_NUM_SHIFT = 4; // [5:4]: 1 → 1, 2 → 1.5, 3 → 2 stop bits
export const UART_TXD_BRK = 1 << 8;
export const UART_LOOPBACK = 1 << 14;
export const UART_RXFIFO_RST = 1 << 17;
export const UART_TXFIFO_RST = 1 << 18;

// AUTOBAUD fields and the measurement registers' width.
export const UART_AUTOBAUD_EN = 1 << 0;
const UART_PULSE_MASK = 0xfffff;
/**
 * How many clock cycles a pulse measurement (LOWPULSE/HIGHPULSE) reads short of the pulse.
 * Assumed: the ROM's `uart_baudrate_detect` adds 12 to the mean of the two minima before using
 * it as the divider, which only gives the bit time if the counters lag by 12 cycles (the glitch
 * filter and input synchroniser); no document states the lag.
 */
export const UART_PULSE_LAG_CYCLES = 12;

// CONF1 fields.
export const UART_RXFIFO_FULL_THRHD_MASK = 0x7f; // [6:0]
export const UART_TXFIFO_EMPTY_THRHD_SHIFT = 8; // [14:8]
export const UART_RX_TOUT_THRHD_SHIFT = 24; // [30:24], in frame times
export const UART_RX_TOUT_EN = 1 << 31;

export const UART_FIFO_SIZE = 128;

/** Hardware reset values (the ROM then writes its own, below). */
export const UART_CLKDIV_RESET = 0x2b6;
export const UART_CONF0_RESET = 0x1c; // 8 data bits, 1 stop bit, no parity
export const UART_CONF1_RESET = 0x6060;
export const UART_AUTOBAUD_RESET = 0x1000;

/** What the ROM's Uart_Init leaves in UART0 before the user entry (rom-internals §4.1). */
export const UART_ROM_USER_ENTRY = {
  clkdiv: 0x2b6,
  conf0: 0x0c,
  conf1: 0x01,
  intEna: UART_RXFIFO_FULL_INT,
} as const;

/** A 128-byte FIFO in a fixed ring: no allocation per byte. */
class ByteFifo {
  private readonly data = new Uint8Array(UART_FIFO_SIZE);
  private head = 0;
  count = 0;
  get full(): boolean {
    return this.count === UART_FIFO_SIZE;
  }
  push(byte: number): boolean {
    if (this.count === UART_FIFO_SIZE) return false;
    this.data[(this.head + this.count) % UART_FIFO_SIZE] = byte;
    this.count++;
    return true;
  }
  peek(): number {
    return this.data[this.head];
  }
  pop(): number {
    if (this.count === 0) return 0;
    const byte = this.data[this.head];
    this.head = (this.head + 1) % UART_FIFO_SIZE;
    this.count--;
    return byte;
  }
  clear(): void {
    this.head = 0;
    this.count = 0;
  }
  saveState(): SavedState {
    return { data: this.data.slice(), head: this.head, count: this.count };
  }
  restoreState(s: StateReader): void {
    s.array('data', this.data);
    this.head = s.int('head') % UART_FIFO_SIZE;
    this.count = Math.min(UART_FIFO_SIZE, s.int('count'));
  }
}

export type UartLineError = 'parity' | 'frame' | 'break';

export class Uart extends Peripheral {
  /** A byte left the TX pin; called at the simulated time its stop bit ended. */
  onByte: ((byte: number) => void) | null = null;
  /** The baud rate (rounded to 1 baud) changed, through CLKDIV or `apbHz`. */
  onBaudChange: ((baud: number) => void) | null = null;

  private readonly rx = new ByteFifo();
  private readonly tx = new ByteFifo();
  private intRaw = 0;
  private intEna = 0;
  private clkdiv = UART_CLKDIV_RESET;
  private conf0 = UART_CONF0_RESET;
  private conf1 = UART_CONF1_RESET;
  /** Registers kept as plain storage (DATE/ID…). */
  private readonly other = new Uint32Array(32);
  private autobaud = UART_AUTOBAUD_RESET;
  /** Autobaud measurements: shortest low and high pulse (clock cycles), RXD edges counted. */
  private lowPulse = UART_PULSE_MASK;
  private highPulse = UART_PULSE_MASK;
  private pulseNum = 0;
  /** Baud the host sends at on RXD (what autobaud measures); 0 = the UART's own rate. */
  private hostBaud = 0;
  private apb: number;
  private frameTicksCache = 0;
  private reportedBaud = 0;

  private readonly txAlarm: Alarm;
  private txFrameEnd = 0;
  private readonly rxAlarm: Alarm;
  private rxFrameEnd = 0;
  private readonly timeoutAlarm: Alarm;
  /** Bytes the host has sent that are still on the wire (arrive one frame apart). */
  private hostQueue = new Uint8Array(256);
  private hostHead = 0;
  private hostTail = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly irq: IrqLine,
    readonly index: 0 | 1 = 0,
    apbHz = 80_000_000,
  ) {
    super(`UART${index}`);
    this.apb = apbHz;
    this.txAlarm = clock.createAlarm(() => this.txFrameDone(), `${this.name} tx`);
    this.rxAlarm = clock.createAlarm(() => this.rxFrameDone(), `${this.name} rx`);
    this.timeoutAlarm = clock.createAlarm(() => this.rxTimeout(), `${this.name} rx timeout`);
    this.recomputeTiming();
    this.reportedBaud = Math.round(this.baud);
  }

  /** The clock CLKDIV divides (52 MHz boot clock, 80 MHz APB after PLL start). */
  get apbHz(): number {
    return this.apb;
  }
  set apbHz(hz: number) {
    if (hz === this.apb) return;
    this.apb = hz;
    this.recomputeTiming();
  }

  /**
   * The rate the far end transmits at. The virtual wire delivers bytes whatever the two rates
   * are (nothing is garbled); this only feeds the autobaud measurement, as on the chip, where
   * LOWPULSE/HIGHPULSE time the sender's bits. 0: the sender matches CLKDIV.
   */
  set lineBaud(baud: number) {
    this.hostBaud = baud > 0 ? baud : 0;
  }

  get divider(): number {
    return this.clkdiv & 0xfffff || 1;
  }

  /** Exact line rate in baud. */
  get baud(): number {
    return this.apb / this.divider;
  }

  /** Duration of one frame (start, data, parity, stop bits) in clock ticks. */
  get frameTicks(): number {
    return this.frameTicksCache;
  }

  get rxCount(): number {
    return this.rx.count;
  }

  get txCount(): number {
    return this.tx.count;
  }

  /** Level of the interrupt output (INT_ST ≠ 0). */
  get interruptPending(): boolean {
    return (this.intRaw & this.intEna) !== 0;
  }

  read(offset: number): number {
    switch (offset) {
      case UART_FIFO: {
        const byte = this.rx.pop();
        this.updateInterrupt();
        return byte;
      }
      case UART_INT_RAW:
        return this.intRaw;
      case UART_INT_ST:
        return this.intRaw & this.intEna;
      case UART_INT_ENA:
        return this.intEna;
      case UART_INT_CLR:
        return 0;
      case UART_CLKDIV:
        return this.clkdiv;
      case UART_STATUS:
        // RXD idles high; TXD (bit 31) reads 0 on the chip.
        return (
          ((this.rx.count << UART_RXFIFO_CNT_SHIFT) |
            (this.tx.count << UART_TXFIFO_CNT_SHIFT) |
            UART_RXD) >>>
          0
        );
      case UART_CONF0:
        return this.conf0;
      case UART_CONF1:
        return this.conf1;
      case UART_AUTOBAUD:
        return this.autobaud;
      case UART_LOWPULSE:
        return this.lowPulse;
      case UART_HIGHPULSE:
        return this.highPulse;
      case UART_PULSE_NUM:
        return this.pulseNum;
      default:
        return this.other[(offset >>> 2) & 31];
    }
  }

  write(offset: number, value: number): void {
    value >>>= 0;
    switch (offset) {
      case UART_FIFO:
        this.transmit(value & 0xff);
        return;
      case UART_INT_RAW:
      case UART_INT_ST:
      case UART_STATUS:
        return; // read-only
      case UART_INT_ENA:
        this.intEna = value & UART_INT_MASK;
        this.updateInterrupt();
        return;
      case UART_INT_CLR:
        this.intRaw &= ~value;
        this.updateInterrupt();
        return;
      case UART_CLKDIV:
        this.clkdiv = value & 0xfffff;
        this.recomputeTiming();
        return;
      case UART_CONF0:
        this.conf0 = value;
        if (value & UART_RXFIFO_RST) {
          this.rx.clear();
          this.timeoutAlarm.cancel();
        }
        if (value & UART_TXFIFO_RST) {
          this.tx.clear();
          this.txAlarm.cancel();
        }
        this.recomputeTiming();
        this.updateInterrupt();
        return;
      case UART_CONF1:
        this.conf1 = value;
        this.updateInterrupt();
        return;
      case UART_AUTOBAUD:
        // Enabling starts a new measurement; disabling freezes the registers for reading.
        if (value & UART_AUTOBAUD_EN && !(this.autobaud & UART_AUTOBAUD_EN)) this.restartAutobaud();
        this.autobaud = value & 0xff01;
        return;
      case UART_LOWPULSE:
      case UART_HIGHPULSE:
      case UART_PULSE_NUM:
        return; // read-only
      default:
        this.other[(offset >>> 2) & 31] = value;
    }
  }

  override reset(): void {
    this.rx.clear();
    this.tx.clear();
    this.txAlarm.cancel();
    this.rxAlarm.cancel();
    this.timeoutAlarm.cancel();
    this.hostHead = this.hostTail = 0;
    this.intRaw = 0;
    this.intEna = 0;
    this.clkdiv = UART_CLKDIV_RESET;
    this.conf0 = UART_CONF0_RESET;
    this.conf1 = UART_CONF1_RESET;
    this.other.fill(0);
    this.autobaud = UART_AUTOBAUD_RESET;
    this.restartAutobaud();
    this.recomputeTiming();
    this.updateInterrupt();
  }

  /**
   * Bytes from the host on RXD. They arrive at line rate: the first one frame time from now (or
   * after the bytes still on the wire), each next one a frame later. A byte that finds the RX FIFO
   * full is lost and sets RXFIFO_OVF.
   */
  receive(bytes: ArrayLike<number>): void {
    if (bytes.length === 0) return;
    this.compactHostQueue(bytes.length);
    for (let i = 0; i < bytes.length; i++) this.hostQueue[this.hostTail++] = bytes[i] & 0xff;
    if (!this.rxAlarm.scheduled) {
      this.rxFrameEnd = this.clock.now + this.frameTicksCache;
      this.rxAlarm.scheduleAt(this.rxFrameEnd);
    }
  }

  /** Number of host bytes still travelling on the RX wire. */
  get rxPending(): number {
    return this.hostTail - this.hostHead;
  }

  /** A receive error the host injects (wrong parity, missing stop bit, break condition). */
  signalLineError(kind: UartLineError): void {
    this.intRaw |=
      kind === 'parity'
        ? UART_PARITY_ERR_INT
        : kind === 'frame'
          ? UART_FRM_ERR_INT
          : UART_BRK_DET_INT;
    this.updateInterrupt();
  }

  private transmit(byte: number): void {
    if (!this.tx.push(byte)) return; // FIFO full: the chip drops the write
    if (this.tx.count === 1) {
      this.txFrameEnd = this.clock.now + this.frameTicksCache;
      this.txAlarm.scheduleAt(this.txFrameEnd);
    }
    this.updateInterrupt();
  }

  private txFrameDone(): void {
    const byte = this.tx.pop();
    if (this.tx.count > 0) {
      // Back to back: the next start bit follows this stop bit without a gap.
      this.txFrameEnd += this.frameTicksCache;
      this.txAlarm.scheduleAt(this.txFrameEnd);
    }
    if (this.conf0 & UART_LOOPBACK) this.deliverToRx(byte);
    else this.onByte?.(byte);
    this.updateInterrupt();
  }

  private rxFrameDone(): void {
    const byte = this.hostQueue[this.hostHead++];
    if (this.hostHead < this.hostTail) {
      this.rxFrameEnd += this.frameTicksCache;
      this.rxAlarm.scheduleAt(this.rxFrameEnd);
    } else {
      this.hostHead = this.hostTail = 0;
    }
    if (this.autobaud & UART_AUTOBAUD_EN) this.measureFrame(byte);
    this.deliverToRx(byte);
  }

  private restartAutobaud(): void {
    this.lowPulse = this.highPulse = UART_PULSE_MASK;
    this.pulseNum = 0;
  }

  /**
   * Autobaud: the pulses of one received frame (start bit, data LSB first, parity, stop) at the
   * sender's rate. The line idles high before the start bit, so every frame begins with an edge;
   * the high pulse that ends a frame lasts into the next start bit and is at least the stop bit,
   * so it is measured as such (longer idle only lengthens it, and the minima do not change).
   */
  private measureFrame(byte: number): void {
    const dataBits = 5 + ((this.conf0 >>> UART_BIT_NUM_SHIFT) & 3);
    const bitCycles = this.hostBaud > 0 ? this.apb / this.hostBaud : this.divider;
    let level = 0;
    let run = 1; // the start bit
    let edges = 1;
    const pulse = (low: boolean, bits: number) => {
      const cycles = Math.max(0, Math.round(bits * bitCycles) - UART_PULSE_LAG_CYCLES);
      if (low) this.lowPulse = Math.min(this.lowPulse, cycles);
      else this.highPulse = Math.min(this.highPulse, cycles);
    };
    let parity = 0;
    const bits: number[] = [];
    for (let i = 0; i < dataBits; i++) {
      bits.push((byte >>> i) & 1);
      parity ^= (byte >>> i) & 1;
    }
    if (this.conf0 & UART_PARITY_EN) bits.push(this.conf0 & UART_PARITY_ODD ? parity ^ 1 : parity);
    bits.push(1); // stop
    for (const bit of bits) {
      if (bit === level) {
        run++;
        continue;
      }
      pulse(level === 0, run);
      level = bit;
      run = 1;
      edges++;
    }
    pulse(false, run);
    this.pulseNum = Math.min(this.pulseNum + edges, 0x3ff);
  }

  private deliverToRx(byte: number): void {
    if (!this.rx.push(byte)) this.intRaw |= UART_RXFIFO_OVF_INT;
    if (this.conf1 & UART_RX_TOUT_EN) {
      const frames = (this.conf1 >>> UART_RX_TOUT_THRHD_SHIFT) & 0x7f;
      this.timeoutAlarm.scheduleIn(frames * this.frameTicksCache);
    }
    this.updateInterrupt();
  }

  private rxTimeout(): void {
    if (this.rx.count > 0 && this.conf1 & UART_RX_TOUT_EN) {
      this.intRaw |= UART_RXFIFO_TOUT_INT;
      this.updateInterrupt();
    }
  }

  /**
   * RXFIFO_FULL and TXFIFO_EMPTY are set by a FIFO condition: clearing them while the condition
   * still holds sets them again, as on the chip (a driver must drain/fill before clearing).
   */
  private updateInterrupt(): void {
    const fullThreshold = Math.max(1, this.conf1 & UART_RXFIFO_FULL_THRHD_MASK);
    if (this.rx.count >= fullThreshold) this.intRaw |= UART_RXFIFO_FULL_INT;
    const emptyThreshold = (this.conf1 >>> UART_TXFIFO_EMPTY_THRHD_SHIFT) & 0x7f;
    if (this.tx.count < emptyThreshold) this.intRaw |= UART_TXFIFO_EMPTY_INT;
    this.irq.set((this.intRaw & this.intEna) !== 0);
  }

  private recomputeTiming(): void {
    const dataBits = 5 + ((this.conf0 >>> UART_BIT_NUM_SHIFT) & 3);
    const parityBits = this.conf0 & UART_PARITY_EN ? 1 : 0;
    const stopField = (this.conf0 >>> UART_STOP_BIT_NUM_SHIFT) & 3;
    // Field 0 is not a documented setting (the ROM leaves it there): it sends one stop bit.
    const stopHalfBits = stopField === 2 ? 3 : stopField === 3 ? 4 : 2;
    const halfBits = 2 * (1 + dataBits + parityBits) + stopHalfBits;
    const bitTicks = (TICKS_PER_SECOND / this.apb) * this.divider;
    this.frameTicksCache = Math.round((halfBits * bitTicks) / 2);
    const baud = Math.round(this.baud);
    if (baud !== this.reportedBaud) {
      this.reportedBaud = baud;
      this.onBaudChange?.(baud);
    }
  }

  /** Registers, FIFOs, the frames on the wires and the host's bytes still travelling on RXD. */
  override saveState(): SavedState {
    return {
      rx: this.rx.saveState(),
      tx: this.tx.saveState(),
      intRaw: this.intRaw,
      intEna: this.intEna,
      clkdiv: this.clkdiv,
      conf0: this.conf0,
      conf1: this.conf1,
      other: this.other.slice(),
      apbHz: this.apb,
      reportedBaud: this.reportedBaud,
      txFrameEnd: this.txFrameEnd,
      rxFrameEnd: this.rxFrameEnd,
      hostQueue: this.hostQueue.slice(this.hostHead, this.hostTail),
      autobaud: this.autobaud,
      lowPulse: this.lowPulse,
      highPulse: this.highPulse,
      pulseNum: this.pulseNum,
    };
  }

  override restoreState(s: StateReader): void {
    this.rx.restoreState(s.child('rx'));
    this.tx.restoreState(s.child('tx'));
    this.intRaw = s.u32('intRaw');
    this.intEna = s.u32('intEna');
    this.clkdiv = s.u32('clkdiv');
    this.conf0 = s.u32('conf0');
    this.conf1 = s.u32('conf1');
    s.array('other', this.other);
    this.apb = s.number('apbHz');
    this.txFrameEnd = s.number('txFrameEnd');
    this.rxFrameEnd = s.number('rxFrameEnd');
    const pending = s.bytes('hostQueue');
    this.hostQueue = new Uint8Array(Math.max(256, pending.length));
    this.hostQueue.set(pending);
    this.hostHead = 0;
    this.hostTail = pending.length;
    this.reportedBaud = s.number('reportedBaud');
    // The autobaud measurement (snapshots of the same format made before it existed lack it).
    if (s.has('autobaud')) {
      this.autobaud = s.u32('autobaud');
      this.lowPulse = s.u32('lowPulse');
      this.highPulse = s.u32('highPulse');
      this.pulseNum = s.u32('pulseNum');
    }
    this.recomputeTiming(); // frame time from the registers; the baud was reported already
  }

  private compactHostQueue(extra: number): void {
    const pending = this.hostTail - this.hostHead;
    if (this.hostTail + extra <= this.hostQueue.length) return;
    let size = this.hostQueue.length;
    while (size < pending + extra) size *= 2;
    if (size === this.hostQueue.length) {
      this.hostQueue.copyWithin(0, this.hostHead, this.hostTail);
    } else {
      const grown = new Uint8Array(size);
      grown.set(this.hostQueue.subarray(this.hostHead, this.hostTail), 0);
      this.hostQueue = grown;
    }
    this.hostHead = 0;
    this.hostTail = pending;
  }
}
