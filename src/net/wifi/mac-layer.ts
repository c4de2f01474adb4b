/**
 * The lower MAC of our virtual devices (APs, stations): what a Wi-Fi chip does in hardware.
 * It numbers outgoing frames, acknowledges unicast frames addressed to it after SIFS, retransmits
 * an unacknowledged unicast frame with the Retry bit set (same sequence number) up to the retry
 * limit, and drops received duplicates (same transmitter, sequence and fragment number with Retry
 * set, §10.3.2.12) — so a lost ACK shows up on the air exactly as it does with real hardware.
 */
import { TICKS_PER_MICROSECOND, type Alarm } from '../clock.ts';
import type { Air, Radio, RadioOptions, RxInfo } from './air.ts';
import {
  DSSS_RATES,
  SIFS_US,
  SLOT_US,
  airtimeMicros,
  rateMbpsOf,
  type TxVector,
} from './airtime.ts';
import { Ctrl, FrameType, buildFrame, parseFrame, type Frame, type FrameInit } from './frame.ts';
import { isGroup, macEquals, macToString, type MacAddress } from './mac-address.ts';

/** dot11ShortRetryLimit default (Annex C). */
export const DEFAULT_RETRY_LIMIT = 7;
const ACK_LENGTH = 10;

export interface ReceivedFrame {
  frame: Frame;
  info: RxInfo;
  /** The MPDU as received (the frame was parsed from it). */
  raw: Uint8Array;
}

export interface SendOptions {
  tx?: TxVector;
  /** For unicast frames: whether an ACK came back within the retry limit; group frames: true. */
  onDone?: (acked: boolean) => void;
  /** Keep the sequence number already in the frame (retransmission by the upper layer). */
  keepSequence?: boolean;
  /**
   * Applied once to the built MPDU (after the sequence number is set), e.g. CCMP encryption; the
   * retransmissions reuse its result with only the Retry bit changed, as hardware does.
   */
  transform?: (mpdu: Uint8Array) => Uint8Array;
}

interface Outgoing {
  init: FrameInit;
  options: SendOptions;
  attempts: number;
  bytes?: Uint8Array;
}

/** The rate an ACK is sent at: the same modulation class, at most the frame's rate (§10.6.6.5). */
export function ackTxVector(info: Pick<RxInfo, 'rateMbps' | 'mcs'>): TxVector {
  if (info.mcs === undefined && DSSS_RATES.includes(info.rateMbps))
    return { rateMbps: info.rateMbps };
  const r = info.rateMbps;
  return { rateMbps: r >= 24 ? 24 : r >= 12 ? 12 : 6 };
}

/**
 * The ACK a receiver sends SIFS after a unicast frame from `transmitter`: a board adapter sends
 * it with `radio.transmit(ackFrame(ta), ackTxVector(info), { sifs: true })`, as the chip's
 * hardware does.
 */
export const ackFrame = (transmitter: MacAddress): Uint8Array =>
  buildFrame({ type: FrameType.CTRL, subtype: Ctrl.ACK, addr1: transmitter });

export class MacLayer {
  readonly radio: Radio;
  /** Every frame the MAC passes up: addressed to it, group addressed, or all when promiscuous. */
  onReceive: (rx: ReceivedFrame) => void = () => {};
  promiscuous = false;
  retryLimit = DEFAULT_RETRY_LIMIT;
  /** Counters, for tests and logs. */
  readonly stats = { sent: 0, retries: 0, failed: 0, acked: 0, duplicates: 0, malformed: 0 };

  private seq = 0;
  private readonly queue: Outgoing[] = [];
  private awaitingAck: Outgoing | null = null;
  private readonly ackTimer: Alarm;
  private readonly lastSeen = new Map<string, number>();

  constructor(
    readonly air: Air,
    public address: MacAddress,
    radioOptions: RadioOptions = {},
  ) {
    this.radio = air.attach((mpdu, info) => this.received(mpdu, info), radioOptions);
    this.ackTimer = air.clock.createAlarm(() => this.ackTimedOut(), 'mac-ack');
  }

  /** Queues a frame; the sequence number is assigned here unless `keepSequence`. */
  send(init: FrameInit, options: SendOptions = {}): void {
    const f: FrameInit = { ...init };
    if (f.type !== FrameType.CTRL && !options.keepSequence) {
      f.seq = this.seq;
      this.seq = (this.seq + 1) & 0xfff;
    }
    this.queue.push({ init: f, options, attempts: 0 });
    if (!this.awaitingAck && this.queue.length === 1) this.transmitNext();
  }

  private transmitNext(): void {
    const o = this.queue[0];
    if (!o || this.awaitingAck) return;
    if (!o.bytes) {
      const built = buildFrame(o.init);
      o.bytes = o.options.transform ? o.options.transform(built) : built;
    } else o.bytes[1] |= 0x08; // Retry
    const unicast = !isGroup(o.init.addr1);
    const tx = o.options.tx ?? {};
    if (o.attempts > 0) this.stats.retries++;
    o.attempts++;
    this.stats.sent++;
    if (unicast) this.awaitingAck = o;
    this.radio.transmit(o.bytes, tx, {
      onEnd: (_start, end) => {
        if (!unicast) {
          this.queue.shift();
          o.options.onDone?.(true);
          this.transmitNext();
          return;
        }
        const ackUs = airtimeMicros(
          ACK_LENGTH,
          ackTxVector({ rateMbps: rateMbpsOf(tx), mcs: tx.mcs }),
        );
        this.ackTimer.scheduleAt(
          end + Math.ceil((SIFS_US + ackUs + SLOT_US) * TICKS_PER_MICROSECOND),
        );
      },
    });
  }

  private ackTimedOut(): void {
    const o = this.awaitingAck;
    if (!o) return;
    this.awaitingAck = null;
    if (o.attempts > this.retryLimit) {
      this.queue.shift();
      this.stats.failed++;
      o.options.onDone?.(false);
    }
    this.transmitNext();
  }

  /** Drops everything queued (e.g. on channel change), reporting each as not acknowledged. */
  flush(): void {
    const pending = this.queue.splice(0);
    this.awaitingAck = null;
    this.ackTimer.cancel();
    for (const o of pending) o.options.onDone?.(false);
  }

  private received(raw: Uint8Array, info: RxInfo): void {
    let frame: Frame;
    try {
      frame = parseFrame(raw);
    } catch {
      this.stats.malformed++;
      return;
    }
    const forUs = macEquals(frame.addr1, this.address);
    if (frame.type === FrameType.CTRL && frame.subtype === Ctrl.ACK) {
      if (forUs && this.awaitingAck) {
        const o = this.awaitingAck;
        this.awaitingAck = null;
        this.ackTimer.cancel();
        this.queue.shift();
        this.stats.acked++;
        o.options.onDone?.(true);
        this.transmitNext();
      }
      return;
    }
    if (forUs && !(frame.type === FrameType.CTRL && frame.subtype !== Ctrl.PS_POLL)) {
      this.radio.transmit(ackFrame(frame.addr2!), ackTxVector(info), { sifs: true });
      if (frame.type !== FrameType.CTRL) {
        const tid = frame.qos !== undefined ? frame.qos & 0xf : 16;
        const key = `${macToString(frame.addr2!)}/${tid}`;
        const sc = (frame.seq << 4) | frame.frag;
        if (frame.retry && this.lastSeen.get(key) === sc) {
          this.stats.duplicates++;
          return;
        }
        this.lastSeen.set(key, sc);
      }
    }
    if (forUs || isGroup(frame.addr1) || this.promiscuous) this.onReceive({ frame, info, raw });
  }

  detach(): void {
    this.flush();
    this.radio.detach();
  }
}
