/**
 * A board's Wi-Fi MAC as one radio in the air (src/net/wifi/air.ts): the adapter behind the MAC's
 * radio port (src/board/peripherals/wifi-radio-port.ts).
 *
 *   const radio = new BoardRadio(air, soc.wifi, { name: 'board' });   // air on the board's clock
 *
 * What the chip's hardware does between the library and the medium happens here:
 * - TX: the frame starts on air at the instant the MAC takes it (the MAC did its own channel
 *   access) unless the channel is busy, then DIFS after it goes idle; it lasts its airtime, and for an individually addressed frame the adapter waits SIFS +
 *   ACK + a slot for the addressee's ACK before telling the MAC (`completeTransmission`).
 * - RX: frames on the radio's channel enter the MAC's RX ring with the link's RSSI, the
 *   receiver's noise floor, the channel and the rate; the adapter acknowledges, SIFS later, the
 *   individually addressed frames the MAC accepted. ACKs themselves never reach the library.
 * - Keys: the MAC hands protected frames over in the clear with the key-table entry it would use
 *   (docs/wifi-mac.md §7): the adapter encrypts them with CCMP (or TKIP, the SoftAP's group key)
 *   using the packet number the library wrote into the CCMP (TKIP IV) header, and decrypts received CCMP frames with the key the MAC's table
 *   holds for them, so the 4-way handshake that fills that table is the real one — with a wrong
 *   passphrase the library never installs a key that matches the AP's.
 * - Channel: the radio follows the MAC's tuning (`WifiMac.tune`, fed from the RF PLL words our
 *   ROM's rom_write_rfpll_sdm passes on); until tuned it sits on `options.channel`.
 */
import { isOfdmRate, rateMbps, WifiRate } from '../board/peripherals/wifi-radio-port.ts';
import type {
  WifiKey,
  WifiRadioPort,
  WifiReception,
  WifiTransmission,
} from '../board/peripherals/wifi-radio-port.ts';
import { TICKS_PER_MICROSECOND, type Alarm } from './clock.ts';
import type { Air, Radio, RadioOptions, RxInfo } from './wifi/air.ts';
import { airtimeMicros, SIFS_US, SLOT_US, type TxVector } from './wifi/airtime.ts';
import { ccmpDecrypt, ccmpEncrypt, ccmpHeader, CCMP_HEADER_LENGTH } from './wifi/ccmp.ts';
import { Ctrl, FrameType, headerLength, parseFrame } from './wifi/frame.ts';
import { tkipEncrypt } from './wifi/tkip.ts';
import { ackFrame, ackTxVector } from './wifi/mac-layer.ts';

/** What the adapter needs of the board's MAC (src/board/peripherals/wifi-mac.ts). */
export interface BoardWifiMac {
  port: WifiRadioPort | null;
  onChannelChange: ((channel: number) => void) | null;
  readonly channel: number;
  receive(rx: WifiReception): boolean;
  completeTransmission(acked: boolean): void;
  rxKey(mpdu: Uint8Array): WifiKey | null;
}

export interface BoardRadioOptions extends RadioOptions {
  /** The channel the radio sits on until the firmware tunes it (default 1). */
  channel?: number;
}

const CIPHER_TKIP = 2;
const CIPHER_CCMP = 3;
const ACK_LENGTH = 10;

/** Rate codes (WifiRate) by legacy rate in Mb/s. */
const RATE_CODE = new Map<number, number>([
  [1, WifiRate.CCK_1M],
  [2, WifiRate.CCK_2M],
  [5.5, WifiRate.CCK_5M5],
  [11, WifiRate.CCK_11M],
  [6, WifiRate.OFDM_6M],
  [9, WifiRate.OFDM_9M],
  [12, WifiRate.OFDM_12M],
  [18, WifiRate.OFDM_18M],
  [24, WifiRate.OFDM_24M],
  [36, WifiRate.OFDM_36M],
  [48, WifiRate.OFDM_48M],
  [54, WifiRate.OFDM_54M],
]);

/** The MAC's rate code for a received frame; HT frames are reported at the nearest legacy rate [M]. */
export function rateCodeOf(info: Pick<RxInfo, 'rateMbps' | 'mcs'>): number {
  const exact = RATE_CODE.get(info.rateMbps);
  if (exact !== undefined && info.mcs === undefined) return exact;
  let best: number = WifiRate.OFDM_6M;
  for (const [mbps, code] of RATE_CODE) if (isOfdmRate(code) && mbps <= info.rateMbps) best = code;
  return best;
}

export class BoardRadio implements WifiRadioPort {
  readonly radio: Radio;
  readonly stats = { sent: 0, acked: 0, ackTimeouts: 0, received: 0, undecryptable: 0 };
  /** The addresses the board has sent from: as a station, and as a SoftAP (beacons, probe responses). */
  readonly seen: BoardAddresses = { stationMac: null, apMac: null, stationAt: -1, apAt: -1 };
  private awaitingAck: { to: Uint8Array; from: Uint8Array } | null = null;
  private readonly ackTimer: Alarm;

  constructor(
    readonly air: Air,
    readonly mac: BoardWifiMac,
    options: BoardRadioOptions = {},
  ) {
    this.radio = air.attach((mpdu, info) => this.received(mpdu, info), {
      name: 'board',
      ...options,
      channel: mac.channel || options.channel || 1,
    });
    this.ackTimer = air.clock.createAlarm(() => this.ackTimedOut(), 'board ack timeout');
    mac.port = this;
    mac.onChannelChange = (channel) => {
      if (channel > 0 && this.radio.channels.includes(channel)) this.radio.tune(channel);
    };
  }

  detach(): void {
    this.ackTimer.cancel();
    if (this.mac.port === this) this.mac.port = null;
    this.mac.onChannelChange = null;
    this.radio.detach();
  }

  transmit(tx: WifiTransmission): null {
    const plain = tx.mpdu;
    const onAir = tx.key && plain[1] & 0x40 ? encrypt(plain, tx.key) : plain;
    const vector: TxVector = { rateMbps: rateMbps(tx.rate) };
    const unicast = plain.length >= 10 && (plain[4] & 1) === 0 && !isControl(plain);
    this.stats.sent++;
    noteSender(this.seen, plain, this.air.clock.now);
    this.awaitingAck = null;
    this.ackTimer.cancel();
    this.radio.transmit(onAir, vector, {
      // The MAC did its channel access against its own timers, but it cannot hear the air: when
      // the channel is still busy (often with the ACK this radio is sending for the frame the
      // library answers), the frame waits for it like a chip's carrier sense would make it.
      immediate: !this.air.isBusy(this.radio.channel),
      onEnd: (_start, end) => {
        if (!unicast) {
          this.mac.completeTransmission(true);
          return;
        }
        this.awaitingAck = { to: plain.slice(4, 10), from: plain.slice(10, 16) };
        const ackUs = airtimeMicros(ACK_LENGTH, ackTxVector({ rateMbps: vector.rateMbps! }));
        this.ackTimer.scheduleAt(
          end + Math.ceil((SIFS_US + ackUs + SLOT_US) * TICKS_PER_MICROSECOND),
        );
      },
    });
    return null;
  }

  private ackTimedOut(): void {
    if (!this.awaitingAck) return;
    this.awaitingAck = null;
    this.stats.ackTimeouts++;
    this.mac.completeTransmission(false);
  }

  private received(mpdu: Uint8Array, info: RxInfo): void {
    if (mpdu.length < 10) return;
    if (isControl(mpdu)) {
      const subtype = (mpdu[0] >>> 4) & 15;
      if (
        subtype === Ctrl.ACK &&
        this.awaitingAck &&
        equal(mpdu.subarray(4, 10), this.awaitingAck.from)
      ) {
        this.awaitingAck = null;
        this.ackTimer.cancel();
        this.stats.acked++;
        this.mac.completeTransmission(true);
      }
      return; // the MAC's hardware consumes control frames
    }
    let frame = mpdu;
    let decrypted = false;
    if (mpdu[1] & 0x40) {
      const clear = this.decrypt(mpdu);
      if (clear) {
        frame = clear;
        decrypted = true;
      } else this.stats.undecryptable++;
    }
    const accepted = this.mac.receive({
      mpdu: frame,
      rssiDbm: info.rssi,
      noiseFloorDbm: info.noise,
      channel: info.channel,
      rate: rateCodeOf(info),
      decrypted,
    });
    if (!accepted) return;
    this.stats.received++;
    if ((mpdu[4] & 1) === 0 && mpdu.length >= 16)
      this.radio.transmit(ackFrame(mpdu.slice(10, 16)), ackTxVector(info), { sifs: true });
  }

  /**
   * The frame as the library expects it after the hardware decrypted it in place: MAC header and
   * CCMP header kept, body in the clear (the MAC adds the MIC-sized trailer). Null when the key
   * table holds no CCMP key for it or the MIC does not verify (a wrong key).
   */
  private decrypt(mpdu: Uint8Array): Uint8Array | null {
    const key = this.mac.rxKey(mpdu);
    if (!key || key.cipher !== CIPHER_CCMP) return null;
    let opened: ReturnType<typeof ccmpDecrypt>;
    try {
      opened = ccmpDecrypt(mpdu, key.key);
    } catch {
      return null;
    }
    if (!opened) return null;
    const hl = headerLength(parseFrame(mpdu));
    const out = new Uint8Array(opened.mpdu.length + CCMP_HEADER_LENGTH);
    out.set(mpdu.subarray(0, hl + CCMP_HEADER_LENGTH));
    out.set(opened.mpdu.subarray(hl), hl + CCMP_HEADER_LENGTH);
    return out;
  }
}

/**
 * Encrypts a frame the library built with its CCMP or TKIP header and a plaintext body. A TKIP
 * key-table entry is 32 bytes: TK, the receive Michael key, the transmit Michael key — the AT
 * 2.0.0 SoftAP installs its group key with the two Michael halves swapped against the EAPOL-Key
 * GTK, so its own transmit key (the authenticator's, GTK bytes 16..23) lands at 24..31.
 */
function encrypt(mpdu: Uint8Array, key: WifiKey): Uint8Array {
  if (key.cipher === CIPHER_TKIP && key.key.length >= 32)
    return tkipEncrypt(mpdu, key.key.subarray(0, 16), key.key.subarray(24, 32));
  if (key.cipher !== CIPHER_CCMP) return mpdu; // WEP is not modelled: sent as the MAC gave it
  const hl = headerLength(parseFrame(mpdu));
  const h = mpdu.subarray(hl, hl + CCMP_HEADER_LENGTH);
  // ccmpHeader wants room for a MIC; read the packet number from the 8 header bytes directly.
  const withMic = new Uint8Array(hl + CCMP_HEADER_LENGTH + 8);
  withMic.set(mpdu.subarray(0, hl));
  withMic.set(h, hl);
  const header = ccmpHeader(withMic);
  const pn = header?.pn ?? 0n;
  const plain = new Uint8Array(mpdu.length - CCMP_HEADER_LENGTH);
  plain.set(mpdu.subarray(0, hl));
  plain[1] &= ~0x40;
  plain.set(mpdu.subarray(hl + CCMP_HEADER_LENGTH), hl);
  return ccmpEncrypt(plain, key.key.subarray(0, 16), pn, header?.keyId ?? key.keyId);
}

export interface BoardAddresses {
  stationMac: Uint8Array | null;
  apMac: Uint8Array | null;
  /** Ticks of the last frame sent in each role (−1: never). */
  stationAt: number;
  apAt: number;
}

/** Management subtypes only an AP sends (association/reassociation response, probe response, beacon)… */
const AP_MANAGEMENT = new Set([1, 3, 5, 8]);
/** …and only a station sends (association/reassociation and probe request). */
const STATION_MANAGEMENT = new Set([0, 2, 4]);

/** Which role a transmitted frame shows the board in (the network panel's "mode"). */
function noteSender(seen: BoardAddresses, mpdu: Uint8Array, now: number): void {
  if (mpdu.length < 16 || isControl(mpdu)) return;
  const subtype = mpdu[0] >>> 4;
  const toDs = (mpdu[1] & 1) !== 0;
  const fromDs = (mpdu[1] & 2) !== 0;
  const mgmt = ((mpdu[0] >>> 2) & 3) === FrameType.MGMT;
  const asAp = mgmt ? AP_MANAGEMENT.has(subtype) : fromDs && !toDs;
  const asStation = mgmt ? STATION_MANAGEMENT.has(subtype) : toDs && !fromDs;
  if (asAp) {
    seen.apMac = mpdu.slice(10, 16);
    seen.apAt = now;
  }
  if (asStation) {
    seen.stationMac = mpdu.slice(10, 16);
    seen.stationAt = now;
  }
}

function isControl(mpdu: Uint8Array): boolean {
  return ((mpdu[0] >>> 2) & 3) === FrameType.CTRL;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
