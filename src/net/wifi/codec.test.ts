import { describe, expect, it } from 'vitest';
import {
  AuthAlgorithm,
  Capability,
  Ctrl,
  Data,
  FrameType,
  Mgmt,
  Reason,
  buildAssocReqBody,
  buildAssocRespBody,
  buildAuthBody,
  buildBeaconBody,
  buildFrame,
  dataAddresses,
  dataFrameAddresses,
  parseAssocReqBody,
  parseAssocRespBody,
  parseAuthBody,
  parseBeaconBody,
  parseFrame,
  parseReason,
  reasonBody,
} from './frame.ts';
import {
  IeId,
  Suite,
  allRates,
  buildIes,
  countryIe,
  findIe,
  findWmm,
  htCapabilitiesIe,
  parseCountry,
  parseDsParams,
  parseHtCapabilities,
  parseHtOperation,
  parseIes,
  parseRsn,
  parseSsid,
  parseTim,
  parseWmm,
  rateIes,
  rsnIe,
  timIe,
  wmmIe,
} from './ie.ts';
import { llcSnap, parseLlcSnap } from './llc.ts';
import {
  KeyInfo,
  buildEapolKey,
  gtkKde,
  padKeyData,
  parseEapolKey,
  parseKeyData,
} from './eapol.ts';
import { macToString, parseMac } from './mac-address.ts';

/** Hex with spaces, comments after '#' to the end of a line. */
const bytes = (s: string) =>
  Uint8Array.from(
    s
      .split('\n')
      .map((l) => l.replace(/#.*/, ''))
      .join(' ')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((h) => parseInt(h, 16)),
  );
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

// A beacon as hostapd sends it for a WPA2-PSK/CCMP 802.11n BSS on channel 6 (field layouts of
// IEEE 802.11-2016 §9.3.3.3 and §9.4.2; WMM parameters are hostapd's defaults).
const HOSTAPD_BEACON = bytes(`
  80 00 00 00                       # FC beacon, duration 0
  ff ff ff ff ff ff                 # DA broadcast
  02 00 00 00 01 00                 # SA
  02 00 00 00 01 00                 # BSSID
  30 12                             # sequence 0x123, fragment 0
  00 10 00 00 00 00 00 00           # timestamp 0x1000 µs
  64 00                             # beacon interval 100 TU
  11 04                             # ESS | Privacy | Short Slot Time
  00 0a 76 38 32 36 36 2d 74 65 73 74   # SSID "v8266-test"
  01 08 82 84 8b 96 0c 12 18 24     # rates 1* 2* 5.5* 11* 6 9 12 18
  03 01 06                          # DS: channel 6
  05 04 00 02 00 00                 # TIM: count 0, period 2, no traffic
  07 06 55 53 20 01 0b 1e           # Country "US ", channels 1-11 at 30 dBm
  2a 01 00                          # ERP
  32 04 30 48 60 6c                 # extended rates 24 36 48 54
  30 14 01 00 00 0f ac 04 01 00 00 0f ac 04 01 00 00 0f ac 02 00 00   # RSN CCMP/CCMP/PSK
  2d 1a 2c 01 1b ff 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  # HT cap
  3d 16 06 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   # HT operation
  dd 18 00 50 f2 02 01 01 00 00 03 a4 00 00 27 a4 00 00 42 43 5e 00 62 32 2f 00  # WMM parameter
`);

describe('802.11 frames: a real AP beacon', () => {
  const f = parseFrame(HOSTAPD_BEACON);
  const body = parseBeaconBody(f.body);

  it('decodes the header', () => {
    expect(f.type).toBe(FrameType.MGMT);
    expect(f.subtype).toBe(Mgmt.BEACON);
    expect(macToString(f.addr1)).toBe('ff:ff:ff:ff:ff:ff');
    expect(macToString(f.addr3!)).toBe('02:00:00:00:01:00');
    expect(f.seq).toBe(0x123);
    expect(f.frag).toBe(0);
  });

  it('decodes the fixed fields and every element', () => {
    expect(body.timestamp).toBe(0x1000n);
    expect(body.interval).toBe(100);
    expect(body.capability).toBe(Capability.ESS | Capability.PRIVACY | Capability.SHORT_SLOT_TIME);
    const ies = body.ies;
    expect(parseSsid(findIe(ies, IeId.SSID)!.data)).toBe('v8266-test');
    expect(allRates(ies).map((r) => `${r.mbps}${r.basic ? '*' : ''}`)).toEqual([
      '1*',
      '2*',
      '5.5*',
      '11*',
      '6',
      '9',
      '12',
      '18',
      '24',
      '36',
      '48',
      '54',
    ]);
    expect(parseDsParams(findIe(ies, IeId.DS_PARAMS)!.data)).toBe(6);
    expect(parseTim(findIe(ies, IeId.TIM)!.data)).toEqual({
      dtimCount: 0,
      dtimPeriod: 2,
      multicast: false,
      aids: [],
    });
    expect(parseCountry(findIe(ies, IeId.COUNTRY)!.data)).toEqual({
      code: 'US',
      environment: ' ',
      triplets: [{ firstChannel: 1, channels: 11, maxPowerDbm: 30 }],
    });
    expect(parseRsn(findIe(ies, IeId.RSN)!.data)).toEqual({
      version: 1,
      groupCipher: Suite.CCMP,
      pairwiseCiphers: [Suite.CCMP],
      akms: [Suite.AKM_PSK],
      capabilities: 0,
    });
    const ht = parseHtCapabilities(findIe(ies, IeId.HT_CAPABILITIES)!.data);
    expect(ht.info).toBe(0x012c);
    expect(ht.ampduParams).toBe(0x1b);
    expect(ht.mcsSet[0]).toBe(0xff);
    expect(parseHtOperation(findIe(ies, IeId.HT_OPERATION)!.data).primaryChannel).toBe(6);
    const wmm = parseWmm(findWmm(ies)!.data);
    expect(wmm.subtype).toBe(1);
    expect(wmm.acs).toEqual([
      { aifsn: 3, acm: false, ecwMin: 4, ecwMax: 10, txopLimit: 0 },
      { aifsn: 7, acm: false, ecwMin: 4, ecwMax: 10, txopLimit: 0 },
      { aifsn: 2, acm: false, ecwMin: 3, ecwMax: 4, txopLimit: 94 },
      { aifsn: 2, acm: false, ecwMin: 2, ecwMax: 3, txopLimit: 47 },
    ]);
  });

  it('rebuilds byte for byte, from the parsed frame and from typed builders', () => {
    expect(hex(buildFrame({ ...f, body: buildBeaconBody(body) }))).toBe(hex(HOSTAPD_BEACON));
    const ies = [
      { id: IeId.SSID, data: new TextEncoder().encode('v8266-test') },
      ...rateIes([
        ...[1, 2, 5.5, 11].map((mbps) => ({ mbps, basic: true })),
        ...[6, 9, 12, 18, 24, 36, 48, 54].map((mbps) => ({ mbps, basic: false })),
      ]),
      { id: IeId.DS_PARAMS, data: Uint8Array.of(6) },
      timIe({ dtimCount: 0, dtimPeriod: 2, multicast: false, aids: [] }),
      countryIe({
        code: 'US',
        environment: ' ',
        triplets: [{ firstChannel: 1, channels: 11, maxPowerDbm: 30 }],
      }),
      { id: IeId.ERP, data: Uint8Array.of(0) },
      rsnIe({
        version: 1,
        groupCipher: Suite.CCMP,
        pairwiseCiphers: [Suite.CCMP],
        akms: [Suite.AKM_PSK],
        capabilities: 0,
      }),
      htCapabilitiesIe({
        info: 0x012c,
        ampduParams: 0x1b,
        mcsSet: Uint8Array.of(0xff),
        extended: 0,
        txBeamforming: 0,
        antennaSelection: 0,
      }),
      findIe(body.ies, IeId.HT_OPERATION)!,
      wmmIe({
        subtype: 1,
        qosInfo: 0,
        acs: parseWmm(findWmm(body.ies)!.data).acs,
      }),
    ];
    // rateIes puts the 8 first rates in element 1 and the rest in element 50, which comes later
    // in a real beacon: move it after ERP as the standard's order (Table 9-27) wants.
    const ext = ies.splice(2, 1)[0];
    ies.splice(6, 0, ext);
    expect(hex(buildIes(ies))).toBe(hex(buildIes(body.ies)));
  });
});

describe('TIM partial virtual bitmap (§9.4.2.6)', () => {
  it('encodes from the even octet before the first AID to the octet of the last', () => {
    const ie = timIe({ dtimCount: 1, dtimPeriod: 3, multicast: true, aids: [20, 33] });
    // AID 20 is octet 2 bit 4, AID 33 is octet 4 bit 1: N1 = 2, N2 = 4.
    expect(hex(ie.data)).toBe('01 03 03 10 00 02');
    expect(parseTim(ie.data)).toEqual({
      dtimCount: 1,
      dtimPeriod: 3,
      multicast: true,
      aids: [20, 33],
    });
    expect(
      parseTim(timIe({ dtimCount: 0, dtimPeriod: 1, multicast: false, aids: [1] }).data).aids,
    ).toEqual([1]);
  });
});

describe('802.11 frames: the association exchange', () => {
  const sta = parseMac('5c:cf:7f:01:02:03');
  const ap = parseMac('02:00:00:00:01:00');

  it('probe request (wildcard SSID) as a station sends it', () => {
    const raw = bytes(`
      40 00 00 00 ff ff ff ff ff ff 5c cf 7f 01 02 03 ff ff ff ff ff ff 10 00
      00 00                      # wildcard SSID
      01 08 82 84 8b 96 0c 12 18 24
      32 04 30 48 60 6c`);
    const f = parseFrame(raw);
    expect(f.subtype).toBe(Mgmt.PROBE_REQ);
    expect(f.seq).toBe(1);
    const ies = parseIes(f.body);
    expect(findIe(ies, IeId.SSID)!.data.length).toBe(0);
    expect(hex(buildFrame(f))).toBe(hex(raw));
  });

  it('open-system authentication, request and response', () => {
    const req = bytes(
      'b0 00 3a 01 02 00 00 00 01 00 5c cf 7f 01 02 03 02 00 00 00 01 00 20 00 00 00 01 00 00 00',
    );
    const f = parseFrame(req);
    expect(f.subtype).toBe(Mgmt.AUTH);
    expect(f.duration).toBe(314);
    expect(parseAuthBody(f.body)).toEqual({
      algorithm: AuthAlgorithm.OPEN,
      seq: 1,
      status: 0,
      ies: [],
    });
    const resp = buildFrame({
      type: FrameType.MGMT,
      subtype: Mgmt.AUTH,
      addr1: sta,
      addr2: ap,
      addr3: ap,
      seq: 5,
      body: buildAuthBody({ algorithm: 0, seq: 2, status: 0, ies: [] }),
    });
    expect(hex(resp)).toBe(
      'b0 00 00 00 5c cf 7f 01 02 03 02 00 00 00 01 00 02 00 00 00 01 00 50 00 00 00 02 00 00 00',
    );
  });

  it('association request/response and reassociation request', () => {
    const reqBody = bytes(`
      31 04 0a 00                # capability ESS|Privacy|ShortPreamble|ShortSlot, listen interval 10
      00 0a 76 38 32 36 36 2d 74 65 73 74
      01 08 82 84 8b 96 0c 12 18 24
      30 14 01 00 00 0f ac 04 01 00 00 0f ac 04 01 00 00 0f ac 02 00 00`);
    const req = parseAssocReqBody(reqBody);
    expect(req.capability).toBe(0x0431);
    expect(req.listenInterval).toBe(10);
    expect(parseRsn(findIe(req.ies, IeId.RSN)!.data).akms).toEqual([Suite.AKM_PSK]);
    expect(hex(buildAssocReqBody(req))).toBe(hex(reqBody));

    const re = parseAssocReqBody(bytes('31 04 0a 00 02 00 00 00 01 00 00 01 41'), true);
    expect(macToString(re.currentAp!)).toBe('02:00:00:00:01:00');
    expect(parseSsid(re.ies[0].data)).toBe('A');

    const respBody = bytes('11 04 00 00 01 c0 01 04 82 84 8b 96');
    const resp = parseAssocRespBody(respBody);
    expect(resp).toMatchObject({ capability: 0x0411, status: 0, aid: 1 });
    expect(hex(buildAssocRespBody(resp))).toBe(hex(respBody));
  });

  it('deauthentication and disassociation with a reason code', () => {
    const raw = bytes(
      'c0 00 00 00 5c cf 7f 01 02 03 02 00 00 00 01 00 02 00 00 00 01 00 00 00 0f 00',
    );
    const f = parseFrame(raw);
    expect(f.subtype).toBe(Mgmt.DEAUTH);
    expect(parseReason(f.body)).toBe(Reason.FOURWAY_HANDSHAKE_TIMEOUT);
    const dis = buildFrame({
      type: 0,
      subtype: Mgmt.DISASSOC,
      addr1: sta,
      addr2: ap,
      addr3: ap,
      body: reasonBody(8),
    });
    expect(dis[0]).toBe(0xa0);
    expect(parseReason(parseFrame(dis).body)).toBe(Reason.DISASSOC_STA_HAS_LEFT);
  });

  it('control frames: ACK has one address, PS-Poll carries the AID and two', () => {
    const ack = parseFrame(bytes('d4 00 00 00 5c cf 7f 01 02 03'));
    expect(ack).toMatchObject({ type: FrameType.CTRL, subtype: Ctrl.ACK });
    expect(ack.addr2).toBeUndefined();
    const poll = parseFrame(bytes('a4 10 01 c0 02 00 00 00 01 00 5c cf 7f 01 02 03'));
    expect(poll.subtype).toBe(Ctrl.PS_POLL);
    expect(poll.powerManagement).toBe(true);
    expect(poll.duration & 0x3fff).toBe(1);
    expect(hex(buildFrame(poll))).toBe('a4 10 01 c0 02 00 00 00 01 00 5c cf 7f 01 02 03');
  });
});

describe('802.11 data frames', () => {
  const sta = parseMac('5c:cf:7f:01:02:03');
  const ap = parseMac('02:00:00:00:01:00');
  const host = parseMac('02:00:00:00:00:01');

  it('QoS data to the DS with an LLC/SNAP IPv4 payload', () => {
    const raw = bytes(`
      88 01 2c 00                 # QoS data, ToDS
      02 00 00 00 01 00 5c cf 7f 01 02 03 02 00 00 00 00 01   # BSSID, SA, DA
      40 00                       # seq 4
      06 00                       # QoS: TID 6
      aa aa 03 00 00 00 08 00 45 00`);
    const f = parseFrame(raw);
    expect(f.subtype).toBe(Data.QOS_DATA);
    expect(f.qos).toBe(6);
    const a = dataAddresses(f);
    expect([a.bssid, a.sa, a.da].map((m) => macToString(m!))).toEqual([
      '02:00:00:00:01:00',
      '5c:cf:7f:01:02:03',
      '02:00:00:00:00:01',
    ]);
    expect(parseLlcSnap(f.body)).toEqual({ ethertype: 0x0800, payload: Uint8Array.of(0x45, 0) });
    expect(hex(buildFrame(f))).toBe(hex(raw));
  });

  it('the four address forms of Table 9-26 round-trip', () => {
    const wds = parseMac('02:00:00:00:02:00');
    for (const [toDS, fromDS] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ]) {
      const roles = { ra: toDS && fromDS ? wds : sta, ta: ap, da: host, sa: sta, bssid: ap };
      const addrs = dataFrameAddresses(toDS, fromDS, roles);
      const f = parseFrame(
        buildFrame({
          type: 2,
          subtype: Data.DATA,
          toDS,
          fromDS,
          ...addrs,
          body: llcSnap(0x0806, new Uint8Array(28)),
        }),
      );
      const back = dataAddresses(f);
      expect(macToString(back.da)).toBe(
        macToString(toDS || fromDS ? host : (addrs.addr1 as Uint8Array)),
      );
      expect(macToString(back.sa)).toBe(
        macToString(toDS || fromDS ? sta : (addrs.addr2 as Uint8Array)),
      );
      expect(f.addr4 !== undefined).toBe(toDS && fromDS);
      expect(headerLengthOf(f)).toBe(toDS && fromDS ? 30 : 24);
    }
  });

  it('LLC/SNAP refuses what is not RFC 1042 or 802.1H', () => {
    expect(parseLlcSnap(bytes('aa aa 03 00 00 00 88 8e'))!.ethertype).toBe(0x888e);
    expect(llcSnap(0x8137, new Uint8Array(0))[5]).toBe(0xf8);
    expect(parseLlcSnap(bytes('42 42 03 00 00 00 08 00'))).toBeNull();
  });
});

function headerLengthOf(f: ReturnType<typeof parseFrame>): number {
  return buildFrame(f).length - f.body.length;
}

describe('EAPOL-Key', () => {
  // Message 1 of the 4-way handshake as an AP sends it (§12.7.6.2): version 2, pairwise, ACK.
  const anonce = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
  const M1 = bytes(`
    02 03 00 5f 02 00 8a 00 10 00 00 00 00 00 00 00 01
    ${hex(anonce)}
    ${'00 '.repeat(16 + 8 + 8 + 16)}
    00 00`);

  it('parses message 1 and rebuilds it', () => {
    const k = parseEapolKey(M1)!;
    expect(k.keyInfo).toBe(KeyInfo.VERSION_AES_HMAC_SHA1 | KeyInfo.PAIRWISE | KeyInfo.ACK);
    expect(k.keyLength).toBe(16);
    expect(k.replayCounter).toBe(1n);
    expect(hex(k.nonce)).toBe(hex(anonce));
    expect(k.keyData.length).toBe(0);
    expect(hex(buildEapolKey(k))).toBe(hex(M1));
  });

  it('GTK KDE and key data padding', () => {
    const gtk = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
    const rsn = rsnIe({
      version: 1,
      groupCipher: Suite.CCMP,
      pairwiseCiphers: [Suite.CCMP],
      akms: [Suite.AKM_PSK],
      capabilities: 0,
    });
    const kd = padKeyData(
      Uint8Array.from([...buildIes([rsn]), ...gtkKde({ keyId: 1, tx: false, gtk })]),
    );
    expect(kd.length % 8).toBe(0);
    expect(kd.length).toBe(22 + 24 + 2);
    expect(kd[46]).toBe(0xdd);
    const parsed = parseKeyData(kd);
    expect(parsed.ies[0].id).toBe(IeId.RSN);
    expect(parsed.gtk).toEqual({ keyId: 1, tx: false, gtk });
    expect(padKeyData(new Uint8Array(16)).length).toBe(16);
    expect(padKeyData(new Uint8Array(8)).length).toBe(16);
  });

  it('rejects a length that overruns the frame', () => {
    const bad = M1.slice();
    bad[3] = 0x70;
    expect(parseEapolKey(bad)).toBeNull();
  });
});
