import { describe, expect, it } from 'vitest';
import {
  WifiRate,
  type WifiKey,
  type WifiReception,
  type WifiTransmission,
} from '../board/peripherals/wifi-radio-port.ts';
import { BoardRadio, rateCodeOf, type BoardWifiMac } from './board-radio.ts';
import { Air } from './wifi/air.ts';
import { ccmpDecrypt, ccmpEncrypt } from './wifi/ccmp.ts';
import { MacLayer } from './wifi/mac-layer.ts';
import { TestClock } from './wifi/testing.ts';

const BOARD = Uint8Array.of(0x18, 0xfe, 0x34, 0, 0, 1);
const PEER = Uint8Array.of(0x02, 0x82, 0x66, 0, 0, 0);
const TK = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
const KEY: WifiKey = { slot: 3, cipher: 3, keyId: 0, key: TK };

class FakeMac implements BoardWifiMac {
  port: BoardWifiMac['port'] = null;
  onChannelChange: BoardWifiMac['onChannelChange'] = null;
  channel = 6;
  readonly received: WifiReception[] = [];
  readonly completions: boolean[] = [];
  receive(rx: WifiReception): boolean {
    this.received.push(rx);
    return true;
  }
  completeTransmission(acked: boolean): void {
    this.completions.push(acked);
  }
  rxKey(): WifiKey | null {
    return KEY;
  }
}

/** A data frame ToDS from the board to the peer: header, then `body`. */
function dataFrame(body: number[], fc1 = 0x01): Uint8Array {
  return Uint8Array.from([0x08, fc1, 0, 0, ...PEER, ...BOARD, ...PEER, 0x10, 0, ...body]);
}

function setup() {
  const t = new TestClock();
  const air = new Air(t.clock);
  const mac = new FakeMac();
  const radio = new BoardRadio(air, mac);
  const peer = new MacLayer(air, PEER, { channel: 6 });
  const heard: Uint8Array[] = [];
  peer.onReceive = (rx) => heard.push(rx.raw);
  return { t, mac, radio, peer, heard };
}

describe('BoardRadio', () => {
  it('sends a protected frame CCMP-encrypted with the PN the library wrote, and reports the ACK', () => {
    const { t, mac, radio, heard } = setup();
    // The library's frame: Protected, CCMP header (PN 5, key id 0, ExtIV), plaintext body.
    const mpdu = dataFrame(
      [5, 0, 0, 0x20, 0, 0, 0, 0, ...new TextEncoder().encode('secret')],
      0x41,
    );
    const tx: WifiTransmission = { mpdu, channel: 6, rate: WifiRate.CCK_11M, queue: 0, key: KEY };
    expect(radio.transmit(tx)).toBeNull();
    t.runFor(2000);
    expect(heard).toHaveLength(1);
    const opened = ccmpDecrypt(heard[0], TK);
    expect(opened?.pn).toBe(5n);
    expect(new TextDecoder().decode(opened!.mpdu.subarray(24))).toBe('secret');
    expect(mac.completions).toEqual([true]);
  });

  it('reports no ACK when nobody answers a unicast frame, and completes group frames at once', () => {
    const { t, mac, radio, peer } = setup();
    peer.detach();
    radio.transmit({
      mpdu: dataFrame([1, 2, 3]),
      channel: 6,
      rate: WifiRate.CCK_1M,
      queue: 0,
      key: null,
    });
    t.runFor(5000);
    const group = dataFrame([1]);
    group.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 4);
    radio.transmit({ mpdu: group, channel: 6, rate: WifiRate.CCK_1M, queue: 0, key: null });
    t.runFor(5000);
    expect(mac.completions).toEqual([false, true]);
    expect(radio.stats.ackTimeouts).toBe(1);
  });

  it('hands a received CCMP frame in decrypted (CCMP header kept) and acknowledges it', () => {
    const { t, mac, peer } = setup();
    let acked: boolean | undefined;
    const plain = Uint8Array.from([
      0x08,
      0x02,
      0,
      0,
      ...BOARD,
      ...PEER,
      ...PEER,
      0,
      0,
      0xaa,
      0xbb,
      0xcc,
    ]);
    peer.send(
      {
        type: 2,
        subtype: 0,
        fromDS: true,
        addr1: BOARD,
        addr2: PEER,
        addr3: PEER,
        body: Uint8Array.of(0xaa, 0xbb, 0xcc),
      },
      { transform: (m) => ccmpEncrypt(m, TK, 9n), onDone: (a) => (acked = a) },
    );
    t.runFor(5000);
    expect(acked).toBe(true);
    expect(mac.received).toHaveLength(1);
    const rx = mac.received[0];
    expect(rx.decrypted).toBe(true);
    expect(rx.mpdu[1] & 0x40).toBe(0x40);
    expect([...rx.mpdu.subarray(24, 26)]).toEqual([9, 0]); // PN low bytes of the CCMP header
    expect([...rx.mpdu.subarray(32)]).toEqual([...plain.subarray(24)]);
    expect(rx.channel).toBe(6);
    expect(rx.rate).toBe(WifiRate.CCK_1M);
  });

  it('follows the MAC tuning and maps rates', () => {
    const { mac, radio } = setup();
    mac.onChannelChange!(11);
    expect(radio.radio.channel).toBe(11);
    expect(rateCodeOf({ rateMbps: 54 })).toBe(WifiRate.OFDM_54M);
    expect(rateCodeOf({ rateMbps: 65, mcs: 7 })).toBe(WifiRate.OFDM_54M);
  });
});
