import { describe, expect, it } from 'vitest';
import { TICKS_PER_MICROSECOND } from '../clock.ts';
import { Air } from './air.ts';
import { AccessPoint, ethernetFrame, type AccessPointConfig } from './access-point.ts';
import { ccmpDecrypt } from './ccmp.ts';
import { parseEapolKey, KeyInfo } from './eapol.ts';
import {
  buildAssocReqBody,
  parseAssocReqBody,
  parseAssocRespBody,
  Data,
  FrameType,
  Mgmt,
  Reason,
  Status,
  parseBeaconBody,
  parseFrame,
  parseReason,
  type Frame,
} from './frame.ts';
import { IeId, Suite, findIe, parseRsn, parseSsid, parseTim, ssidIe } from './ie.ts';
import { parseLlcSnap } from './llc.ts';
import { BROADCAST, macToString, parseMac } from './mac-address.ts';
import { VirtualStation, type ConnectResult, type ScanResult } from './station.ts';
import { TestClock } from './testing.ts';
import { TestLan } from './test-lan.ts';

const AP_MAC = parseMac('02:00:00:00:01:00');
const STA_MAC = parseMac('5c:cf:7f:00:00:01');
const STA2_MAC = parseMac('5c:cf:7f:00:00:02');
const HOST = parseMac('02:00:00:00:00:01');
const MS = 1000 * TICKS_PER_MICROSECOND;

interface Heard {
  frame: Frame;
  raw: Uint8Array;
  at: number;
}

function world(ap: Partial<AccessPointConfig> = {}, seed = 1) {
  const t = new TestClock();
  const air = new Air(t.clock, { seed });
  const lan = new TestLan();
  const heard: Heard[] = [];
  air.attach((raw) => heard.push({ frame: parseFrame(raw), raw, at: t.now }), { monitor: true });
  const a = new AccessPoint(air, { ssid: 'v8266', bssid: AP_MAC, channel: 6, lan, ...ap });
  return { t, air, lan, heard, ap: a };
}

function connect(
  t: TestClock,
  sta: VirtualStation,
  opts: { ssid: string; passphrase?: string },
): ConnectResult {
  let r: ConnectResult | undefined;
  sta.connect(opts, (x) => (r = x));
  t.runUntilTrue(() => r !== undefined, 20_000_000, 'connect');
  return r!;
}

const ofType = (h: Heard[], type: number, subtype: number) =>
  h.filter((x) => x.frame.type === type && x.frame.subtype === subtype);

describe('virtual AP: beacons and probes', () => {
  it('beacons every 100 TU with the configured elements, DTIM count cycling', () => {
    const { t, heard } = world({ dtimPeriod: 3 });
    t.runFor(1_000_000);
    const beacons = ofType(heard, FrameType.MGMT, Mgmt.BEACON);
    expect(beacons.length).toBe(10); // first TBTT at 1 TU, then every 102.4 ms
    const gaps = beacons.slice(1).map((b, i) => (b.at - beacons[i].at) / TICKS_PER_MICROSECOND);
    expect(new Set(gaps)).toEqual(new Set([102_400]));
    const bodies = beacons.map((b) => parseBeaconBody(b.frame.body));
    expect(bodies[0].interval).toBe(100);
    expect(bodies.map((b) => parseTim(findIe(b.ies, IeId.TIM)!.data).dtimCount)).toEqual([
      0, 2, 1, 0, 2, 1, 0, 2, 1, 0,
    ]);
    expect(parseSsid(findIe(bodies[0].ies, IeId.SSID)!.data)).toBe('v8266');
    expect(findIe(bodies[0].ies, IeId.RSN)).toBeUndefined();
    expect(bodies[1].timestamp).toBeGreaterThan(bodies[0].timestamp);
    expect(bodies[0].ies.map((e) => e.id)).toEqual([0, 1, 3, 5, 7, 42, 50, 45, 61, 221]);
  });

  it('scans: open and WPA2 APs on their channels with RSSI from distance; a hidden AP only by name', () => {
    const { t, air } = world();
    new AccessPoint(air, {
      ssid: 'secure',
      bssid: parseMac('02:00:00:00:02:00'),
      channel: 11,
      passphrase: 'correct horse',
      position: { x: 30, y: 0 },
    });
    new AccessPoint(air, {
      ssid: 'ghost',
      bssid: parseMac('02:00:00:00:03:00'),
      channel: 1,
      hidden: true,
    });
    const sta = new VirtualStation(air, { mac: STA_MAC, position: { x: 10, y: 0 } });
    let results: ScanResult[] = [];
    sta.scan({}, (r) => (results = r));
    t.runUntilTrue(() => sta.state === 'idle', 2_000_000);
    const byName = Object.fromEntries(
      results.map((r) => [r.ssid || `hidden ${macToString(r.bssid)}`, r]),
    );
    expect(byName['v8266']).toMatchObject({ channel: 6, wpa2: false, rssi: -50 });
    expect(byName['secure']).toMatchObject({
      channel: 11,
      wpa2: true,
      rssi: Math.round(20 - (20 * Math.log10(2462) - 27.55 + 30 * Math.log10(20))),
    });
    expect(results.find((r) => macToString(r.bssid) === '02:00:00:00:03:00')?.ssid ?? '').toBe('');
    sta.scan({ ssid: 'ghost', channels: [1] }, (r) => (results = r));
    t.runUntilTrue(() => sta.state === 'idle', 2_000_000);
    expect(results.map((r) => [r.ssid, r.hidden])).toEqual([['ghost', false]]);
  });
});

describe('virtual AP: open network', () => {
  it('authenticates, associates with AIDs, bridges to the LAN and back', () => {
    const { t, air, lan, ap, heard } = world();
    const s1 = new VirtualStation(air, { mac: STA_MAC });
    const s2 = new VirtualStation(air, { mac: STA2_MAC });
    expect(connect(t, s1, { ssid: 'v8266' })).toMatchObject({ ok: true, aid: 1 });
    expect(connect(t, s2, { ssid: 'v8266' })).toMatchObject({ ok: true, aid: 2 });
    expect(ap.events.map((e) => e.type)).toEqual([
      'authenticated',
      'associated',
      'authorized',
      'authenticated',
      'associated',
      'authorized',
    ]);
    const auth = ofType(heard, FrameType.MGMT, Mgmt.AUTH);
    expect(auth.length).toBeGreaterThanOrEqual(2);

    // Station → LAN: an Ethernet frame from the station's stack.
    s1.send(ethernetFrame(HOST, STA_MAC, 0x0800, Uint8Array.of(0x45, 1, 2, 3)));
    t.runFor(5000);
    expect(lan.frames.map((f) => macToString(f.subarray(0, 6)))).toEqual(['02:00:00:00:00:01']);
    const toDs = heard.filter(
      (h) => h.frame.type === FrameType.DATA && h.frame.toDS && !h.frame.protected,
    );
    expect(toDs.at(-1)!.frame.subtype).toBe(Data.QOS_DATA);

    // LAN → station, and LAN broadcast to both.
    const got1: Uint8Array[] = [];
    const got2: Uint8Array[] = [];
    s1.onEthernet = (e) => got1.push(e);
    s2.onEthernet = (e) => got2.push(e);
    const port = lan.attach({ receive: () => {} });
    port.send(ethernetFrame(STA_MAC, HOST, 0x0800, Uint8Array.of(9)));
    port.send(ethernetFrame(BROADCAST, HOST, 0x0806, new Uint8Array(28)));
    t.runFor(10_000);
    expect(got1.map((e) => e[12] * 256 + e[13])).toEqual([0x0800, 0x0806]);
    expect(got2.map((e) => e[12] * 256 + e[13])).toEqual([0x0806]);

    // Station to station through the AP (intra-BSS relay).
    s2.send(ethernetFrame(STA_MAC, STA2_MAC, 0x0800, Uint8Array.of(7)));
    t.runFor(10_000);
    expect(macToString(got1.at(-1)!.subarray(6, 12))).toBe(macToString(STA2_MAC));
  });

  it('reassociation keeps the AID and answers with a reassociation response', () => {
    const { t, air, ap, heard } = world();
    const sta = new VirtualStation(air, { mac: STA_MAC });
    connect(t, sta, { ssid: 'v8266' });
    sta.mac.send({
      type: FrameType.MGMT,
      subtype: Mgmt.REASSOC_REQ,
      addr1: AP_MAC,
      addr2: STA_MAC,
      addr3: AP_MAC,
      body: buildAssocReqBody({
        capability: 1,
        listenInterval: 3,
        currentAp: AP_MAC,
        ies: [ssidIe('v8266')],
      }),
    });
    t.runFor(10_000);
    const resp = ofType(heard, FrameType.MGMT, Mgmt.REASSOC_RESP).at(-1)!;
    expect(parseAssocRespBody(resp.frame.body)).toMatchObject({ status: 0, aid: 1 });
    expect(ap.stations.get(macToString(STA_MAC))!.aid).toBe(1);
  });

  it('refuses a station beyond max stations (status 17) and class-3 frames from strangers (reason 7)', () => {
    const { t, air, heard } = world({ maxStations: 1 });
    const s1 = new VirtualStation(air, { mac: STA_MAC });
    const s2 = new VirtualStation(air, { mac: STA2_MAC });
    expect(connect(t, s1, { ssid: 'v8266' }).ok).toBe(true);
    expect(connect(t, s2, { ssid: 'v8266' })).toMatchObject({
      ok: false,
      code: Status.AP_UNABLE_TO_HANDLE_NEW_STA,
    });
    // s2 is authenticated but not associated: its data is a class 3 frame.
    s2.state = 'connected';
    s2.bssid = AP_MAC;
    s2.send(ethernetFrame(HOST, STA2_MAC, 0x0800, new Uint8Array(4)));
    t.runFor(10_000);
    const deauth = ofType(heard, FrameType.MGMT, Mgmt.DEAUTH).at(-1)!;
    expect(macToString(deauth.frame.addr1)).toBe(macToString(STA2_MAC));
    expect(parseReason(deauth.frame.body)).toBe(Reason.CLASS3_FRAME_FROM_NONASSOC_STA);
  });

  it('a station whose AP goes silent counts it lost after 7 missed beacons (reason 4, no frame)', () => {
    const { t, air, ap } = world();
    const s = new VirtualStation(air, { mac: STA_MAC });
    const reasons: number[] = [];
    s.onDisconnected = (r) => reasons.push(r);
    expect(connect(t, s, { ssid: 'v8266' }).ok).toBe(true);
    t.runFor(1_000_000);
    expect(s.state).toBe('connected'); // beacons keep it
    ap.shutdown(false); // gone without a word (or moved to another channel)
    t.runFor(600_000);
    expect(s.state).toBe('connected');
    t.runFor(200_000); // 7 × 102.4 ms after the last beacon
    expect(s.state).toBe('idle');
    expect(reasons).toEqual([Reason.DISASSOC_DUE_TO_INACTIVITY]);
  });

  it('a station leaving is noticed; a silent one is polled and disassociated for inactivity (reason 4)', () => {
    const { t, air, ap, heard } = world({ maxInactivityS: 5 });
    const s1 = new VirtualStation(air, { mac: STA_MAC });
    const s2 = new VirtualStation(air, { mac: STA2_MAC });
    connect(t, s1, { ssid: 'v8266' });
    connect(t, s2, { ssid: 'v8266' });
    s1.disconnect();
    t.runFor(10_000);
    expect(ap.events.at(-1)).toMatchObject({
      type: 'deauthenticated',
      reason: Reason.DEAUTH_LEAVING,
      byStation: true,
    });
    s2.detach(); // gone without a word
    t.runFor(8_000_000);
    expect(ap.events.at(-1)).toMatchObject({
      type: 'disassociated',
      mac: macToString(STA2_MAC),
      reason: Reason.DISASSOC_DUE_TO_INACTIVITY,
    });
    const poll = heard.filter(
      (h) => h.frame.type === FrameType.DATA && h.frame.subtype === Data.NULL && h.frame.fromDS,
    );
    expect(poll.length).toBe(8); // the null-data poll and its 7 retries, never acknowledged
  });

  it('a dozing station is polled through its buffer: fetching the poll keeps it; never fetching it drops it', () => {
    const { t, air, ap } = world({ maxInactivityS: 5 });
    const sta = new VirtualStation(air, { mac: STA_MAC });
    connect(t, sta, { ssid: 'v8266' });
    sta.setPowerSave(true); // an ESP8266 in the SDK's modem sleep: radio off between beacons
    t.runFor(6_500_000);
    // The poll waits for it: its AID is in the TIM, and no disassociation came.
    expect(sta.lastTim?.aids).toEqual([1]);
    expect(ap.events.at(-1)?.type).toBe('authorized');
    sta.psPoll(); // it wakes for the TIM and fetches the poll (a null-data frame)
    t.runFor(150_000); // the next beacon's TIM
    expect(sta.lastTim?.aids ?? []).toEqual([]);
    t.runFor(6_000_000); // the next check polls again…
    expect(ap.events.at(-1)?.type).toBe('authorized');
    t.runFor(6_000_000); // …and when that poll is still there at the one after, it is gone
    expect(ap.events.at(-1)).toMatchObject({
      type: 'disassociated',
      mac: macToString(STA_MAC),
      reason: Reason.DISASSOC_DUE_TO_INACTIVITY,
    });
  });

  it('power save: buffers for a dozing station, announces it in the TIM, delivers on PS-Poll', () => {
    const { t, air, lan } = world();
    const sta = new VirtualStation(air, { mac: STA_MAC });
    connect(t, sta, { ssid: 'v8266' });
    const got: Uint8Array[] = [];
    sta.onEthernet = (e) => got.push(e);
    sta.setPowerSave(true);
    t.runFor(5000);
    const port = lan.attach({ receive: () => {} });
    port.send(ethernetFrame(STA_MAC, HOST, 0x0800, Uint8Array.of(1)));
    port.send(ethernetFrame(STA_MAC, HOST, 0x0800, Uint8Array.of(2)));
    t.runFor(250_000);
    expect(got).toEqual([]);
    expect(sta.lastTim?.aids).toEqual([1]);
    sta.psPoll();
    t.runFor(5000);
    expect(got.map((e) => e[14])).toEqual([1]);
    sta.psPoll();
    t.runFor(5000);
    expect(got.map((e) => e[14])).toEqual([1, 2]);
    t.runFor(250_000);
    expect(sta.lastTim?.aids).toEqual([]);
    // Leaving power save flushes what arrives while dozing.
    port.send(ethernetFrame(STA_MAC, HOST, 0x0800, Uint8Array.of(3)));
    t.runFor(5000);
    expect(got.length).toBe(2);
    sta.setPowerSave(false);
    t.runFor(5000);
    expect(got.map((e) => e[14])).toEqual([1, 2, 3]);
  });
});

describe('virtual AP: group traffic and dozing stations', () => {
  it.each([
    ['open', undefined],
    ['WPA2', 'v8266-secret'],
  ])(
    '%s: buffers broadcast while a station dozes, sends it right after the next DTIM beacon',
    (_name, passphrase) => {
      const { t, air, lan, heard } = world({ dtimPeriod: 3, passphrase });
      const sta = new VirtualStation(air, { mac: STA_MAC });
      expect(connect(t, sta, { ssid: 'v8266', passphrase }).ok).toBe(true);
      t.runFor(10_000);
      const got: Uint8Array[] = [];
      sta.onEthernet = (e) => got.push(e);
      sta.setPowerSave(true);
      t.runFor(5000);
      const port = lan.attach({ receive: () => {} });
      const sentAt = t.now;
      port.send(ethernetFrame(BROADCAST, HOST, 0x0806, new Uint8Array(28)));
      port.send(ethernetFrame(BROADCAST, HOST, 0x0806, new Uint8Array(28)));
      t.runFor(400_000);
      const after = heard.filter((h) => h.at > sentAt);
      const i = after.findIndex(
        (h) => h.frame.type === FrameType.DATA && h.frame.addr1[0] === 0xff,
      );
      expect(i).toBeGreaterThan(0);
      const beacon = after[i - 1];
      expect(beacon.frame.subtype).toBe(Mgmt.BEACON);
      const tim = parseTim(findIe(parseBeaconBody(beacon.frame.body).ies, IeId.TIM)!.data);
      expect(tim).toMatchObject({ dtimCount: 0, multicast: true });
      expect([after[i].frame.moreData, after[i + 1].frame.moreData]).toEqual([true, false]);
      expect(after[i].frame.protected).toBe(passphrase !== undefined);
      expect(got.map((e) => e[12] * 256 + e[13])).toEqual([0x0806, 0x0806]);
      // Every earlier beacon after the frames arrived was not a DTIM.
      for (const b of after
        .slice(0, i - 1)
        .filter((h) => h.frame.subtype === Mgmt.BEACON && h.frame.type === FrameType.MGMT))
        expect(
          parseTim(findIe(parseBeaconBody(b.frame.body).ies, IeId.TIM)!.data).dtimCount,
        ).not.toBe(0);
    },
  );
});

describe('virtual AP: WPA2-PSK', () => {
  it('4-way handshake, CCMP data both ways, group traffic with the GTK', () => {
    const { t, air, lan, ap, heard } = world({ passphrase: 'v8266-secret' });
    const sta = new VirtualStation(air, { mac: STA_MAC });
    expect(connect(t, sta, { ssid: 'v8266', passphrase: 'v8266-secret' })).toMatchObject({
      ok: true,
      aid: 1,
    });
    t.runFor(5000);
    expect(ap.events.map((e) => e.type)).toEqual(['authenticated', 'associated', 'authorized']);
    const eapol = heard
      .filter((h) => h.frame.type === FrameType.DATA && !h.frame.protected)
      .map((h) => parseLlcSnap(h.frame.body))
      .filter((l) => l?.ethertype === 0x888e)
      .map((l) => parseEapolKey(l!.payload)!.keyInfo);
    expect(
      eapol.map((k) => [
        !!(k & KeyInfo.ACK),
        !!(k & KeyInfo.MIC),
        !!(k & KeyInfo.INSTALL),
        !!(k & KeyInfo.SECURE),
      ]),
    ).toEqual([
      [true, false, false, false],
      [false, true, false, false],
      [true, true, true, true],
      [false, true, false, true],
    ]);

    const got: Uint8Array[] = [];
    sta.onEthernet = (e) => got.push(e);
    sta.send(ethernetFrame(HOST, STA_MAC, 0x0800, Uint8Array.of(0x45, 0xaa)));
    const port = lan.attach({ receive: () => {} });
    port.send(ethernetFrame(STA_MAC, HOST, 0x0800, Uint8Array.of(0x45, 0xbb)));
    port.send(ethernetFrame(BROADCAST, HOST, 0x0806, new Uint8Array(28)));
    t.runFor(10_000);
    expect(lan.frames.filter((f) => f[14] === 0x45 && f[15] === 0xaa)).toHaveLength(1);
    expect(got.map((e) => e[14])).toEqual([0x45, 0]);
    const data = heard
      .filter((h) => h.frame.type === FrameType.DATA && h.frame.subtype !== Data.NULL)
      .slice(4);
    expect(data.length).toBe(3);
    expect(data.every((h) => h.frame.protected)).toBe(true);
    // The unicast frames are CCMP with the PN counting from 1, the group one uses key id 1.
    expect(data[0].raw[24 + 2 + 3] & 0xe0).toBe(0x20);
    expect(data[2].raw[24 + 3]).toBe(0x20 | (1 << 6));

    // Group key handshake: the station takes the new GTK and decrypts broadcast with it.
    ap.rekeyGroup();
    t.runFor(50_000);
    port.send(ethernetFrame(BROADCAST, HOST, 0x0806, new Uint8Array(28).fill(5)));
    t.runFor(10_000);
    expect(got.at(-1)![14]).toBe(5);
    const last = heard.filter((h) => h.frame.type === FrameType.DATA).at(-1)!;
    expect(last.raw[24 + 3]).toBe(0x20 | (2 << 6));
  });

  it('a TKIP group key (as the ESP8266 SoftAP): the station asks for it, and broadcasts decrypt under it', () => {
    const { t, air, lan, heard } = world({ passphrase: 'v8266-secret', groupCipher: 'tkip' });
    const sta = new VirtualStation(air, { mac: STA_MAC });
    expect(connect(t, sta, { ssid: 'v8266', passphrase: 'v8266-secret' })).toMatchObject({
      ok: true,
    });
    t.runFor(5000); // message 4
    const assocReq = ofType(heard, FrameType.MGMT, Mgmt.ASSOC_REQ)[0];
    const rsn = parseRsn(findIe(parseAssocReqBody(assocReq.frame.body).ies, IeId.RSN)!.data);
    expect(rsn.groupCipher).toBe(Suite.TKIP);
    expect(rsn.pairwiseCiphers).toEqual([Suite.CCMP]);

    const got: Uint8Array[] = [];
    sta.onEthernet = (e) => got.push(e);
    const port = lan.attach({ receive: () => {} });
    port.send(ethernetFrame(BROADCAST, HOST, 0x0806, new Uint8Array(28).fill(7)));
    port.send(ethernetFrame(STA_MAC, HOST, 0x0800, Uint8Array.of(0x45, 0xbb)));
    t.runFor(10_000);
    expect(got.map((e) => e[14])).toEqual([7, 0x45]);
    const group = heard
      .filter((h) => h.frame.type === FrameType.DATA && h.frame.addr1[0] & 1)
      .at(-1)!;
    // TKIP IV: WEP seed (TSC1 | 0x20) & 0x7f, ExtIV and key id 1; body + MIC 8 + ICV 4 under RC4
    expect(group.raw[24 + 1]).toBe(0x20);
    expect(group.raw[24 + 3]).toBe(0x20 | (1 << 6));
    expect(group.raw.length).toBe(24 + 8 + 8 + 28 + 8 + 4);
  });

  it('drops a replayed CCMP frame (PN not increasing)', () => {
    const { t, air, lan, ap, heard } = world({ passphrase: 'v8266-secret' });
    const sta = new VirtualStation(air, { mac: STA_MAC });
    connect(t, sta, { ssid: 'v8266', passphrase: 'v8266-secret' });
    sta.send(ethernetFrame(HOST, STA_MAC, 0x0800, Uint8Array.of(0x45)));
    t.runFor(10_000);
    const n = lan.frames.length;
    const captured = heard.filter((h) => h.frame.protected && h.frame.toDS).at(-1)!.raw;
    const rogue = air.attach(() => {}, { channel: 6 });
    rogue.transmit(captured);
    t.runFor(10_000);
    expect(ap.stats.replays).toBe(1);
    expect(lan.frames.length).toBe(n);
  });

  it('a wrong passphrase fails as with hostapd: msg 2 MIC mismatch, msg 1 sent 4 times (100 ms, then 1 s apart), deauth reason 15', () => {
    const { t, air, ap, heard } = world({ passphrase: 'v8266-secret' });
    const sta = new VirtualStation(air, { mac: STA_MAC });
    const r = connect(t, sta, { ssid: 'v8266', passphrase: 'not-the-secret' });
    expect(r).toMatchObject({
      ok: false,
      reason: 'deauthenticated',
      code: Reason.FOURWAY_HANDSHAKE_TIMEOUT,
    });
    const msg1 = heard.filter((h) => {
      if (h.frame.type !== FrameType.DATA || h.frame.retry) return false;
      const l = parseLlcSnap(h.frame.body);
      return l?.ethertype === 0x888e && h.frame.fromDS;
    });
    expect(
      msg1.map((h) => parseEapolKey(parseLlcSnap(h.frame.body)!.payload)!.replayCounter),
    ).toEqual([1n, 2n, 3n, 4n]);
    const gapsMs = msg1.slice(1).map((h, i) => Math.round((h.at - msg1[i].at) / MS));
    expect(gapsMs).toEqual([100, 1000, 1000]);
    const deauth = ofType(heard, FrameType.MGMT, Mgmt.DEAUTH).at(-1)!;
    expect(parseReason(deauth.frame.body)).toBe(Reason.FOURWAY_HANDSHAKE_TIMEOUT);
    expect(Math.round((deauth.at - msg1[3].at) / MS)).toBe(1000);
    expect(ap.events.at(-1)).toMatchObject({
      type: 'deauthenticated',
      reason: 15,
      byStation: false,
    });
    expect(ap.stations.size).toBe(0);
  });

  it('an association without an RSN element is refused (status 40)', () => {
    const { t, air } = world({ passphrase: 'v8266-secret' });
    const sta = new VirtualStation(air, { mac: STA_MAC });
    // Pretend the station believes the AP is open.
    let r: ConnectResult | undefined;
    sta.scan({ ssid: 'v8266', channels: [6] }, (res) => {
      (
        sta as unknown as { join: (b: ScanResult, p: null, d: (x: ConnectResult) => void) => void }
      ).join(res[0], null, (x) => (r = x));
    });
    t.runUntilTrue(() => r !== undefined, 2_000_000);
    expect(r).toMatchObject({ ok: false, code: Status.INVALID_IE });
  });

  it('the AP decrypts what a station sends with the TK both derived (checked with ccmpDecrypt)', () => {
    const { t, air, ap, heard } = world({ passphrase: 'v8266-secret' });
    const sta = new VirtualStation(air, { mac: STA_MAC });
    connect(t, sta, { ssid: 'v8266', passphrase: 'v8266-secret' });
    sta.send(ethernetFrame(HOST, STA_MAC, 0x0800, Uint8Array.of(1, 2, 3)));
    t.runFor(10_000);
    const enc = heard.filter((h) => h.frame.protected && h.frame.toDS).at(-1)!;
    const tk = ap.stations.get(macToString(STA_MAC))!.ptk!.tk;
    const plain = ccmpDecrypt(enc.raw, tk)!;
    expect(parseLlcSnap(parseFrame(plain.mpdu).body)!.payload).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('connects and delivers data over a lossy link (25 % of frames lost, seeded): retries and duplicates absorbed', () => {
    const t = new TestClock();
    const air = new Air(t.clock, { seed: 11, loss: 0.25 });
    const lan = new TestLan();
    const ap = new AccessPoint(air, {
      ssid: 'v8266',
      bssid: AP_MAC,
      channel: 6,
      lan,
      passphrase: 'v8266-secret',
    });
    const sta = new VirtualStation(air, { mac: STA_MAC });
    expect(connect(t, sta, { ssid: 'v8266', passphrase: 'v8266-secret' }).ok).toBe(true);
    t.runFor(50_000);
    for (let i = 0; i < 20; i++)
      sta.send(ethernetFrame(HOST, STA_MAC, 0x0800, Uint8Array.of(0x45, i)));
    t.runFor(500_000);
    expect(lan.frames.map((f) => f[15])).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(sta.mac.stats.retries).toBeGreaterThan(0);
    expect(ap.mac.stats.duplicates + sta.mac.stats.duplicates).toBeGreaterThan(0);
    expect(ap.stats.replays).toBe(0);
  });
});

describe('one air, several BSSs', () => {
  it('two APs on the same channel and two stations connecting at the same time each end up in their own BSS', () => {
    const t = new TestClock();
    const air = new Air(t.clock, { seed: 2 });
    const lanA = new TestLan();
    const lanB = new TestLan();
    const apA = new AccessPoint(air, { ssid: 'alpha', bssid: AP_MAC, channel: 6, lan: lanA });
    const apB = new AccessPoint(air, {
      ssid: 'beta',
      bssid: parseMac('02:00:00:00:02:00'),
      channel: 6,
      lan: lanB,
      passphrase: 'beta-secret',
      position: { x: 20, y: 0 },
    });
    const s1 = new VirtualStation(air, { mac: STA_MAC, position: { x: 5, y: 0 } });
    const s2 = new VirtualStation(air, { mac: STA2_MAC, position: { x: 15, y: 0 } });
    const results: ConnectResult[] = [];
    s1.connect({ ssid: 'alpha' }, (r) => results.push(r));
    s2.connect({ ssid: 'beta', passphrase: 'beta-secret' }, (r) => results.push(r));
    t.runUntilTrue(() => results.length === 2, 10_000_000, 'both connected');
    t.runFor(10_000);
    expect(results.every((r) => r.ok)).toBe(true);
    expect([...apA.stations.keys()]).toEqual([macToString(STA_MAC)]);
    expect([...apB.stations.keys()]).toEqual([macToString(STA2_MAC)]);
    s1.send(ethernetFrame(HOST, STA_MAC, 0x0800, Uint8Array.of(0x45, 1)));
    s2.send(ethernetFrame(HOST, STA2_MAC, 0x0800, Uint8Array.of(0x45, 2)));
    t.runFor(10_000);
    expect(lanA.frames.map((f) => f[15])).toEqual([1]);
    expect(lanB.frames.map((f) => f[15])).toEqual([2]);
  });
});
