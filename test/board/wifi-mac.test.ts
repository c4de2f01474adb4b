/**
 * The Wi-Fi MAC model driven the way libpp drives the chip (docs/wifi-mac.md): descriptors and
 * frames in DRAM, the queue words and "go", the RX ring, filters, timers and the key table.
 */
import { describe, expect, it } from 'vitest';
import { TICKS_PER_MICROSECOND } from '../../src/board/clock.ts';
import { RecordingLine, TestClock } from '../../src/board/peripherals/testing.ts';
import { WifiDma } from '../../src/board/peripherals/wifi-dma.ts';
import {
  KEY_VALID_BITMAP,
  CRYPTO_ENABLE_IF0,
  CRYPTO_ENABLE_IF1,
} from '../../src/board/peripherals/wifi-key-table.ts';
import {
  keySlotAddress,
  TxResult,
  WifiInt,
  WifiMac,
  WifiReg,
} from '../../src/board/peripherals/wifi-mac.ts';
import {
  airtimeMicros,
  WifiRate,
  type WifiTransmission,
} from '../../src/board/peripherals/wifi-radio-port.ts';
import { fcs } from '../../src/board/peripherals/wifi-rx-control.ts';

const DRAM = 0x3ffe8000;
const STA = [0x18, 0xfe, 0x34, 0xa1, 0xb2, 0xc3];
const AP = [0x02, 0x82, 0x66, 0x00, 0x00, 0x01];
const BCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

class Window {
  private readonly words = new Map<number, number>();
  read(a: number): number {
    return this.words.get(a) ?? 0;
  }
  write(a: number, v: number): void {
    this.words.set(a, v >>> 0);
  }
  reset(): void {
    this.words.clear();
  }
}

function rig() {
  const t = new TestClock();
  const dram = new Uint8Array(0x18000);
  const dma = new WifiDma(dram, DRAM);
  const irq = new RecordingLine();
  const mac = new WifiMac({ clock: t.clock, irq, dma, window: new Window() });
  const sent: WifiTransmission[] = [];
  let acked = true;
  mac.port = {
    transmit(tx) {
      sent.push(tx);
      return { acked };
    },
  };
  return {
    t,
    dma,
    mac,
    irq,
    sent,
    setAcked: (v: boolean) => (acked = v),
    w: (a: number, v: number) => mac.write(a, v),
    r: (a: number) => mac.read(a),
  };
}

type Rig = ReturnType<typeof rig>;

/** Program a MAC address filter the way wDev_SetMacAddress / wDev_SetRxPolicy do. */
function setFilter(r: Rig, addr: number, mask: number, mac: number[], maskBytes = 0xff, on = true) {
  r.w(addr, mac[0] | (mac[1] << 8) | (mac[2] << 16) | (mac[3] << 24));
  r.w(addr + 4, mac[4] | (mac[5] << 8));
  const m = maskBytes ? 0xffffffff : 0;
  r.w(mask, m);
  r.w(mask + 4, (m & 0xffff) | (on ? 1 << 16 : 0));
}

function header(fc0: number, a1: number[], a2: number[], a3: number[], fc1 = 0): number[] {
  return [fc0, fc1, 0, 0, ...a1, ...a2, ...a3, 0x10, 0];
}

/** A frame in DRAM with its descriptor, queued on `q` and started like wDev_EnableTransmit. */
function queueFrame(
  r: Rig,
  q: number,
  frame: number[],
  opts: { ack?: boolean; backoff?: number } = {},
) {
  const buf = 0x3fff0000;
  const desc = 0x3fff0800;
  const withFcs = [...frame, 0, 0, 0, 0];
  r.dma.setBytes(buf, Uint8Array.from(withFcs));
  r.dma.setWord(desc, (1 << 31) | (1 << 30) | (withFcs.length << 12) | withFcs.length);
  r.dma.setWord(desc + 4, buf);
  r.dma.setWord(desc + 8, 0);
  const base = WifiReg.TX_QUEUE0 - 0x18 * q;
  const w0 = (desc & 0x3ffff) | ((opts.ack === false ? 0 : 1) << 24);
  r.w(base + 4, w0);
  r.w(base + 8, withFcs.length | (WifiRate.CCK_1M << 12));
  r.w(base, (opts.backoff ?? 0) << 12);
  r.w(base + 4, (w0 | 0xc0000000) >>> 0);
  return { base, desc };
}

/** The RX ring as wDev_Initialize leaves it: `n` buffers, then the dummy terminator. */
function rxRing(r: Rig, n: number, size = 1600) {
  const descs: number[] = [];
  const dummy = 0x3fff8000;
  r.dma.setWord(dummy, (1 << 31) | 4);
  for (let i = 0; i < n; i++) {
    const d = 0x3fff8100 + 12 * i;
    descs.push(d);
    r.dma.setWord(d, (1 << 31) | (size << 12) | size);
    r.dma.setWord(d + 4, 0x3ffe9000 + 0x700 * i);
  }
  descs.forEach((d, i) => r.dma.setWord(d + 8, descs[i + 1] ?? dummy));
  r.w(WifiReg.RX_NEXT_DESC, descs[0]);
  r.w(WifiReg.RX_CONFIG, 1 << 31);
  return descs;
}

function reception(mpdu: number[], extra: Partial<Parameters<WifiMac['receive']>[0]> = {}) {
  return {
    mpdu: Uint8Array.from(mpdu),
    rssiDbm: -50,
    noiseFloorDbm: -95,
    channel: 6,
    rate: WifiRate.CCK_1M,
    ...extra,
  };
}

const PROBE_REQ = [...header(0x40, BCAST, STA, BCAST), 0, 0, 1, 1, 0x82];

describe('WifiMac transmit', () => {
  it('sends the queued frame without its FCS, raises TX start then TX done with result 0', () => {
    const r = rig();
    r.w(WifiReg.INT_ENABLE, WifiInt.TX_START | WifiInt.TX_DONE);
    const frame = header(0xb0, AP, STA, AP); // authentication, unicast
    const { base } = queueFrame(r, 0, frame, { backoff: 3 });
    expect(r.sent).toHaveLength(0);
    expect(r.r(base + 4) >>> 31).toBe(1); // not taken yet: lmacDisableTransmit could still cancel

    r.t.runUntil(r.t.clock.now + (28 + 3 * 9) * TICKS_PER_MICROSECOND);
    expect(r.sent).toHaveLength(1);
    expect([...r.sent[0].mpdu]).toEqual(frame);
    expect(r.sent[0].queue).toBe(0);
    expect(r.r(WifiReg.INT_STATUS)).toBe(WifiInt.TX_START);
    expect(r.r(base + 4) >>> 31).toBe(0); // taken
    expect(r.irq.level).toBe(true);
    r.w(WifiReg.INT_ACK, WifiInt.TX_START);
    expect(r.irq.level).toBe(false);

    const air = airtimeMicros(frame.length + 4, WifiRate.CCK_1M) + 10 + airtimeMicros(14, 0);
    r.t.runUntil(r.t.clock.now + (air - 1) * TICKS_PER_MICROSECOND);
    expect(r.r(WifiReg.INT_STATUS)).toBe(0);
    r.t.runUntil(r.t.clock.now + 2 * TICKS_PER_MICROSECOND);
    expect(r.r(WifiReg.INT_STATUS)).toBe(WifiInt.TX_DONE);
    expect(r.r(WifiReg.TX_EVENT)).toBe((TxResult.OK << 28) >>> 0);
  });

  it('reports ACK timeout (5) for a unicast frame nobody acknowledged, with the queue number', () => {
    const r = rig();
    r.setAcked(false);
    queueFrame(r, 2, header(0xb0, AP, STA, AP));
    r.t.runUntil(r.t.clock.now + 5000 * TICKS_PER_MICROSECOND);
    expect(r.r(WifiReg.INT_STATUS)).toBe(WifiInt.TX_START | WifiInt.TX_DONE);
    expect(r.r(WifiReg.TX_EVENT)).toBe(((TxResult.ACK_TIMEOUT << 28) | (2 << 12)) >>> 0);
  });

  it('group frames succeed without an ACK', () => {
    const r = rig();
    r.setAcked(false);
    queueFrame(r, 0, PROBE_REQ);
    r.t.runUntil(r.t.clock.now + 5000 * TICKS_PER_MICROSECOND);
    expect(r.r(WifiReg.TX_EVENT) >>> 28).toBe(TxResult.OK);
  });

  it('a frame withdrawn (W0 bit 30 cleared) before it went out is never sent', () => {
    const r = rig();
    const { base } = queueFrame(r, 0, PROBE_REQ, { backoff: 10 });
    r.w(base + 4, r.r(base + 4) & ~(1 << 30));
    r.t.runUntil(r.t.clock.now + 5000 * TICKS_PER_MICROSECOND);
    expect(r.sent).toHaveLength(0);
    expect(r.r(WifiReg.INT_STATUS)).toBe(0);
  });

  it('a TKIP-protected frame: the queued length counts 12 bytes of room past the body, not sent', () => {
    // The SoftAP's DHCP OFFER under its TKIP group key: AT 3.0.6 queues IP length + 12 (Michael
    // MIC and ICV); AT 2.0.0 16 bytes more, which stay in the body (docs/wifi-mac.md §7).
    const r = rig();
    const SOFTAP = [0x1a, 0xfe, 0x34, 0xa1, 0xb2, 0xc3];
    const slot = keySlotAddress(4);
    r.w(slot, SOFTAP[0] | (SOFTAP[1] << 8) | (SOFTAP[2] << 16) | (SOFTAP[3] << 24));
    r.w(slot + 4, (SOFTAP[4] | (SOFTAP[5] << 8) | (2 << 18) | (1 << 24) | (1 << 30)) >>> 0);
    r.w(KEY_VALID_BITMAP, 1 << 4);
    r.w(CRYPTO_ENABLE_IF1, 0x30303);
    const body = [0xaa, 0xaa, 3, 0, 0, 0, 8, 0, 0x45, 0, 0, 20];
    const tkipIv = [0, 0x20, 1, 0x60, 0, 0, 0, 0];
    const frame = [...header(0x08, BCAST, SOFTAP, SOFTAP, 0x42), ...tkipIv, ...body];
    queueFrame(r, 0, [...frame, ...new Array(12).fill(0xee)], { ack: false });
    r.t.runUntil(r.t.clock.now + 5000 * TICKS_PER_MICROSECOND);
    expect(r.sent).toHaveLength(1);
    expect([...r.sent[0].mpdu]).toEqual(frame);
    expect(r.sent[0].key).toMatchObject({ slot: 4, cipher: 2, keyId: 1 });
  });

  it('tells the port the channel the radio is tuned to', () => {
    const r = rig();
    r.mac.tune(11);
    queueFrame(r, 0, PROBE_REQ);
    r.t.runUntil(r.t.clock.now + 5000 * TICKS_PER_MICROSECOND);
    expect(r.sent[0].channel).toBe(11);
  });
});

describe('WifiMac receive', () => {
  it('writes RxControl, the MPDU and the FCS into the current descriptor and raises RX done', () => {
    const r = rig();
    r.w(WifiReg.INT_ENABLE, WifiInt.RX_DONE);
    setFilter(r, WifiReg.MAC0, WifiReg.MAC_MASK0, STA);
    const descs = rxRing(r, 2);
    const mpdu = [...header(0x50, STA, AP, AP), 1, 2, 3, 4];
    expect(r.mac.receive(reception(mpdu, { rssiDbm: -48, rate: WifiRate.OFDM_6M }))).toBe(true);

    expect(r.r(WifiReg.RX_LAST_DESC)).toBe(descs[0]);
    expect(r.r(WifiReg.RX_NEXT_DESC)).toBe(descs[1]);
    expect(r.irq.level).toBe(true);
    const w0 = r.dma.word(descs[0]);
    const total = 12 + mpdu.length + 4;
    expect(w0 & (1 << 30)).not.toBe(0); // EOF
    expect((w0 >>> 12) & 0xfff).toBe(total);
    expect(w0 & 0xfff).toBe(1600); // size kept
    const buf = r.dma.bytes(r.dma.word(descs[0] + 4), total);
    const rx0 = r.dma.word(r.dma.word(descs[0] + 4));
    expect(rx0 & 0xff).toBe(-48 + 96);
    expect((rx0 >>> 8) & 15).toBe(WifiRate.OFDM_6M);
    expect((rx0 >>> 14) & 3).toBe(0); // sig_mode: legacy
    expect((rx0 >>> 16) & 0xfff).toBe(mpdu.length + 4);
    expect(rx0 >>> 28).toBe(0b0101); // damatch0, bssidmatch0 (BSSID filter off)
    expect([...buf.subarray(12, 12 + mpdu.length)]).toEqual(mpdu);
    expect([...buf.subarray(12 + mpdu.length)]).toEqual([...fcs(Uint8Array.from(mpdu))]);
  });

  it('reports the first descriptor and how many it filled since RX done was last clear (RTOS SDK 1.0 asserts on them)', () => {
    // RTOS SDK 1.0.0 wDev_ProcessFiq, on RX done outside sniffer mode: 0x3FF2001C must be the
    // ring head it keeps ("wdev.c 1166"), and lldesc_num2link(0x3FF2001C, 0x3FF20018 [7:0]) must
    // be 0x3FF20014 (line 1171); with a count of 1 the frame goes up, 2 or more are recycled.
    const r = rig();
    r.w(WifiReg.INT_ENABLE, WifiInt.RX_DONE);
    setFilter(r, WifiReg.MAC0, WifiReg.MAC_MASK0, STA);
    const descs = rxRing(r, 4);
    const frame = () => reception([...header(0x50, STA, AP, AP), 1, 2, 3, 4]);
    const report = () => [
      r.r(WifiReg.RX_FIRST_DESC),
      r.r(WifiReg.RX_DESC_COUNT) & 0xff,
      r.r(WifiReg.RX_LAST_DESC),
    ];
    expect(report()).toEqual([0, 0, 0]);

    expect(r.mac.receive(frame())).toBe(true);
    expect(report()).toEqual([descs[0], 1, descs[0]]);
    r.w(WifiReg.INT_ACK, WifiInt.RX_DONE);

    expect(r.mac.receive(frame())).toBe(true);
    expect(report()).toEqual([descs[1], 1, descs[1]]);
    r.w(WifiReg.INT_ACK, WifiInt.RX_DONE);

    // Two frames before the interrupt is served: one report covering both.
    expect(r.mac.receive(frame())).toBe(true);
    expect(r.mac.receive(frame())).toBe(true);
    expect(report()).toEqual([descs[2], 2, descs[3]]);

    // Read-only: the library never writes them.
    r.w(WifiReg.RX_FIRST_DESC, 0x1234);
    r.w(WifiReg.RX_DESC_COUNT, 7);
    expect(report()).toEqual([descs[2], 2, descs[3]]);
  });

  it('never fills a descriptor whose next is 0 (the dummy terminator): the frame is dropped', () => {
    const r = rig();
    setFilter(r, WifiReg.MAC0, WifiReg.MAC_MASK0, STA);
    rxRing(r, 1);
    expect(
      r.mac.receive(reception(PROBE_REQ.map((b, i) => (i >= 4 && i < 10 ? STA[i - 4] : b)))),
    ).toBe(true);
    expect(r.mac.receive(reception(header(0x50, STA, AP, AP)))).toBe(false); // only the dummy left
    expect(r.mac.stats.rxDropped).toBe(1);
  });

  it('delivers nothing while RX is off or the frame is on another channel', () => {
    const r = rig();
    setFilter(r, WifiReg.MAC0, WifiReg.MAC_MASK0, STA);
    rxRing(r, 3);
    r.mac.tune(1);
    expect(r.mac.receive(reception(header(0x80, BCAST, AP, AP), { channel: 6 }))).toBe(false);
    r.mac.tune(6);
    r.w(WifiReg.RX_CONFIG, 0);
    expect(r.mac.receive(reception(header(0x80, BCAST, AP, AP)))).toBe(false);
    r.w(WifiReg.RX_CONFIG, 1 << 31);
    expect(r.mac.receive(reception(header(0x80, BCAST, AP, AP)))).toBe(true);
  });

  it('counts every reception ended on the tuned channel while RX is on, filtered or not (RTOS SDK 3.4 RX-hang check)', () => {
    // lmac_check_ac (libpp, RTOS SDK 3.4) resets the MAC ("E:RX") when WDEVRX_END_CNT has not
    // changed in 2 s while RX is on: it must move with the air's traffic, not only ours.
    const r = rig();
    setFilter(r, WifiReg.MAC0, WifiReg.MAC_MASK0, STA);
    setFilter(r, WifiReg.BSSID0, WifiReg.BSSID_MASK0, AP);
    rxRing(r, 1);
    r.mac.tune(6);
    const ended = () => r.r(WifiReg.RX_END_COUNT);
    expect(ended()).toBe(0);
    expect(r.mac.receive(reception(header(0x80, BCAST, AP, AP)))).toBe(true);
    expect(ended()).toBe(1);
    const other = [0x02, 0, 0, 0, 0, 9];
    expect(r.mac.receive(reception(header(0x08, other, other, other, 2)))).toBe(false); // filtered
    expect(r.mac.receive(reception(header(0x80, BCAST, AP, AP)))).toBe(false); // no descriptor
    expect(ended()).toBe(3);
    r.mac.receive(reception(header(0x80, BCAST, AP, AP), { channel: 1 })); // another channel
    r.w(WifiReg.RX_CONFIG, 0);
    r.mac.receive(reception(header(0x80, BCAST, AP, AP))); // receiver off
    expect(ended()).toBe(3);
    // wdev_hw_mac_reset writes back the words it saved: the count goes on from there.
    r.w(WifiReg.RX_END_COUNT, 3);
    r.w(WifiReg.RX_CONFIG, 1 << 31);
    r.mac.receive(reception(header(0x80, BCAST, AP, AP)));
    expect(ended()).toBe(4);
  });

  it('match bits: a station-only MAC never reports interface 1; frames for others are filtered', () => {
    const r = rig();
    setFilter(r, WifiReg.MAC0, WifiReg.MAC_MASK0, STA);
    setFilter(r, WifiReg.MAC1, WifiReg.MAC_MASK1, AP, 0xff, false);
    setFilter(r, WifiReg.BSSID0, WifiReg.BSSID_MASK0, AP);
    const descs = rxRing(r, 4);
    const word0 = (d: number) => r.dma.word(r.dma.word(d + 4));
    r.mac.receive(reception(header(0x80, BCAST, AP, AP))); // our AP's beacon
    expect(word0(descs[0]) >>> 28).toBe(0b0101);
    const other = [0x02, 0, 0, 0, 0, 9];
    r.mac.receive(reception(header(0x80, BCAST, other, other))); // a foreign beacon
    expect(word0(descs[1]) >>> 28).toBe(0b0001);
    // unicast to someone else, foreign BSS: no match, not stored
    expect(r.mac.receive(reception(header(0x08, other, other, other, 2)))).toBe(false);
  });

  it('match bits: the SoftAP interface is off while its BSSID filter is off, even with its own address enabled (SDK 0.9.5 station mode)', () => {
    // SDK 0.9.5's wifi.setmode(STATION) leaves the own-address filter 1 enabled and only clears
    // BSSID filter 1; its pp hands any frame with damatch1/bssidmatch1 to hostap_input, so a
    // beacon or probe response reported with those bits never reaches the scan.
    const r = rig();
    const SOFTAP = [0x1a, 0xfe, 0x34, 0xa1, 0xb2, 0xc3];
    setFilter(r, WifiReg.MAC0, WifiReg.MAC_MASK0, STA);
    setFilter(r, WifiReg.MAC1, WifiReg.MAC_MASK1, SOFTAP);
    setFilter(r, WifiReg.BSSID0, WifiReg.BSSID_MASK0, BCAST, 0xff, false);
    setFilter(r, WifiReg.BSSID1, WifiReg.BSSID_MASK1, BCAST, 0xff, false);
    const descs = rxRing(r, 6);
    const word0 = (d: number) => r.dma.word(r.dma.word(d + 4));
    r.mac.receive(reception(header(0x80, BCAST, AP, AP))); // a beacon while scanning
    expect(word0(descs[0]) >>> 28).toBe(0b0101); // damatch0, bssidmatch0 only
    r.mac.receive(reception(header(0x50, STA, AP, AP))); // the probe response to us
    expect(word0(descs[1]) >>> 28).toBe(0b0101);

    // SoftAP up: BSSID filter 1 holds the SoftAP's own address
    setFilter(r, WifiReg.BSSID1, WifiReg.BSSID_MASK1, SOFTAP);
    r.mac.receive(reception(header(0x40, BCAST, [0x02, 0, 0, 0, 0, 9], BCAST))); // wildcard probe
    // Both interfaces see a group frame, and the wildcard BSSID matches BSSID filter 1: without
    // bssidmatch1 pp hands it to the station only and the SoftAP of station+SoftAP mode never
    // answers a phone's probe (seen with RTOS SDK 1.5, seed guide A.2).
    expect(word0(descs[2]) >>> 28).toBe(0b1111);
    r.mac.receive(reception(header(0x08, SOFTAP, [0x02, 0, 0, 0, 0, 9], SOFTAP, 1))); // ToDS to it
    expect(word0(descs[3]) >>> 28).toBe(0b1110); // damatch1, bssidmatch1 (and bssidmatch0: filter 0 off)
  });

  it('sniffer mode (masks 0, filters enabled) stores every frame', () => {
    const r = rig();
    setFilter(r, WifiReg.MAC0, WifiReg.MAC_MASK0, STA, 0);
    setFilter(r, WifiReg.BSSID0, WifiReg.BSSID_MASK0, AP, 0);
    rxRing(r, 3);
    const other = [0x02, 0, 0, 0, 0, 9];
    expect(r.mac.receive(reception(header(0x08, other, other, other, 2)))).toBe(true);
  });

  it('a protected frame handed in decrypted gets the CCMP MIC space, if a key is installed', () => {
    const r = rig();
    setFilter(r, WifiReg.MAC0, WifiReg.MAC_MASK0, STA);
    const descs = rxRing(r, 3);
    const ccmpHeader = [1, 0, 0, 0x20, 0, 0, 0, 0];
    const mpdu = [...header(0x08, STA, AP, AP, 0x42), ...ccmpHeader, 0xaa, 0xaa, 3, 0, 0, 0];
    expect(r.mac.receive(reception(mpdu, { decrypted: true }))).toBe(false); // no key: dropped
    // wDev_Insert_KeyEntry: slot 2, peer = AP, CCMP, interface 0, key id 0; crypto on
    const slot = keySlotAddress(2);
    r.w(slot, AP[0] | (AP[1] << 8) | (AP[2] << 16) | (AP[3] << 24));
    r.w(slot + 4, AP[4] | (AP[5] << 8) | (3 << 18) | (6 << 21));
    r.w(KEY_VALID_BITMAP, 1 << 2);
    r.w(CRYPTO_ENABLE_IF0, 0x30303);
    expect(r.mac.receive(reception(mpdu, { decrypted: true }))).toBe(true);
    const rx0 = r.dma.word(r.dma.word(descs[0] + 4));
    expect((rx0 >>> 16) & 0xfff).toBe(mpdu.length + 8 + 4);
  });

  it("RTOS SDK 3.4's crypto-on word (0x30103, bit 9 clear) enables the interface's keys; 0x30000 is off", () => {
    // release/v3.4 wDev_Crypto_Conf writes 0x10103 or 0x10303 (| 0x20000, | bit 28 for WEP);
    // wDev_Crypto_Disable writes 0x30000. The station's pairwise frames must still be encrypted.
    const r = rig();
    const slot = keySlotAddress(6);
    r.w(slot, AP[0] | (AP[1] << 8) | (AP[2] << 16) | (AP[3] << 24));
    r.w(slot + 4, AP[4] | (AP[5] << 8) | (3 << 18) | (6 << 21));
    r.w(KEY_VALID_BITMAP, 1 << 6);
    const data = [...header(0x08, AP, STA, BCAST, 0x41), 1, 0, 0, 0x20, 0, 0, 0, 0, 0xaa, 0xaa];
    r.w(CRYPTO_ENABLE_IF0, 0x30103);
    queueFrame(r, 0, [...data, ...new Array(8).fill(0)], { ack: false });
    r.t.runUntil(r.t.clock.now + 2000 * TICKS_PER_MICROSECOND);
    expect(r.sent[0].key?.slot).toBe(6);
    r.w(CRYPTO_ENABLE_IF0, 0x30000);
    queueFrame(r, 0, [...data, ...new Array(8).fill(0)], { ack: false });
    r.t.runUntil(r.t.clock.now + 2000 * TICKS_PER_MICROSECOND);
    expect(r.sent[1].key).toBeNull();
  });
});

describe('WifiMac timers and registers', () => {
  it('MAC timer 1 raises INT 26 when the TSF reaches the compare value', () => {
    const r = rig();
    r.w(WifiReg.INT_ENABLE, WifiInt.TIMER1);
    r.w(WifiReg.TIMER1_LOW, 1500);
    r.w(WifiReg.TIMER1_HIGH, 0);
    r.w(WifiReg.TIMER1_CTRL, 1 << 31);
    r.t.runUntil(1499 * TICKS_PER_MICROSECOND);
    expect(r.irq.level).toBe(false);
    r.t.runUntil(1500 * TICKS_PER_MICROSECOND);
    expect(r.irq.level).toBe(true);
    expect(r.r(WifiReg.TSF_LOW)).toBe(1500);
    expect(r.r(WifiReg.TSF_HIGH)).toBe(0);
  });

  // The NONOS soft watchdog re-arms timer 1 every 1.6 s as wDev_MacTim1Arm does: LOW, HIGH, then
  // CTRL |= arm, the arm bit still set from the last round. When the compare carries into HIGH
  // (TSF near 2^32 µs, 71.6 min after reset) the LOW word alone names a time long past; firing
  // then restarted every NONOS image at 4294.6 s (rst cause 1), which a chip does not do.
  it('MAC timer 1 re-armed across the 2^32 µs carry fires at the new compare, not at once', () => {
    const r = rig();
    r.w(WifiReg.INT_ENABLE, WifiInt.TIMER1);
    const first = 2 ** 32 - 1_000_000;
    r.w(WifiReg.TIMER1_LOW, first);
    r.w(WifiReg.TIMER1_HIGH, 0);
    r.w(WifiReg.TIMER1_CTRL, 1 << 31);
    r.t.runUntil(first * TICKS_PER_MICROSECOND);
    expect(r.irq.level).toBe(true);
    r.w(WifiReg.INT_ACK, WifiInt.TIMER1);
    expect(r.irq.level).toBe(false);
    const next = first + 1_600_000;
    r.w(WifiReg.TIMER1_LOW, next >>> 0);
    // The CPU runs on between the two stores (a memw, a few instructions).
    r.t.runUntil((first + 1) * TICKS_PER_MICROSECOND);
    expect(r.irq.level).toBe(false);
    r.w(WifiReg.TIMER1_HIGH, 1);
    r.w(WifiReg.TIMER1_CTRL, r.r(WifiReg.TIMER1_CTRL) | (1 << 31));
    r.t.runUntil((next - 1) * TICKS_PER_MICROSECOND);
    expect(r.irq.level).toBe(false);
    r.t.runUntil(next * TICKS_PER_MICROSECOND);
    expect(r.irq.level).toBe(true);
    expect(r.r(WifiReg.TSF_HIGH)).toBe(1);
  });

  it('reads the MAC as idle for pm_check_mac_idle', () => {
    const r = rig();
    r.w(WifiReg.TX_BUSY, 0xffffffff);
    r.w(WifiReg.PHY_BUSY, 0xffffffff);
    expect(r.r(WifiReg.TX_BUSY) & 0xf).toBe(0);
    expect((r.r(WifiReg.PHY_BUSY) >>> 12) & 0xf).toBe(0);
  });
});

describe('WifiMac with an air that times frames itself', () => {
  it('transmit → null holds TX done until completeTransmission, which sets the result', () => {
    const r = rig();
    r.mac.port = { transmit: () => null };
    queueFrame(r, 1, header(0xb0, AP, STA, AP));
    r.t.runUntil(r.t.clock.now + 1000 * TICKS_PER_MICROSECOND);
    expect(r.r(WifiReg.INT_STATUS)).toBe(WifiInt.TX_START);
    r.mac.completeTransmission(false);
    expect(r.r(WifiReg.INT_STATUS)).toBe(WifiInt.TX_START | WifiInt.TX_DONE);
    expect(r.r(WifiReg.TX_EVENT)).toBe(((TxResult.ACK_TIMEOUT << 28) | (1 << 12)) >>> 0);
    r.mac.completeTransmission(true); // nothing in flight: ignored
    expect(r.r(WifiReg.TX_EVENT) >>> 28).toBe(TxResult.ACK_TIMEOUT);
  });
});
