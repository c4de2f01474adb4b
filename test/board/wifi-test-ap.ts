/**
 * A scripted access point for Wi-Fi MAC tests: it answers probe requests on its channel with a
 * probe response and, when asked, beacons every 102.4 ms and answers open authentication and
 * association. Frames are built here byte by byte (802.11-2016 §9.3.3), so the tests do not
 * depend on the virtual network in src/net.
 */
import type { SimClock } from '../../src/board/clock.ts';
import { TICKS_PER_MICROSECOND } from '../../src/board/clock.ts';
import type { WifiMac } from '../../src/board/peripherals/wifi-mac.ts';
import {
  airtimeMicros,
  WifiRate,
  type WifiRadioPort,
  type WifiTransmission,
  type WifiTxOutcome,
} from '../../src/board/peripherals/wifi-radio-port.ts';

export interface TestApOptions {
  ssid: string;
  bssid: readonly number[];
  channel: number;
  rssiDbm?: number;
  beacons?: boolean;
  /** Answer open-system authentication and association requests (status 0, AID 1). */
  associate?: boolean;
}

const TU_US = 1024;

export class TestAp implements WifiRadioPort {
  readonly sent: WifiTransmission[] = [];
  private seq = 0;
  private readonly bssid: Uint8Array;

  constructor(
    private readonly clock: SimClock,
    private readonly mac: WifiMac,
    private readonly options: TestApOptions,
  ) {
    this.bssid = Uint8Array.from(options.bssid);
    if (options.beacons) {
      const alarm = clock.createAlarm(() => {
        this.deliver(
          this.managementFrame(0x80, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])),
        );
        alarm.scheduleIn(100 * TU_US * TICKS_PER_MICROSECOND);
      }, 'test ap beacon');
      alarm.scheduleIn(100 * TU_US * TICKS_PER_MICROSECOND);
    }
  }

  transmit(tx: WifiTransmission): WifiTxOutcome {
    this.sent.push(tx);
    const m = tx.mpdu;
    const onChannel = tx.channel === 0 || tx.channel === this.options.channel;
    const toUs = m.length >= 10 && m.subarray(4, 10).every((b, i) => b === this.bssid[i]);
    const replyAt = airtimeMicros(m.length + 4, tx.rate) + 300;
    const sta = m.slice(10, 16);
    if (onChannel && m[0] === 0x40) {
      this.later(replyAt, () => this.deliver(this.managementFrame(0x50, sta)));
    }
    if (onChannel && toUs && this.options.associate) {
      // Authentication (open system, transaction 2, status 0).
      if (m[0] === 0xb0)
        this.later(replyAt, () => this.deliver(this.reply(0xb0, sta, [0, 0, 2, 0, 0, 0])));
      // Association response: capability, status 0, AID 1 | 0xC000, supported rates.
      if (m[0] === 0x00) {
        const rates = [0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24];
        const body = [0x01, 0x04, 0, 0, 0x01, 0xc0, 1, rates.length, ...rates];
        this.later(replyAt, () => this.deliver(this.reply(0x10, sta, body)));
      }
    }
    return { acked: onChannel && toUs };
  }

  private later(us: number, fn: () => void): void {
    const alarm = this.clock.createAlarm(fn, 'test ap reply');
    alarm.scheduleIn(us * TICKS_PER_MICROSECOND);
  }

  private deliver(mpdu: Uint8Array): void {
    this.mac.receive({
      mpdu,
      rssiDbm: this.options.rssiDbm ?? -48,
      noiseFloorDbm: -95,
      channel: this.options.channel,
      rate: WifiRate.CCK_1M,
    });
  }

  private reply(fc0: number, da: Uint8Array, body: number[]): Uint8Array {
    const seq = (this.seq++ & 0xfff) << 4;
    return Uint8Array.from([
      fc0,
      0,
      0,
      0,
      ...da,
      ...this.bssid,
      ...this.bssid,
      seq & 0xff,
      seq >> 8,
      ...body,
    ]);
  }

  /** Beacon (0x80) or probe response (0x50) to `da`. */
  managementFrame(fc0: number, da: Uint8Array): Uint8Array {
    const ssid = new TextEncoder().encode(this.options.ssid);
    const rates = [0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24];
    const bytes: number[] = [fc0, 0, 0, 0, ...da, ...this.bssid, ...this.bssid];
    const seq = (this.seq++ & 0xfff) << 4;
    bytes.push(seq & 0xff, seq >> 8);
    const tsf = Math.floor(this.clock.micros);
    for (let i = 0; i < 8; i++) bytes.push(i < 4 ? (tsf >>> (8 * i)) & 0xff : 0);
    bytes.push(100, 0); // beacon interval, TU
    bytes.push(0x01, 0x04); // capability: ESS, short slot time
    bytes.push(0, ssid.length, ...ssid);
    bytes.push(1, rates.length, ...rates);
    bytes.push(3, 1, this.options.channel);
    return Uint8Array.from(bytes);
  }
}
