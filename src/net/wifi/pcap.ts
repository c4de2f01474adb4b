/**
 * Captures of the air as pcap files (LINKTYPE_IEEE802_11_RADIOTAP = 127): each frame as a monitor
 * radio heard it, with a radiotap header (flags, rate or MCS, channel, signal and noise) and the
 * MPDU without FCS. Timestamps are simulated time. Wireshark/tshark read them directly.
 * Radiotap layout: https://www.radiotap.org (fields in bit order, each aligned to its size).
 */
import { TICKS_PER_MICROSECOND } from '../clock.ts';
import type { Air, Radio, RxInfo } from './air.ts';
import { DSSS_RATES } from './airtime.ts';
import { channelFrequencyMhz } from './regulatory.ts';

export const LINKTYPE_IEEE802_11_RADIOTAP = 127;

const PRESENT_FLAGS = 1 << 1;
const PRESENT_RATE = 1 << 2;
const PRESENT_CHANNEL = 1 << 3;
const PRESENT_SIGNAL = 1 << 5;
const PRESENT_NOISE = 1 << 6;
const PRESENT_MCS = 1 << 19;

const FLAG_SHORT_PREAMBLE = 0x02;
const CHAN_CCK = 0x0020;
const CHAN_OFDM = 0x0040;
const CHAN_2GHZ = 0x0080;
const CHAN_DYN = 0x0400;
/** MCS known: bandwidth, MCS index, guard interval. */
const MCS_KNOWN = 0x07;

export function radiotapHeader(info: RxInfo): Uint8Array {
  const ht = info.mcs !== undefined;
  const len = ht ? 19 : 16;
  const b = new Uint8Array(len);
  const v = new DataView(b.buffer);
  const present =
    PRESENT_FLAGS |
    PRESENT_CHANNEL |
    PRESENT_SIGNAL |
    PRESENT_NOISE |
    (ht ? PRESENT_MCS : PRESENT_RATE);
  v.setUint16(2, len, true);
  v.setUint32(4, present, true);
  b[8] = info.shortPreamble ? FLAG_SHORT_PREAMBLE : 0;
  b[9] = ht ? 0 : Math.round(info.rateMbps * 2); // rate, or padding before the channel field
  const cck = !ht && DSSS_RATES.includes(info.rateMbps);
  v.setUint16(10, channelFrequencyMhz(info.channel), true);
  v.setUint16(12, CHAN_2GHZ | (cck ? CHAN_CCK : ht ? CHAN_DYN : CHAN_OFDM), true);
  v.setInt8(14, Math.max(-128, Math.min(127, info.rssi)));
  v.setInt8(15, Math.max(-128, Math.min(127, info.noise)));
  if (ht) {
    b[16] = MCS_KNOWN;
    b[17] = 0; // 20 MHz, long GI
    b[18] = info.mcs!;
  }
  return b;
}

/** A pcap file being written in memory. */
export class PcapWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  constructor(readonly linktype = LINKTYPE_IEEE802_11_RADIOTAP) {
    const h = new Uint8Array(24);
    const v = new DataView(h.buffer);
    v.setUint32(0, 0xa1b2c3d4, true);
    v.setUint16(4, 2, true);
    v.setUint16(6, 4, true);
    v.setUint32(16, 65535, true);
    v.setUint32(20, linktype, true);
    this.push(h);
  }

  private push(b: Uint8Array): void {
    this.chunks.push(b);
    this.size += b.length;
  }

  /** A packet at `micros` of simulated time. */
  add(micros: number, data: Uint8Array): void {
    const h = new Uint8Array(16);
    const v = new DataView(h.buffer);
    const us = Math.floor(micros);
    v.setUint32(0, Math.floor(us / 1_000_000), true);
    v.setUint32(4, us % 1_000_000, true);
    v.setUint32(8, data.length, true);
    v.setUint32(12, data.length, true);
    this.push(h);
    this.push(data.slice());
  }

  /** The file's size so far. */
  get byteLength(): number {
    return this.size;
  }

  get packets(): number {
    return (this.chunks.length - 1) / 2;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let p = 0;
    for (const c of this.chunks) {
      out.set(c, p);
      p += c.length;
    }
    return out;
  }
}

export interface AirCaptureOptions {
  /** Stop recording once the file reaches this size (frames after it are counted, not kept). */
  limitBytes?: number;
}

/** Records every frame on the air (all channels) until `stop()`. */
export class AirCapture {
  readonly pcap = new PcapWriter();
  /** Frames not recorded because the file reached `limitBytes`. */
  missed = 0;
  private readonly radio: Radio;

  constructor(air: Air, options: AirCaptureOptions = {}) {
    const limit = options.limitBytes ?? Infinity;
    this.radio = air.attach(
      (mpdu, info) => {
        if (this.pcap.byteLength >= limit) {
          this.missed++;
          return;
        }
        const rt = radiotapHeader(info);
        const rec = new Uint8Array(rt.length + mpdu.length);
        rec.set(rt);
        rec.set(mpdu, rt.length);
        // Stamped with the frame's start, as a capture card stamps the first symbol.
        this.pcap.add(info.start / TICKS_PER_MICROSECOND, rec);
      },
      { monitor: true, name: 'capture' },
    );
  }

  stop(): Uint8Array {
    this.radio.detach();
    return this.pcap.bytes();
  }
}
