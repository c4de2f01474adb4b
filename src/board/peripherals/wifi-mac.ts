/**
 * The ESP8266 Wi-Fi MAC ("wDev", 0x3FF1FE00..0x3FF214FF) as Espressif's closed libraries drive
 * it: per-queue TX with start/done interrupts and result codes, the RX descriptor ring with the
 * RxControl header, address/BSSID filters, the TSF and MAC timer 1, and the key table. Facts and
 * their sources (functions in libpp/libphy, confidence marks): docs/wifi-mac.md.
 *
 *   const mac = new WifiMac({ clock, irq: router.wifiMacLine(), dma, window });
 *   bus.attachWdev(mac);          // the whole window; `window` keeps plain storage, µs, RNG
 *   mac.port = radioPort;         // board → air (wifi-radio-port.ts)
 *   mac.receive(reception);       // air → board, at the current simulated time
 *
 * Everything in the window not named in `WifiReg` is plain storage (the PHY, rate tables, ACK
 * policy, coexistence and power-save words the libraries write and read back).
 */

import { TICKS_PER_MICROSECOND, type Alarm, type SimClock } from '../clock';
import type { IrqLine } from './peripheral';
import type { SavedState, StateReader } from '../snapshot/state';
import type { CounterClock } from '../cpu/bus';
import { DESC_EOF, DESC_LENGTH_SHIFT, DESC_OWNER, DESC_SIZE_MASK, type WifiDma } from './wifi-dma';
import { KEY_TABLE, KEY_SLOTS, KEY_SLOT_BYTES, WifiKeyTable, trailerBytes } from './wifi-key-table';
import {
  airtimeMicros,
  isOfdmRate,
  WifiRate,
  type WifiKey,
  type WifiRadioPort,
  type WifiReception,
} from './wifi-radio-port';
import {
  anyMatch,
  encodeRxControl,
  fcs,
  matchBits,
  RX_CONTROL_BYTES,
  FCS_BYTES,
  type AddressFilter,
} from './wifi-rx-control';

/** The window's registers with behaviour (absolute addresses). */
export const WifiReg = {
  /** bit 31: receiver on (wDevEnableRx / wDevDisableRx). */
  RX_CONFIG: 0x3ff20004,
  /** Next RX descriptor: a write hands the hardware a new list head. */
  RX_NEXT_DESC: 0x3ff20008,
  /** The EOF descriptor of the newest frame the hardware completed. */
  RX_LAST_DESC: 0x3ff20014,
  /**
   * [7:0]: how many descriptors the hardware filled from RX_FIRST_DESC to RX_LAST_DESC, and
   * RX_FIRST_DESC the first of them: what it filled since RX done was last clear. RTOS SDK
   * 0.9.9–1.0.3 check both on every RX done (docs/wifi-mac.md §4); later SDKs read them unused.
   */
  RX_DESC_COUNT: 0x3ff20018,
  RX_FIRST_DESC: 0x3ff2001c,
  /**
   * WDEVRX_END_CNT (libpp's own name, wdev_dbg_reg): the receiver's count of receptions ended.
   * RTOS SDK 3.4's RX-hang check (lmac_check_ac, every 2 s) resets the MAC when it has not
   * moved while RX is on. Here: +1 per frame heard on the tuned channel while RX is on, before
   * any filter; writes store (wdev_hw_mac_reset writes back what it read). docs/wifi-mac.md §4.
   */
  RX_END_COUNT: 0x3ff201c0,
  /** Read by the RX interrupt path and stored with the frame; here the TSF at reception. */
  RX_TIMESTAMP: 0x3ff210fc,
  /** MAC busy fields pm_check_mac_idle polls: [3:0] here and [15:12] of PHY_BUSY. */
  TX_BUSY: 0x3ff20410,
  PHY_BUSY: 0x3ff201d0,
  INT_ENABLE: 0x3ff20c18,
  INT_STATUS: 0x3ff20c20,
  INT_ACK: 0x3ff20c24,
  /** BSSID filter N: address at 0xC28/0xC30 (+4 [15:0]), mask 0xC38/0xC40 (+4 [15:0], bit 16 enable). */
  BSSID0: 0x3ff20c28,
  BSSID1: 0x3ff20c30,
  BSSID_MASK0: 0x3ff20c38,
  BSSID_MASK1: 0x3ff20c40,
  /** Own address filter N (0 STA, 1 SoftAP), same layout at 0xC48/0xC50 and 0xC58/0xC60. */
  MAC0: 0x3ff20c48,
  MAC1: 0x3ff20c50,
  MAC_MASK0: 0x3ff20c58,
  MAC_MASK1: 0x3ff20c60,
  /** TX event: [15:12] queue, [23:16] error detail, [31:28] result. */
  TX_EVENT: 0x3ff20c84,
  /** Queue 0's block; queue q is at TX_QUEUE0 − 0x18·q: +0 backoff [21:12], +4 W0, +8 W1 … */
  TX_QUEUE0: 0x3ff20dc0,
  /** bit 24 set: [31:16] is the ACK's RSSI (otherwise the library uses 127). */
  ACK_INFO: 0x3ff20e04,
  TSF_LOW: 0x3ff21048,
  TSF_HIGH: 0x3ff2104c,
  /** MAC timer 1: bit 31 arms; compare value (TSF µs) at 0x10CC low / 0x10D0 high. */
  TIMER1_CTRL: 0x3ff210c8,
  TIMER1_LOW: 0x3ff210cc,
  TIMER1_HIGH: 0x3ff210d0,
} as const;

/** INT_STATUS / INT_ENABLE bits (wDev_ProcessFiq's dispatch). */
export const WifiInt = {
  RX_DONE: 1 << 8,
  TX_START: 1 << 18,
  TX_DONE: 1 << 19,
  TIMER1: 1 << 26,
  TIMER0: 1 << 27,
} as const;

/** TX_EVENT [31:28]. */
export const TxResult = {
  OK: 0,
  RTS_ERROR: 1,
  CTS_TIMEOUT: 2,
  TX_ERROR: 4,
  ACK_TIMEOUT: 5,
} as const;

export const TX_QUEUES = 8;
const TX_QUEUE_STRIDE = 0x18;
const TX_W0 = 4;
const TX_W1 = 8;
/** W0 [31:30]: the "go" wDev_EnableTransmit ORs in; bit 31 stays set until the frame is taken. */
const TX_GO = 0xc0000000;
const TX_PENDING = 1 << 31;
const TX_VALID = 1 << 30;
/** W0 [17:0] are the low bits of the first descriptor's address in DRAM. */
const TX_DESC_MASK = 0x3ffff;
const TX_DESC_BASE = 0x3ffc0000;
/** W0 [26:24]: response type; 0 = no ACK expected. */
const TX_RESPONSE_SHIFT = 24;

const RX_ENABLE = 1 << 31;
const TIMER_ARM = 1 << 31;

/** 802.11g short slot, SIFS and DIFS (µs); the ACK timeout adds a slot to SIFS + ACK. */
const SLOT_US = 9;
const SIFS_US = 10;
const DIFS_US = SIFS_US + 2 * SLOT_US;
const ACK_BYTES = 14;

export interface WifiMacStorage {
  read(addr: number): number;
  write(addr: number, value: number): void;
  reset(): void;
  /** CpuBus.stableCycles for the window's own words (the µs counter, the RNG, storage). */
  stableCycles?(addr: number): number;
  /** CpuBus.counterClock for the window's own words (the µs counter). */
  counterClock?(addr: number): CounterClock | undefined;
}

export interface WifiMacOptions {
  clock: SimClock;
  /** CPU INT 0 (level): asserted while INT_STATUS & INT_ENABLE is non-zero. */
  irq: IrqLine;
  dma: WifiDma;
  /** The rest of the window: plain storage plus the µs counter and the RNG. */
  window: WifiMacStorage;
}

interface TxRequest {
  queue: number;
}

export interface WifiMacStats {
  txFrames: number;
  rxFrames: number;
  /** Frames the air offered that the MAC could not store (no free descriptor, too long). */
  rxDropped: number;
}

export class WifiMac {
  port: WifiRadioPort | null = null;
  /** The channel the radio listens and sends on changed (0 = not tuned). */
  onChannelChange: ((channel: number) => void) | null = null;
  readonly stats: WifiMacStats = { txFrames: 0, rxFrames: 0, rxDropped: 0 };
  /** Last noise floor the air reported on the tuned channel (dBm). */
  noiseFloorDbm = -96;

  private readonly clock: SimClock;
  private readonly irq: IrqLine;
  private readonly dma: WifiDma;
  private readonly window: WifiMacStorage;
  private readonly keys: WifiKeyTable;

  private status = 0;
  private enable = 0;
  private txEvent = 0;
  private rxCurrent = 0;
  private rxLast = 0;
  private rxFirst = 0;
  private rxCount = 0;
  private rxTimestamp = 0;
  private tuned = 0;

  private readonly txWaiting: TxRequest[] = [];
  private txActive: TxRequest | null = null;
  private txResult: number = TxResult.OK;
  private txExpectsAck = false;
  private txAwaitingPort = false;
  private readonly txStartAlarm: Alarm;
  private readonly txDoneAlarm: Alarm;
  private readonly timer1Alarm: Alarm;

  constructor(options: WifiMacOptions) {
    this.clock = options.clock;
    this.irq = options.irq;
    this.dma = options.dma;
    this.window = options.window;
    this.keys = new WifiKeyTable((a) => this.window.read(a));
    this.txStartAlarm = this.clock.createAlarm(() => this.startTransmission(), 'wifi tx start');
    this.txDoneAlarm = this.clock.createAlarm(() => this.finishTransmission(), 'wifi tx done');
    this.timer1Alarm = this.clock.createAlarm(() => this.raise(WifiInt.TIMER1), 'wifi timer1');
  }

  /** The channel the radio is on (0 until tuned). */
  get channel(): number {
    return this.tuned;
  }

  /**
   * Tune the radio. libphy sets the channel through the RF PLL (analog I²C, ROM
   * rom_write_rfpll_sdm); until that path reaches the board the SoC or a test tunes here.
   */
  tune(channel: number): void {
    if (channel === this.tuned) return;
    this.tuned = channel;
    this.onChannelChange?.(channel);
  }

  reset(): void {
    this.status = 0;
    this.enable = 0;
    this.txEvent = 0;
    this.rxCurrent = 0;
    this.rxLast = 0;
    this.rxFirst = 0;
    this.rxCount = 0;
    this.rxTimestamp = 0;
    this.txWaiting.length = 0;
    this.txActive = null;
    this.txAwaitingPort = false;
    this.txStartAlarm.cancel();
    this.txDoneAlarm.cancel();
    this.timer1Alarm.cancel();
    this.window.reset();
    this.updateIrq();
  }

  /**
   * Interrupts, TX queueing and the RX ring position (the window's plain words are the bus's
   * wDev window; the alarms are the clock's). A frame the air still holds (`txAwaitingPort`)
   * completes with "no ACK" after a restore: the air is not part of the board.
   */
  saveState(): SavedState {
    return {
      status: this.status,
      enable: this.enable,
      txEvent: this.txEvent,
      rxCurrent: this.rxCurrent,
      rxLast: this.rxLast,
      rxFirst: this.rxFirst,
      rxCount: this.rxCount,
      rxTimestamp: this.rxTimestamp,
      tuned: this.tuned,
      txWaiting: this.txWaiting.map((r) => r.queue),
      txActive: this.txActive ? this.txActive.queue : -1,
      txResult: this.txResult,
      txExpectsAck: this.txExpectsAck,
      txAwaitingPort: this.txAwaitingPort,
      noiseFloorDbm: this.noiseFloorDbm,
      stats: [this.stats.txFrames, this.stats.rxFrames, this.stats.rxDropped],
    };
  }

  restoreState(s: StateReader): void {
    this.status = s.u32('status');
    this.enable = s.u32('enable');
    this.txEvent = s.u32('txEvent');
    this.rxCurrent = s.u32('rxCurrent');
    this.rxLast = s.u32('rxLast');
    // Snapshots from before these registers: the newest frame alone.
    this.rxFirst = s.has('rxFirst') ? s.u32('rxFirst') : this.rxLast;
    this.rxCount = s.has('rxCount') ? s.int('rxCount') : this.rxLast ? 1 : 0;
    this.rxTimestamp = s.u32('rxTimestamp');
    this.tuned = s.int('tuned');
    this.txWaiting.length = 0;
    for (const queue of s.numbers('txWaiting')) this.txWaiting.push({ queue });
    const active = s.int('txActive');
    this.txActive = active >= 0 ? { queue: active } : null;
    this.txResult = s.int('txResult');
    this.txExpectsAck = s.boolean('txExpectsAck');
    this.txAwaitingPort = s.boolean('txAwaitingPort');
    this.noiseFloorDbm = s.number('noiseFloorDbm');
    [this.stats.txFrames, this.stats.rxFrames, this.stats.rxDropped] = s.numbers('stats');
  }

  read(addr: number): number {
    switch (addr) {
      case WifiReg.INT_STATUS:
        return this.status;
      case WifiReg.INT_ENABLE:
        return this.enable;
      case WifiReg.INT_ACK:
        return 0;
      case WifiReg.TX_EVENT:
        return this.txEvent;
      case WifiReg.RX_NEXT_DESC:
        return this.rxCurrent;
      case WifiReg.RX_LAST_DESC:
        return this.rxLast;
      case WifiReg.RX_FIRST_DESC:
        return this.rxFirst;
      case WifiReg.RX_DESC_COUNT:
        return this.rxCount & 0xff;
      case WifiReg.RX_TIMESTAMP:
        return this.rxTimestamp;
      case WifiReg.TSF_LOW:
        return this.tsf() >>> 0;
      case WifiReg.TSF_HIGH:
        return Math.floor(this.tsf() / 0x100000000) >>> 0;
      case WifiReg.TX_BUSY:
        return (this.window.read(addr) & ~0xf) >>> 0;
      case WifiReg.PHY_BUSY:
        return (this.window.read(addr) & ~0xf000) >>> 0;
      case WifiReg.ACK_INFO:
        return 0;
      default:
        return this.window.read(addr);
    }
  }

  /**
   * CpuBus.stableCycles: the TSF counts time; the MAC's own registers change only at its alarms,
   * on frames from the air port (between run slices) and on writes; the rest is the window's.
   */
  stableCycles(addr: number): number {
    if (addr === WifiReg.TSF_LOW || addr === WifiReg.TSF_HIGH) return 0;
    return this.window.stableCycles?.(addr) ?? 0;
  }

  /** CpuBus.counterClock: the window's µs timer (the TSF is not followed). */
  counterClock(addr: number): CounterClock | undefined {
    if (addr === WifiReg.TSF_LOW || addr === WifiReg.TSF_HIGH) return undefined;
    return this.window.counterClock?.(addr);
  }

  write(addr: number, value: number): void {
    value >>>= 0;
    switch (addr) {
      case WifiReg.INT_ENABLE:
        this.enable = value;
        this.updateIrq();
        return;
      case WifiReg.INT_ACK:
        this.status = (this.status & ~value) >>> 0;
        this.updateIrq();
        return;
      case WifiReg.INT_STATUS:
      case WifiReg.TX_EVENT:
      case WifiReg.RX_LAST_DESC:
      case WifiReg.RX_FIRST_DESC:
      case WifiReg.RX_DESC_COUNT:
        return;
      case WifiReg.RX_NEXT_DESC:
        this.rxCurrent = value;
        return;
      // The compare takes effect when CTRL is written. The SDK (wDev_MacTim1Arm) writes LOW,
      // then HIGH, then ORs the arm bit into CTRL, with the arm bit still set from the last
      // round: re-evaluating after LOW alone would, when the new compare carries into HIGH
      // (every 2^32 µs, 71.6 min), see a compare in the past and fire at once — the soft
      // watchdog then restarts every NONOS image at 4294.6 s, which chips do not do.
      case WifiReg.TIMER1_CTRL:
        this.window.write(addr, value);
        this.armTimer1();
        return;
      case WifiReg.TIMER1_LOW:
      case WifiReg.TIMER1_HIGH:
        this.window.write(addr, value);
        return;
    }
    this.window.write(addr, value);
    const q = txQueueOfW0(addr);
    if (q >= 0 && (value & TX_GO) >>> 0 === TX_GO) this.requestTransmission(q);
  }

  // ---- interrupts --------------------------------------------------------------------------

  private raise(bits: number): void {
    this.status = (this.status | bits) >>> 0;
    this.updateIrq();
  }

  private updateIrq(): void {
    this.irq.set((this.status & this.enable) !== 0);
  }

  // ---- time ----------------------------------------------------------------------------------

  /** The 64-bit TSF: µs since the chip came out of reset (held as a double, exact below 2^53). */
  private tsf(): number {
    return Math.floor(this.clock.micros);
  }

  private armTimer1(): void {
    const ctrl = this.window.read(WifiReg.TIMER1_CTRL);
    if (!(ctrl & TIMER_ARM)) {
      this.timer1Alarm.cancel();
      return;
    }
    const at =
      this.window.read(WifiReg.TIMER1_HIGH) * 0x100000000 + this.window.read(WifiReg.TIMER1_LOW);
    this.timer1Alarm.scheduleAt(Math.max(this.clock.now, at * TICKS_PER_MICROSECOND));
  }

  // ---- transmit ------------------------------------------------------------------------------

  private queueBase(q: number): number {
    return WifiReg.TX_QUEUE0 - TX_QUEUE_STRIDE * q;
  }

  private requestTransmission(queue: number): void {
    if (this.txActive?.queue === queue || this.txWaiting.some((r) => r.queue === queue)) return;
    this.txWaiting.push({ queue });
    if (!this.txActive) this.contend();
  }

  /** The next waiting queue takes the medium after DIFS plus its backoff slots. */
  private contend(): void {
    const next = this.txWaiting.shift();
    if (!next) return;
    this.txActive = next;
    const backoff = (this.window.read(this.queueBase(next.queue)) >>> 12) & 0x3ff;
    this.txStartAlarm.scheduleIn((DIFS_US + SLOT_US * backoff) * TICKS_PER_MICROSECOND);
  }

  private startTransmission(): void {
    const req = this.txActive;
    if (!req) return;
    const base = this.queueBase(req.queue);
    const w0 = this.window.read(base + TX_W0);
    // wDev_DisableTransmit / lmacDisableTransmit withdrew the frame before it went out.
    if ((w0 & TX_GO) >>> 0 !== TX_GO) {
      this.txActive = null;
      this.contend();
      return;
    }
    this.window.write(base + TX_W0, (w0 & ~TX_PENDING) >>> 0);
    const w1 = this.window.read(base + TX_W1);
    const rate = (w1 >>> 12) & 15;
    const length = w1 & 0xfff;
    // The queued length and the descriptor's count the FCS the hardware appends.
    const gathered = this.dma.gather(TX_DESC_BASE | (w0 & TX_DESC_MASK));
    const onAir = length > 0 ? Math.min(length, gathered.length) : gathered.length;
    let mpdu = gathered.subarray(0, Math.max(0, onAir - FCS_BYTES));
    const group = mpdu.length >= 10 && (mpdu[4] & 1) !== 0;
    const expectsAck = !group && ((w0 >>> TX_RESPONSE_SHIFT) & 7) !== 0;
    const protectedFrame = mpdu.length >= 2 && (mpdu[1] & 0x40) !== 0;
    const key = protectedFrame ? this.txKey(mpdu) : null;
    // The queued length also counts the room for the MIC the hardware appends (a DHCP DISCOVER
    // from AT 2.0.0: 8 bytes past the IP datagram, docs/wifi-mac.md §7); the port gets the
    // plaintext without it (TKIP: 12 bytes of room for the Michael MIC and the ICV).
    if (key) mpdu = mpdu.subarray(0, Math.max(0, mpdu.length - trailerBytes(key.cipher)));
    this.txExpectsAck = expectsAck;
    this.txEvent = (req.queue << 12) >>> 0;
    this.raise(WifiInt.TX_START);
    const outcome = this.port
      ? this.port.transmit({ mpdu, channel: this.tuned, rate, queue: req.queue, key })
      : { acked: false };
    this.stats.txFrames++;
    if (!outcome) {
      this.txAwaitingPort = true; // the air calls completeTransmission
      return;
    }

    const trailer = key ? trailerBytes(key.cipher) : 0;
    let micros = airtimeMicros(mpdu.length + trailer + FCS_BYTES, rate);
    if (expectsAck) micros += SIFS_US + airtimeMicros(ACK_BYTES, ackRate(rate));
    if (expectsAck && !outcome.acked) micros += SLOT_US;
    this.txResult = expectsAck && !outcome.acked ? TxResult.ACK_TIMEOUT : TxResult.OK;
    this.txDoneAlarm.scheduleIn(micros * TICKS_PER_MICROSECOND);
  }

  /**
   * The frame the port took with `transmit(...) === null` is over now: acknowledged or not
   * (ignored for frames that expect no ACK). Raises TX done with the result code.
   */
  completeTransmission(acked: boolean): void {
    if (!this.txAwaitingPort) return;
    this.txAwaitingPort = false;
    this.txResult = this.txExpectsAck && !acked ? TxResult.ACK_TIMEOUT : TxResult.OK;
    this.finishTransmission();
  }

  private finishTransmission(): void {
    const req = this.txActive;
    if (!req) return;
    this.txActive = null;
    const base = this.queueBase(req.queue);
    this.window.write(base + TX_W0, (this.window.read(base + TX_W0) & ~TX_VALID) >>> 0);
    this.txEvent = ((this.txResult << 28) | (req.queue << 12)) >>> 0;
    this.raise(WifiInt.TX_DONE);
    this.contend();
  }

  /** STA frames (ToDS) use interface 0's keys, SoftAP frames (FromDS) interface 1's. */
  private txKey(mpdu: Uint8Array) {
    if (mpdu.length < 28) return null;
    const iface = mpdu[1] & 2 ? 1 : 0;
    const group = (mpdu[4] & 1) !== 0;
    const keyId = (mpdu[24 + 3] >>> 6) & 3;
    return this.keys.find(iface, mpdu.subarray(4, 10), keyId, group);
  }

  // ---- receive -------------------------------------------------------------------------------

  private addressFilter(addr: number, mask: number): AddressFilter {
    const a0 = this.window.read(addr);
    const a1 = this.window.read(addr + 4);
    const m0 = this.window.read(mask);
    const m1 = this.window.read(mask + 4);
    return {
      address: Uint8Array.of(a0, a0 >>> 8, a0 >>> 16, a0 >>> 24, a1, a1 >>> 8),
      mask: Uint8Array.of(m0, m0 >>> 8, m0 >>> 16, m0 >>> 24, m1, m1 >>> 8),
      enabled: (m1 & (1 << 16)) !== 0,
    };
  }

  /**
   * A frame arrived now. Returns whether it reached the RX ring (false: receiver off, another
   * channel, filtered out, or no free descriptor).
   */
  receive(rx: WifiReception): boolean {
    if (!(this.window.read(WifiReg.RX_CONFIG) & RX_ENABLE)) return false;
    if (this.tuned && rx.channel && rx.channel !== this.tuned) return false;
    const ended = this.window.read(WifiReg.RX_END_COUNT);
    this.window.write(WifiReg.RX_END_COUNT, (ended + 1) >>> 0);
    if (rx.mpdu.length < 10) return false;
    this.noiseFloorDbm = rx.noiseFloorDbm;
    const match = matchBits(
      rx.mpdu,
      [
        this.addressFilter(WifiReg.MAC0, WifiReg.MAC_MASK0),
        this.addressFilter(WifiReg.MAC1, WifiReg.MAC_MASK1),
      ],
      [
        this.addressFilter(WifiReg.BSSID0, WifiReg.BSSID_MASK0),
        this.addressFilter(WifiReg.BSSID1, WifiReg.BSSID_MASK1),
      ],
    );
    if (!anyMatch(match)) return false;
    const mpdu = this.withTrailer(rx);
    if (!mpdu) {
      this.stats.rxDropped++;
      return false;
    }
    const frame = new Uint8Array(RX_CONTROL_BYTES + mpdu.length + FCS_BYTES);
    frame.set(
      encodeRxControl({
        rssiDbm: rx.rssiDbm,
        rate: rx.rate,
        mpduLength: mpdu.length,
        group: (mpdu[4] & 1) !== 0,
        match,
        channel: rx.channel,
      }),
    );
    frame.set(mpdu, RX_CONTROL_BYTES);
    frame.set(fcs(mpdu), RX_CONTROL_BYTES + mpdu.length);
    if (!this.store(frame)) {
      this.stats.rxDropped++;
      return false;
    }
    this.stats.rxFrames++;
    return true;
  }

  /**
   * The key-table entry the hardware would decrypt a received protected frame with (a port that
   * decrypts for the MAC asks here): interface 1's keys for ToDS frames (to the SoftAP), else
   * interface 0's; the pairwise slot of the transmitter, or for group frames the key id's slot.
   */
  rxKey(mpdu: Uint8Array): WifiKey | null {
    if (mpdu.length < 28) return null;
    const iface = mpdu[1] & 1 ? 1 : 0;
    const group = (mpdu[4] & 1) !== 0;
    return this.keys.find(iface, mpdu.subarray(10, 16), (mpdu[24 + 3] >>> 6) & 3, group);
  }

  /**
   * A protected frame handed in decrypted gets the trailer the hardware leaves after decrypting
   * in place (ccmp_decap strips header + MIC), provided the key table holds a key for it;
   * without one the hardware could not have decrypted it and the frame is dropped.
   */
  private withTrailer(rx: WifiReception): Uint8Array | null {
    const m = rx.mpdu;
    if (!(m[1] & 0x40) || !rx.decrypted) return m;
    const key = this.rxKey(m);
    if (!key) return null;
    const out = new Uint8Array(m.length + trailerBytes(key.cipher));
    out.set(m);
    return out;
  }

  /**
   * DMA into the current descriptor. The hardware never fills a descriptor whose `next` is 0:
   * the library keeps a dummy terminator there and asserts that the last completed descriptor
   * has a successor (wDev_ProcessFiq). RX_FIRST_DESC/RX_DESC_COUNT/RX_LAST_DESC then describe
   * the descriptors filled since RX done was last clear: RTOS SDK 1.0's wDev_ProcessFiq asserts
   * RX_FIRST_DESC is its ring head ("wdev.c 1166") and that RX_DESC_COUNT descriptors from there
   * end at RX_LAST_DESC, and drops a batch of several (docs/wifi-mac.md §4).
   */
  private store(frame: Uint8Array): boolean {
    const desc = this.rxCurrent;
    if (!desc) return false;
    const w0 = this.dma.word(desc);
    const next = this.dma.word(desc + 8);
    if (!(w0 & DESC_OWNER) || !next || (w0 & DESC_SIZE_MASK) < frame.length) return false;
    if (!this.dma.setBytes(this.dma.word(desc + 4), frame)) return false;
    const done = (w0 & DESC_SIZE_MASK) | (frame.length << DESC_LENGTH_SHIFT) | DESC_EOF;
    this.dma.setWord(desc, done >>> 0);
    // A frame completed while RX done is still latched joins the descriptors reported with it.
    if (!(this.status & WifiInt.RX_DONE)) {
      this.rxFirst = desc;
      this.rxCount = 0;
    }
    this.rxCount = (this.rxCount + 1) & 0xff;
    this.rxLast = desc;
    this.rxCurrent = next;
    this.rxTimestamp = this.tsf() >>> 0;
    this.raise(WifiInt.RX_DONE);
    return true;
  }
}

/** Index of the TX queue whose W0 is at `addr`, or -1. */
function txQueueOfW0(addr: number): number {
  const d = WifiReg.TX_QUEUE0 + TX_W0 - addr;
  if (d < 0 || d % TX_QUEUE_STRIDE) return -1;
  const q = d / TX_QUEUE_STRIDE;
  return q < TX_QUEUES ? q : -1;
}

/** Control responses go at a basic rate: 1 Mb/s for DSSS/CCK, 6 Mb/s for OFDM. */
function ackRate(rate: number): number {
  return isOfdmRate(rate) ? WifiRate.OFDM_6M : WifiRate.CCK_1M;
}

/** Key-table words, for tests and the debugger: slot `n`'s first address. */
export function keySlotAddress(n: number): number {
  if (n < 0 || n >= KEY_SLOTS) throw new RangeError(`key slot ${n}`);
  return KEY_TABLE + KEY_SLOT_BYTES * n;
}
