/**
 * The air: one 2.4 GHz medium shared by every radio in a simulation — virtual APs and stations,
 * and (through an adapter) each board's Wi-Fi MAC. Several boards attach their radios to the same
 * `Air`, which must then run on the one clock they share.
 *
 * A radio transmits a raw MPDU (no FCS) on its channel with a TX vector. Each channel carries one
 * frame at a time, without collisions: a frame waits until the channel has been idle for DIFS
 * (a SIFS response such as an ACK only SIFS, so it goes before anything else queued), lasts its
 * airtime, and at its end every other radio tuned to that channel receives it with the link's
 * RSSI — unless it is below the receiver's sensitivity for the rate, or the link's seeded loss
 * drops it. There is no backoff; retries and duplicates arise from the MACs above (mac-layer.ts).
 *
 * Link RSSI is the transmitter's power minus the path loss, by default a log-distance model from
 * the radios' positions; `setLink` overrides it per direction.
 */
import { TICKS_PER_MICROSECOND, type Alarm, type NetClock } from '../clock.ts';
import {
  DIFS_US,
  SIFS_US,
  airtimeMicros,
  rateMbpsOf,
  sensitivityDbm,
  type TxVector,
} from './airtime.ts';
import { Prng } from './prng.ts';
import { channelFrequencyMhz, channelsOf, isValidChannel, type CountryCode } from './regulatory.ts';

export interface RxInfo {
  channel: number;
  /** Nominal rate in Mb/s (an HT frame's MCS is in `mcs`). */
  rateMbps: number;
  mcs?: number;
  shortPreamble?: boolean;
  /** Received signal strength, dBm (integer, as a radio reports it). */
  rssi: number;
  /** Noise floor of the receiver, dBm. */
  noise: number;
  /** Tick the first bit went on the air. */
  start: number;
  /** Tick the last bit arrived (now, when the receiver is called). */
  end: number;
}

export type RadioReceiver = (mpdu: Uint8Array, info: RxInfo, from: Radio) => void;

export interface Position {
  x: number;
  y: number;
}

export interface RadioOptions {
  name?: string;
  channel?: number;
  /** Regulatory domain: which channels the radio may tune to. Default: the air's. */
  country?: CountryCode;
  position?: Position;
  /** Default 20 dBm (the ESP8266's 802.11b maximum). */
  txPowerDbm?: number;
  /** Default −95 dBm. */
  noiseFloorDbm?: number;
  /** A monitor hears every channel, never loses frames and ignores sensitivity (for captures). */
  monitor?: boolean;
}

/** Path loss in dB over `distanceM` metres at `frequencyMhz`. */
export type PathLossModel = (distanceM: number, frequencyMhz: number) => number;

/**
 * Log-distance path loss: free-space loss at the reference distance d0 = 1 m
 * (20·log10(f/MHz) − 27.55 dB) plus 10·n·log10(d/d0); n = 2 is free space, ~3 indoors.
 */
export function logDistancePathLoss(exponent = 3): PathLossModel {
  return (d, f) => 20 * Math.log10(f) - 27.55 + 10 * exponent * Math.log10(Math.max(d, 1));
}

export interface AirOptions {
  country?: CountryCode;
  /** Seed of the loss generator. */
  seed?: number;
  /** Probability a frame is lost on any link without its own setting. */
  loss?: number;
  pathLoss?: PathLossModel;
}

interface LinkSetting {
  rssi?: number;
  loss?: number;
}

export interface TransmitOptions {
  /** A SIFS response (ACK, CTS, the reply to a PS-Poll may not use it): waits only SIFS. */
  sifs?: boolean;
  /** Called when the last bit has left (after the receivers got the frame). */
  onEnd?: (start: number, end: number) => void;
}

interface InFlight {
  mpdu: Uint8Array;
  from: Radio;
  channel: number;
  tx: TxVector;
  options: TransmitOptions;
  start: number;
  end: number;
}

interface ChannelState {
  current: InFlight | null;
  idleSince: number;
  queue: InFlight[];
}

export class Radio {
  channel: number;
  position: Position;
  txPowerDbm: number;
  noiseFloorDbm: number;
  readonly name: string;
  readonly monitor: boolean;
  country: CountryCode;

  /** @internal */
  constructor(
    private readonly air: Air,
    readonly receive: RadioReceiver,
    o: RadioOptions,
    defaultCountry: CountryCode,
  ) {
    this.name = o.name ?? 'radio';
    this.country = o.country ?? defaultCountry;
    this.channel = 1;
    this.position = o.position ?? { x: 0, y: 0 };
    this.txPowerDbm = o.txPowerDbm ?? 20;
    this.noiseFloorDbm = o.noiseFloorDbm ?? -95;
    this.monitor = o.monitor ?? false;
    this.tune(o.channel ?? 1);
  }

  /** The channels this radio's regulatory domain allows. */
  get channels(): number[] {
    return channelsOf(this.country);
  }

  tune(channel: number): void {
    if (!isValidChannel(channel) || !this.channels.includes(channel))
      throw new RangeError(`channel ${channel} is not allowed in ${this.country}`);
    this.channel = channel;
  }

  /** Queues an MPDU (without FCS) on the current channel. */
  transmit(mpdu: Uint8Array, tx: TxVector = {}, options: TransmitOptions = {}): void {
    this.air.transmit(this, mpdu.slice(), tx, options);
  }

  detach(): void {
    this.air.detach(this);
  }
}

export class Air {
  readonly country: CountryCode;
  private readonly radios: Radio[] = [];
  private readonly links = new Map<Radio, Map<Radio, LinkSetting>>();
  private readonly channels = new Map<number, ChannelState>();
  private readonly alarm: Alarm;
  private readonly prng: Prng;
  private readonly defaultLoss: number;
  private readonly pathLoss: PathLossModel;

  constructor(
    readonly clock: NetClock,
    options: AirOptions = {},
  ) {
    this.country = options.country ?? 'CN';
    this.prng = new Prng(options.seed ?? 1);
    this.defaultLoss = options.loss ?? 0;
    this.pathLoss = options.pathLoss ?? logDistancePathLoss();
    this.alarm = clock.createAlarm(() => this.run(), 'air');
  }

  attach(receive: RadioReceiver, options: RadioOptions = {}): Radio {
    const r = new Radio(this, receive, options, this.country);
    this.radios.push(r);
    return r;
  }

  /** @internal */
  detach(r: Radio): void {
    const i = this.radios.indexOf(r);
    if (i >= 0) this.radios.splice(i, 1);
  }

  /** Overrides the RSSI and/or loss probability of frames from `from` heard by `to`. */
  setLink(from: Radio, to: Radio, setting: LinkSetting, bothWays = true): void {
    const set = (a: Radio, b: Radio) => {
      let m = this.links.get(a);
      if (!m) this.links.set(a, (m = new Map()));
      m.set(b, { ...m.get(b), ...setting });
    };
    set(from, to);
    if (bothWays) set(to, from);
  }

  /** RSSI (dBm, rounded) of `from` at `to` on `channel`. */
  rssi(from: Radio, to: Radio, channel = from.channel): number {
    const forced = this.links.get(from)?.get(to)?.rssi;
    if (forced !== undefined) return forced;
    const d = Math.hypot(from.position.x - to.position.x, from.position.y - to.position.y);
    return Math.round(from.txPowerDbm - this.pathLoss(d, channelFrequencyMhz(channel)));
  }

  /** @internal */
  transmit(from: Radio, mpdu: Uint8Array, tx: TxVector, options: TransmitOptions): void {
    const ch = this.channelState(from.channel);
    ch.queue.push({ mpdu, from, channel: from.channel, tx, options, start: 0, end: 0 });
    this.run();
  }

  /** Whether a frame is on the air on `channel` now. */
  isBusy(channel: number): boolean {
    return this.channels.get(channel)?.current != null;
  }

  private channelState(channel: number): ChannelState {
    let c = this.channels.get(channel);
    if (!c) this.channels.set(channel, (c = { current: null, idleSince: -Infinity, queue: [] }));
    return c;
  }

  /** When the next queued frame of an idle channel may start. */
  private nextStart(c: ChannelState): { at: number; index: number } | null {
    if (c.current || c.queue.length === 0) return null;
    const sifs = c.queue.findIndex((f) => f.options.sifs);
    const index = sifs >= 0 ? sifs : 0;
    const wait = (sifs >= 0 ? SIFS_US : DIFS_US) * TICKS_PER_MICROSECOND;
    return { at: Math.max(this.clock.now, c.idleSince + wait), index };
  }

  /** Ends frames whose time is up, starts the ones whose wait is over, then sets the alarm. */
  private run(): void {
    for (;;) {
      const now = this.clock.now;
      let progressed = false;
      for (const [channel, c] of this.channels) {
        if (c.current && c.current.end <= now) {
          const f = c.current;
          c.current = null;
          c.idleSince = f.end;
          this.deliver(f);
          f.options.onEnd?.(f.start, f.end);
          progressed = true;
        }
        const next = this.nextStart(c);
        if (next && next.at <= now) {
          const [f] = c.queue.splice(next.index, 1);
          f.start = now;
          f.end = now + Math.round(airtimeMicros(f.mpdu.length, f.tx) * TICKS_PER_MICROSECOND);
          f.channel = channel;
          c.current = f;
          progressed = true;
        }
      }
      if (!progressed) break;
    }
    let wake = Infinity;
    for (const c of this.channels.values()) {
      if (c.current) wake = Math.min(wake, c.current.end);
      const next = this.nextStart(c);
      if (next) wake = Math.min(wake, next.at);
    }
    if (wake === Infinity) this.alarm.cancel();
    else if (this.alarm.at !== wake) this.alarm.scheduleAt(wake);
  }

  private deliver(f: InFlight): void {
    for (const r of [...this.radios]) {
      if (r === f.from) continue;
      if (!r.monitor && r.channel !== f.channel) continue;
      const rssi = this.rssi(f.from, r, f.channel);
      if (!r.monitor) {
        if (rssi < sensitivityDbm(f.tx)) continue;
        const loss = this.links.get(f.from)?.get(r)?.loss ?? this.defaultLoss;
        if (loss > 0 && this.prng.next() < loss) continue;
      }
      const info: RxInfo = {
        channel: f.channel,
        rateMbps: rateMbpsOf(f.tx),
        rssi,
        noise: r.noiseFloorDbm,
        start: f.start,
        end: f.end,
      };
      if (f.tx.mcs !== undefined) info.mcs = f.tx.mcs;
      if (f.tx.shortPreamble) info.shortPreamble = true;
      r.receive(f.mpdu.slice(), info, f.from);
    }
  }
}
