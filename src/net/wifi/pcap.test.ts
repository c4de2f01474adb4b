import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Air } from './air.ts';
import { AccessPoint, ethernetFrame } from './access-point.ts';
import { BROADCAST, parseMac } from './mac-address.ts';
import { AirCapture, PcapWriter, radiotapHeader } from './pcap.ts';
import { VirtualStation, type ConnectResult } from './station.ts';
import { TestClock } from './testing.ts';
import { TestLan } from './test-lan.ts';

const SSID = 'v8266-net';
const PASS = 'correct horse battery';

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** An IPv4/UDP packet with valid header checksum, so tshark dissects it fully. */
function ipv4Udp(src: number[], dst: number[], payload: Uint8Array): Uint8Array {
  const p = new Uint8Array(20 + 8 + payload.length);
  const v = new DataView(p.buffer);
  p[0] = 0x45;
  v.setUint16(2, p.length);
  p[8] = 64;
  p[9] = 17;
  p.set(src, 12);
  p.set(dst, 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += v.getUint16(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  v.setUint16(10, ~sum & 0xffff);
  v.setUint16(20, 5000);
  v.setUint16(22, 7);
  v.setUint16(24, 8 + payload.length);
  p.set(payload, 28);
  return p;
}

describe('pcap writer', () => {
  it('writes the pcap header and a radiotap header per frame', () => {
    const w = new PcapWriter();
    const rt = radiotapHeader({
      channel: 6,
      rateMbps: 11,
      rssi: -40,
      noise: -95,
      start: 0,
      end: 0,
    });
    expect(Array.from(rt)).toEqual([
      0,
      0,
      16,
      0,
      0x6e,
      0,
      0,
      0,
      0,
      22,
      0x85,
      0x09,
      0xa0,
      0x00,
      256 - 40,
      256 - 95,
    ]);
    w.add(1_500_000.7, Uint8Array.of(1, 2));
    const b = w.bytes();
    const v = new DataView(b.buffer);
    expect(v.getUint32(0, true)).toBe(0xa1b2c3d4);
    expect(v.getUint32(20, true)).toBe(127);
    expect([v.getUint32(24, true), v.getUint32(28, true), v.getUint32(32, true)]).toEqual([
      1, 500_000, 2,
    ]);
    const ht = radiotapHeader({
      channel: 1,
      rateMbps: 65,
      mcs: 7,
      rssi: -60,
      noise: -95,
      start: 0,
      end: 0,
    });
    expect(ht.length).toBe(19);
    expect(Array.from(ht.subarray(16))).toEqual([7, 0, 7]);
  });
});

describe.skipIf(!hasTshark())(
  'tshark reads our capture of a WPA2 association and data exchange',
  () => {
    if (!hasTshark())
      console.warn('tshark is not installed: skipping the capture checks (apt-get install tshark)');

    const t = new TestClock();
    const air = new Air(t.clock, { seed: 3 });
    const capture = new AirCapture(air);
    const lan = new TestLan();
    const ap = new AccessPoint(air, {
      ssid: SSID,
      bssid: parseMac('02:00:00:00:01:00'),
      channel: 11,
      passphrase: PASS,
      lan,
    });
    const sta = new VirtualStation(air, {
      mac: parseMac('5c:cf:7f:00:00:01'),
      position: { x: 8, y: 0 },
    });
    let r: ConnectResult | undefined;
    sta.connect({ ssid: SSID, passphrase: PASS }, (x) => (r = x));
    t.runUntilTrue(() => r !== undefined, 10_000_000, 'connect');
    t.runFor(10_000); // the AP opens its port when message 4 arrives, just after the station's
    const hostMac = parseMac('02:00:00:00:00:01');
    const port = lan.attach({ receive: () => {} });
    for (let i = 0; i < 3; i++) {
      sta.send(
        ethernetFrame(
          hostMac,
          sta.config.mac,
          0x0800,
          ipv4Udp([192, 168, 4, 2], [192, 168, 4, 1], new TextEncoder().encode(`up ${i}`)),
        ),
      );
      port.send(
        ethernetFrame(
          sta.config.mac,
          hostMac,
          0x0800,
          ipv4Udp([192, 168, 4, 1], [192, 168, 4, 2], new TextEncoder().encode(`down ${i}`)),
        ),
      );
      t.runFor(20_000);
    }
    port.send(
      ethernetFrame(
        BROADCAST,
        hostMac,
        0x0800,
        ipv4Udp([192, 168, 4, 1], [255, 255, 255, 255], Uint8Array.of(1)),
      ),
    );
    ap.rekeyGroup();
    t.runFor(300_000);
    port.send(
      ethernetFrame(
        BROADCAST,
        hostMac,
        0x0800,
        ipv4Udp([192, 168, 4, 1], [255, 255, 255, 255], Uint8Array.of(2)),
      ),
    );
    t.runFor(200_000);
    const file = join(mkdtempSync(join(tmpdir(), 'v8266-wifi-')), 'wpa2.pcap');
    writeFileSync(file, capture.stop());

    const tshark = (...args: string[]) =>
      execFileSync('tshark', ['-n', '-r', file, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const withKeys = [
      '-o',
      'wlan.enable_decryption:TRUE',
      '-o',
      `uat:80211_keys:"wpa-pwd","${PASS}:${SSID}"`,
    ];
    const count = (out: string) => out.split('\n').filter((l) => l.trim() !== '').length;

    it('the association succeeded', () => {
      expect(r).toMatchObject({ ok: true });
    });

    it('has no malformed packets and no error-level expert info', () => {
      expect(count(tshark('-Y', '_ws.malformed'))).toBe(0);
      expect(
        count(tshark(...withKeys, '-Y', '_ws.malformed || _ws.expert.severity == error')),
      ).toBe(0);
    });

    it('dissects beacons, the exchange and the four EAPOL-Key messages', () => {
      const out = tshark('-T', 'fields', '-e', 'wlan.fc.type_subtype', '-e', 'wlan.ssid');
      const subtypes = new Set(
        out
          .split('\n')
          .map((l) => l.split('\t')[0])
          .filter(Boolean)
          .map((x) => parseInt(x, 16)),
      );
      for (const st of [0x08, 0x04, 0x05, 0x0b, 0x00, 0x01, 0x1d, 0x28])
        expect(subtypes.has(st), `subtype 0x${st.toString(16)}`).toBe(true);
      expect(out).toContain(Buffer.from(SSID).toString('hex'));
      const eapol = tshark('-Y', 'eapol', '-T', 'fields', '-e', 'wlan_rsna_eapol.keydes.msgnr');
      expect(eapol.split('\n').filter(Boolean).slice(0, 4)).toEqual(['1', '2', '3', '4']);
    });

    it('without the passphrase the data stays encrypted', () => {
      expect(count(tshark('-Y', 'ip'))).toBe(0);
      expect(
        count(tshark('-Y', 'wlan.fc.protected == 1 && wlan.ccmp.extiv')),
      ).toBeGreaterThanOrEqual(8);
    });

    it('with the passphrase tshark decrypts every CCMP data frame (our key derivation, checked independently)', () => {
      const out = tshark(
        ...withKeys,
        '-Y',
        'udp',
        '-T',
        'fields',
        '-e',
        'ip.src',
        '-e',
        'ip.dst',
        '-e',
        'udp.payload',
      );
      const lines = out.split('\n').filter(Boolean);
      const text = (hex: string) => Buffer.from(hex, 'hex').toString();
      expect(
        lines
          .filter((l) => l.startsWith('192.168.4.2\t192.168.4.1'))
          .map((l) => text(l.split('\t')[2])),
      ).toEqual(['up 0', 'up 1', 'up 2']);
      expect(
        lines
          .filter((l) => l.startsWith('192.168.4.1\t192.168.4.2'))
          .map((l) => text(l.split('\t')[2])),
      ).toEqual(['down 0', 'down 1', 'down 2']);
      // Both broadcasts: one under the first GTK (from message 3), one under the rekeyed GTK.
      expect(
        lines.filter((l) => l.includes('255.255.255.255')).map((l) => l.split('\t')[2]),
      ).toEqual(['01', '02']);
    });
  },
);
