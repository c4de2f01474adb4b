/**
 * A virtual access point: beacons, probe responses, open-system authentication, association,
 * WPA2-PSK (4-way and group key handshakes, CCMP), power-save buffering, inactivity, and a bridge
 * between its BSS and a LAN (`EthernetSegment`): data frames from associated stations leave as
 * Ethernet II frames; LAN frames for associated stations, broadcast and multicast go on the air.
 * Behaviour follows hostapd's defaults where the standard leaves a choice.
 */
import { TICKS_PER_MICROSECOND, type Alarm } from '../clock.ts';
import type { EthernetAttachment, EthernetSegment } from '../ethernet.ts';
import { ETHERTYPE_EAPOL } from '../ethernet.ts';
import type { Air, Position, RxInfo } from './air.ts';
import { OFDM_RATES, sensitivityDbm, type TxVector } from './airtime.ts';
import { Authenticator, type GroupKey } from './authenticator.ts';
import { ccmpDecrypt, ccmpEncrypt } from './ccmp.ts';
import { tkipSeal } from './tkip.ts';
import {
  AuthAlgorithm,
  Capability,
  Ctrl,
  Data,
  FrameType,
  Mgmt,
  Reason,
  Status,
  buildAssocRespBody,
  buildAuthBody,
  buildBeaconBody,
  dataAddresses,
  headerLength,
  parseAssocReqBody,
  parseAuthBody,
  parseReason,
  reasonBody,
  type Frame,
  type FrameInit,
} from './frame.ts';
import {
  IeId,
  findIe,
  findWmm,
  parseIes,
  parseRsn,
  rateIes,
  rsnIe,
  Suite,
  timIe,
  type Ie,
} from './ie.ts';
import {
  apElements,
  AP_RATES,
  RSN_WPA2_PSK_CCMP,
  htCapabilities,
  wmmParameters,
} from './ies-ap.ts';
import { llcSnap, parseLlcSnap } from './llc.ts';
import { MacLayer, type ReceivedFrame } from './mac-layer.ts';
import { BROADCAST, isGroup, macEquals, macToString, type MacAddress } from './mac-address.ts';
import { Prng } from './prng.ts';
import type { CountryCode } from './regulatory.ts';
import { pmkFromPassphrase, type Ptk } from './wpa.ts';

export const TU_US = 1024;
/** hostapd ap_max_inactivity default, seconds. */
export const DEFAULT_MAX_INACTIVITY_S = 300;
const MGMT_TX: TxVector = { rateMbps: 1 };
const utf8 = new TextEncoder();
/** hostapd's reply status for RSN element problems (Table 9-46). */
const STATUS_GROUP_CIPHER_NOT_VALID = 41;
const STATUS_PAIRWISE_CIPHER_NOT_VALID = 42;
const STATUS_AKMP_NOT_VALID = 43;

export interface AccessPointConfig {
  ssid: string;
  bssid: MacAddress;
  channel: number;
  /** WPA2-PSK with CCMP when set; an open network otherwise. */
  passphrase?: string;
  /**
   * The group cipher of a WPA2 BSS: CCMP (default), or TKIP as the ESP8266's SoftAP uses
   * (pairwise stays CCMP; a station must ask for this group cipher to associate).
   */
  groupCipher?: 'ccmp' | 'tkip';
  hidden?: boolean;
  beaconIntervalTu?: number;
  dtimPeriod?: number;
  maxStations?: number;
  maxInactivityS?: number;
  country?: CountryCode;
  position?: Position;
  txPowerDbm?: number;
  /** The LAN the AP bridges to. */
  lan?: EthernetSegment;
  /** Seed for nonces and group keys (simulation runs are reproducible). */
  seed?: number;
  log?: (msg: string) => void;
}

export type StationState = 'authenticated' | 'associated' | 'authorized';

export interface ApStation {
  mac: MacAddress;
  state: StationState;
  aid: number;
  listenInterval: number;
  qos: boolean;
  /** RSSI of the last frame from the station. */
  rssi: number;
  dozing: boolean;
  /** Frames buffered while dozing. */
  buffered: FrameInit[];
  lastActivity: number;
  /** An inactivity poll waits in `buffered` for the dozing station to fetch it. */
  pollBuffered: boolean;
  rsn?: Ie;
  authenticator?: Authenticator;
  ptk?: Ptk;
  txPn: bigint;
  rxPn: Map<number, bigint>;
}

export type ApEvent =
  | { type: 'authenticated' | 'associated' | 'authorized'; mac: string; aid?: number }
  | { type: 'deauthenticated' | 'disassociated'; mac: string; reason: number; byStation: boolean };

export class AccessPoint {
  readonly mac: MacLayer;
  readonly config: Required<
    Omit<
      AccessPointConfig,
      'passphrase' | 'groupCipher' | 'lan' | 'position' | 'txPowerDbm' | 'log'
    >
  > &
    AccessPointConfig;
  readonly stations = new Map<string, ApStation>();
  readonly events: ApEvent[] = [];
  onEvent: (e: ApEvent) => void = () => {};
  readonly stats = { replays: 0, micFailures: 0, toLan: 0, fromLan: 0, beacons: 0 };

  private readonly pmk: Uint8Array | null;
  private readonly startTick: number;
  private readonly beaconTimer: Alarm;
  private readonly inactivityTimer: Alarm;
  private dtimCount = 0;
  private nextTbtt: number;
  private readonly groupBuffer: FrameInit[] = [];
  private readonly prng: Prng;
  private gtk: GroupKey;
  private readonly lan: EthernetAttachment | null;

  constructor(
    readonly air: Air,
    config: AccessPointConfig,
  ) {
    this.config = {
      hidden: false,
      beaconIntervalTu: 100,
      dtimPeriod: 2,
      maxStations: 8,
      maxInactivityS: DEFAULT_MAX_INACTIVITY_S,
      country: air.country,
      seed: config.bssid.reduce((a, b) => a * 31 + b, 7),
      ...config,
    };
    this.prng = new Prng(this.config.seed);
    this.pmk = config.passphrase ? pmkFromPassphrase(config.passphrase, config.ssid) : null;
    this.gtk = { key: this.prng.bytes(this.gtkLength), keyId: 1, pn: 1n };
    this.mac = new MacLayer(air, config.bssid, {
      name: `ap ${config.ssid}`,
      channel: config.channel,
      country: this.config.country,
      position: config.position,
      txPowerDbm: config.txPowerDbm,
    });
    this.mac.onReceive = (rx) => this.received(rx);
    this.startTick = air.clock.now;
    this.beaconTimer = air.clock.createAlarm(() => this.beacon(), 'ap-beacon');
    this.nextTbtt = this.startTick + TU_US * TICKS_PER_MICROSECOND; // first TBTT one TU in
    this.beaconTimer.scheduleAt(this.nextTbtt);
    this.inactivityTimer = air.clock.createAlarm(() => this.checkInactivity(), 'ap-inactivity');
    this.inactivityTimer.scheduleIn(1_000_000 * TICKS_PER_MICROSECOND);
    this.lan = config.lan
      ? config.lan.attach({ receive: (f) => this.fromLan(f) }, config.bssid, { promiscuous: true })
      : null;
  }

  get bssid(): MacAddress {
    return this.config.bssid;
  }
  private get tkipGroup(): boolean {
    return this.config.groupCipher === 'tkip';
  }
  /** TKIP: TK, the authenticator's Michael key, the supplicant's. */
  private get gtkLength(): number {
    return this.tkipGroup ? 32 : 16;
  }
  private get rsn(): Ie {
    if (!this.tkipGroup) return RSN_WPA2_PSK_CCMP;
    return rsnIe({
      version: 1,
      groupCipher: Suite.TKIP,
      pairwiseCiphers: [Suite.CCMP],
      akms: [Suite.AKM_PSK],
      capabilities: 0,
    });
  }

  get wpa2(): boolean {
    return this.pmk !== null;
  }

  /** The TSF in µs. */
  get tsf(): bigint {
    return BigInt(Math.floor((this.air.clock.now - this.startTick) / TICKS_PER_MICROSECOND));
  }

  private log(msg: string): void {
    this.config.log?.(`${this.config.ssid}: ${msg}`);
  }

  private emit(e: ApEvent): void {
    this.events.push(e);
    this.log(`${e.type} ${e.mac}${'reason' in e ? ` reason ${e.reason}` : ''}`);
    this.onEvent(e);
  }

  private get capability(): number {
    return Capability.ESS | Capability.SHORT_SLOT_TIME | (this.wpa2 ? Capability.PRIVACY : 0);
  }

  private mgmt(
    subtype: number,
    to: MacAddress,
    body: Uint8Array,
    onDone?: (acked: boolean) => void,
  ): void {
    this.mac.send(
      { type: FrameType.MGMT, subtype, addr1: to, addr2: this.bssid, addr3: this.bssid, body },
      { tx: MGMT_TX, onDone },
    );
  }

  // ------------------------------------------------------------ beacons and probes

  private beacon(): void {
    const intervalTicks = this.config.beaconIntervalTu * TU_US * TICKS_PER_MICROSECOND;
    this.nextTbtt += intervalTicks;
    this.beaconTimer.scheduleAt(this.nextTbtt);
    const isDtim = this.dtimCount === 0;
    const aids = [...this.stations.values()].filter((s) => s.buffered.length > 0).map((s) => s.aid);
    const tim = timIe({
      dtimCount: this.dtimCount,
      dtimPeriod: this.config.dtimPeriod,
      multicast: isDtim && this.groupBuffer.length > 0,
      aids,
    });
    const body = buildBeaconBody({
      timestamp: this.tsf,
      interval: this.config.beaconIntervalTu,
      capability: this.capability,
      ies: apElements({ ...this.elementConfig(), hideSsid: this.config.hidden, tim }),
    });
    this.stats.beacons++;
    this.mac.send(
      {
        type: FrameType.MGMT,
        subtype: Mgmt.BEACON,
        addr1: BROADCAST,
        addr2: this.bssid,
        addr3: this.bssid,
        body,
      },
      { tx: MGMT_TX },
    );
    if (isDtim) {
      // Group frames buffered for dozing stations follow the DTIM beacon, MoreData on all but the last.
      const frames = this.groupBuffer.splice(0);
      frames.forEach((f, i) => this.transmitGroup({ ...f, moreData: i < frames.length - 1 }));
    }
    this.dtimCount = (this.dtimCount + this.config.dtimPeriod - 1) % this.config.dtimPeriod;
  }

  private elementConfig() {
    return {
      ssid: this.config.ssid,
      hideSsid: false,
      channel: this.config.channel,
      country: this.config.country,
      wpa2: this.wpa2,
      rsn: this.rsn,
    };
  }

  private probeRequest(f: Frame): void {
    if (!isGroup(f.addr3!) && !macEquals(f.addr3!, this.bssid)) return;
    const ies = parseIes(f.body);
    const ssid = findIe(ies, IeId.SSID);
    if (!ssid) return;
    const ds = findIe(ies, IeId.DS_PARAMS);
    if (ds && ds.data[0] !== this.config.channel) return;
    const wildcard = ssid.data.length === 0;
    if (wildcard ? this.config.hidden : !bytesEqual(ssid.data, utf8.encode(this.config.ssid)))
      return;
    const body = buildBeaconBody({
      timestamp: this.tsf,
      interval: this.config.beaconIntervalTu,
      capability: this.capability,
      ies: apElements(this.elementConfig()),
    });
    this.mgmt(Mgmt.PROBE_RESP, f.addr2!, body);
  }

  // ------------------------------------------------------------ authentication and association

  private authentication(f: Frame, info: RxInfo): void {
    if (!macEquals(f.addr3!, this.bssid)) return;
    const a = parseAuthBody(f.body);
    const sta = f.addr2!;
    if (a.algorithm !== AuthAlgorithm.OPEN) {
      this.mgmt(
        Mgmt.AUTH,
        sta,
        buildAuthBody({
          algorithm: a.algorithm,
          seq: a.seq + 1,
          status: Status.NOT_SUPPORTED_AUTH_ALG,
          ies: [],
        }),
      );
      return;
    }
    if (a.seq !== 1) return;
    const key = macToString(sta);
    const old = this.stations.get(key);
    if (old) this.dropStation(old);
    this.stations.set(key, {
      mac: sta.slice(),
      state: 'authenticated',
      aid: 0,
      listenInterval: 0,
      qos: false,
      rssi: info.rssi,
      dozing: false,
      buffered: [],
      lastActivity: this.air.clock.now,
      pollBuffered: false,
      txPn: 1n,
      rxPn: new Map(),
    });
    this.mgmt(
      Mgmt.AUTH,
      sta,
      buildAuthBody({ algorithm: AuthAlgorithm.OPEN, seq: 2, status: Status.SUCCESS, ies: [] }),
    );
    this.emit({ type: 'authenticated', mac: key });
  }

  private association(f: Frame, reassoc: boolean): void {
    if (!macEquals(f.addr3!, this.bssid)) return;
    const sta = this.stations.get(macToString(f.addr2!));
    if (!sta) {
      this.mgmt(Mgmt.DEAUTH, f.addr2!, reasonBody(Reason.CLASS2_FRAME_FROM_NONAUTH_STA));
      return;
    }
    const req = parseAssocReqBody(f.body, reassoc);
    const respond = (status: number, aid = 0) => {
      const [rates, ext] = rateIes(AP_RATES);
      const ies = [rates, ext, htCapabilities(), wmmParameters()];
      return this.mgmt(
        reassoc ? Mgmt.REASSOC_RESP : Mgmt.ASSOC_RESP,
        sta.mac,
        buildAssocRespBody({ capability: this.capability, status, aid, ies }),
        (acked) => {
          if (status === Status.SUCCESS && acked && sta.state === 'associated' && this.wpa2)
            sta.authenticator?.start();
        },
      );
    };
    const ssid = findIe(req.ies, IeId.SSID);
    if (!ssid || !bytesEqual(ssid.data, utf8.encode(this.config.ssid)))
      return respond(Status.UNSPECIFIED);
    let rsn: Ie | undefined;
    if (this.wpa2) {
      rsn = findIe(req.ies, IeId.RSN);
      if (!rsn) return respond(Status.INVALID_IE);
      let r;
      try {
        r = parseRsn(rsn.data);
      } catch {
        return respond(Status.INVALID_IE);
      }
      if (r.groupCipher !== (this.tkipGroup ? Suite.TKIP : Suite.CCMP))
        return respond(STATUS_GROUP_CIPHER_NOT_VALID);
      if (r.pairwiseCiphers.length !== 1 || r.pairwiseCiphers[0] !== Suite.CCMP)
        return respond(STATUS_PAIRWISE_CIPHER_NOT_VALID);
      if (r.akms.length !== 1 || r.akms[0] !== Suite.AKM_PSK) return respond(STATUS_AKMP_NOT_VALID);
    }
    if (sta.aid === 0) {
      const used = new Set([...this.stations.values()].map((s) => s.aid));
      if ([...this.stations.values()].filter((s) => s.aid !== 0).length >= this.config.maxStations)
        return respond(Status.AP_UNABLE_TO_HANDLE_NEW_STA);
      let aid = 1;
      while (used.has(aid)) aid++;
      sta.aid = aid;
    }
    sta.state = 'associated';
    sta.listenInterval = req.listenInterval;
    sta.qos = findWmm(req.ies) !== undefined;
    sta.rsn = rsn;
    sta.ptk = undefined;
    sta.authenticator?.stop();
    if (this.wpa2 && rsn) sta.authenticator = this.makeAuthenticator(sta, rsn);
    else sta.state = 'authorized';
    respond(Status.SUCCESS, sta.aid);
    this.emit({ type: 'associated', mac: macToString(sta.mac), aid: sta.aid });
    if (sta.state === 'authorized')
      this.emit({ type: 'authorized', mac: macToString(sta.mac), aid: sta.aid });
  }

  private makeAuthenticator(sta: ApStation, staRsn: Ie): Authenticator {
    return new Authenticator({
      clock: this.air.clock,
      pmk: this.pmk!,
      aa: this.bssid,
      spa: sta.mac,
      apRsn: this.rsn,
      staRsn,
      nonce: () => this.prng.bytes(32),
      group: () => this.gtk,
      send: (eapol) => this.sendData(sta, this.bssid, ETHERTYPE_EAPOL, eapol, true),
      complete: (ptk) => {
        sta.ptk = ptk;
        sta.state = 'authorized';
        sta.txPn = 1n;
        sta.rxPn.clear();
        this.emit({ type: 'authorized', mac: macToString(sta.mac), aid: sta.aid });
      },
      fail: (reason) => this.deauthenticate(sta.mac, reason),
      log: (m) => this.log(`${macToString(sta.mac)}: ${m}`),
    });
  }

  /** Deauthenticates a station (sends the frame and forgets it). */
  deauthenticate(mac: MacAddress, reason: number = Reason.PREV_AUTH_NOT_VALID): void {
    const sta = this.stations.get(macToString(mac));
    this.mgmt(Mgmt.DEAUTH, mac, reasonBody(reason));
    if (sta) {
      this.dropStation(sta);
      this.emit({ type: 'deauthenticated', mac: macToString(mac), reason, byStation: false });
    }
  }

  /** Disassociates a station; it stays authenticated. */
  disassociate(mac: MacAddress, reason: number): void {
    const sta = this.stations.get(macToString(mac));
    this.mgmt(Mgmt.DISASSOC, mac, reasonBody(reason));
    if (sta) {
      this.leaveBss(sta);
      this.emit({ type: 'disassociated', mac: macToString(mac), reason, byStation: false });
    }
  }

  private leaveBss(sta: ApStation): void {
    sta.authenticator?.stop();
    sta.authenticator = undefined;
    sta.ptk = undefined;
    sta.aid = 0;
    sta.state = 'authenticated';
    sta.buffered = [];
    sta.dozing = false;
  }

  private dropStation(sta: ApStation): void {
    this.leaveBss(sta);
    this.stations.delete(macToString(sta.mac));
  }

  /** New group key, delivered to every authorized station by the group key handshake. */
  rekeyGroup(): void {
    this.gtk = {
      key: this.prng.bytes(this.gtkLength),
      keyId: this.gtk.keyId === 1 ? 2 : 1,
      pn: 1n,
    };
    for (const s of this.stations.values())
      if (s.state === 'authorized') s.authenticator?.startGroupRekey();
  }

  // ------------------------------------------------------------ frames from stations

  private received({ frame: f, info, raw }: ReceivedFrame): void {
    if (f.type === FrameType.MGMT) {
      if (f.subtype === Mgmt.PROBE_REQ) return this.probeRequest(f);
      if (!macEquals(f.addr1, this.bssid)) return;
      const sta = this.stations.get(macToString(f.addr2!));
      if (sta) this.activity(sta, f, info);
      switch (f.subtype) {
        case Mgmt.AUTH:
          return this.authentication(f, info);
        case Mgmt.ASSOC_REQ:
        case Mgmt.REASSOC_REQ:
          return this.association(f, f.subtype === Mgmt.REASSOC_REQ);
        case Mgmt.DEAUTH:
          if (sta) {
            this.dropStation(sta);
            this.emit({
              type: 'deauthenticated',
              mac: macToString(sta.mac),
              reason: parseReason(f.body),
              byStation: true,
            });
          }
          return;
        case Mgmt.DISASSOC:
          if (sta && sta.aid) {
            this.leaveBss(sta);
            this.emit({
              type: 'disassociated',
              mac: macToString(sta.mac),
              reason: parseReason(f.body),
              byStation: true,
            });
          }
          return;
      }
      return;
    }
    if (f.type === FrameType.CTRL) {
      if (f.subtype === Ctrl.PS_POLL && macEquals(f.addr1, this.bssid)) this.psPoll(f);
      return;
    }
    if (f.type === FrameType.DATA && f.toDS && !f.fromDS && macEquals(f.addr1, this.bssid))
      this.dataFromStation(f, info, raw);
  }

  private activity(sta: ApStation, f: Frame, info: RxInfo): void {
    sta.lastActivity = this.air.clock.now;
    sta.pollBuffered = false;
    sta.rssi = info.rssi;
    if (sta.aid === 0 || f.moreFragments) return;
    const dozing = f.powerManagement;
    if (dozing === sta.dozing) return;
    sta.dozing = dozing;
    if (!dozing) {
      const frames = sta.buffered.splice(0);
      for (const b of frames) this.transmitToStation(sta, b);
    }
  }

  private dataFromStation(f: Frame, info: RxInfo, raw: Uint8Array): void {
    const key = macToString(f.addr2!);
    const sta = this.stations.get(key);
    if (!sta || sta.aid === 0) {
      this.mgmt(
        Mgmt.DEAUTH,
        f.addr2!,
        reasonBody(
          sta ? Reason.CLASS3_FRAME_FROM_NONASSOC_STA : Reason.CLASS2_FRAME_FROM_NONAUTH_STA,
        ),
      );
      return;
    }
    this.activity(sta, f, info);
    if ((f.subtype & Data.NULL) !== 0) return; // null / QoS null: power management only
    let frame = f;
    if (f.protected) {
      if (!sta.ptk) return;
      const d = ccmpDecrypt(raw, sta.ptk.tk);
      if (!d) {
        this.stats.micFailures++;
        return;
      }
      const tid = f.qos !== undefined ? f.qos & 0xf : 0;
      if (d.pn <= (sta.rxPn.get(tid) ?? 0n)) {
        this.stats.replays++;
        return;
      }
      sta.rxPn.set(tid, d.pn);
      frame = { ...f, protected: false, body: d.mpdu.subarray(headerLength(f)) };
    }
    const llc = parseLlcSnap(frame.body);
    if (!llc) return;
    const { da, sa } = dataAddresses(frame);
    if (llc.ethertype === ETHERTYPE_EAPOL) {
      if (macEquals(da, this.bssid)) sta.authenticator?.receive(llc.payload);
      return;
    }
    if (this.wpa2 && (!f.protected || sta.state !== 'authorized')) return; // port closed
    const eth = ethernetFrame(da, sa, llc.ethertype, llc.payload);
    if (isGroup(da)) {
      this.toLan(eth);
      this.sendGroup(da, sa, llc.ethertype, llc.payload);
      return;
    }
    const peer = this.stations.get(macToString(da));
    if (peer && peer.state === 'authorized') this.sendData(peer, sa, llc.ethertype, llc.payload);
    else this.toLan(eth);
  }

  private toLan(eth: Uint8Array): void {
    if (!this.lan) return;
    this.stats.toLan++;
    this.lan.send(eth);
  }

  private fromLan(eth: Uint8Array): void {
    if (eth.length < 14) return;
    const da = eth.slice(0, 6);
    const sa = eth.slice(6, 12);
    const ethertype = (eth[12] << 8) | eth[13];
    const payload = eth.slice(14);
    this.stats.fromLan++;
    if (isGroup(da)) return this.sendGroup(da, sa, ethertype, payload);
    const sta = this.stations.get(macToString(da));
    if (sta && sta.state === 'authorized') this.sendData(sta, sa, ethertype, payload);
  }

  // ------------------------------------------------------------ frames to stations

  /** The data rate for a station: the fastest ERP-OFDM rate its last RSSI supports with 3 dB margin. */
  private dataRate(sta: ApStation): TxVector {
    for (const r of [...OFDM_RATES].reverse())
      if (sta.rssi - 3 >= sensitivityDbm({ rateMbps: r })) return { rateMbps: r };
    return { rateMbps: 1 };
  }

  /** A data frame from the DS to a station: `sa` is the LAN source (the BSSID for the AP's own). */
  sendData(
    sta: ApStation,
    sa: MacAddress,
    ethertype: number,
    payload: Uint8Array,
    eapol = false,
  ): void {
    const init: FrameInit = {
      type: FrameType.DATA,
      subtype: sta.qos ? Data.QOS_DATA : Data.DATA,
      fromDS: true,
      addr1: sta.mac,
      addr2: this.bssid,
      addr3: sa,
      qos: sta.qos ? (eapol ? 7 : 0) : undefined,
      body: llcSnap(ethertype, payload),
    };
    if (sta.dozing && !eapol) {
      sta.buffered.push(init);
      return;
    }
    this.transmitToStation(sta, init);
  }

  private transmitToStation(sta: ApStation, init: FrameInit): void {
    const ptk = sta.ptk;
    this.mac.send(init, {
      tx: this.dataRate(sta),
      transform: ptk ? (mpdu) => ccmpEncrypt(mpdu, ptk.tk, sta.txPn++) : undefined,
    });
  }

  private psPoll(f: Frame): void {
    const sta = this.stations.get(macToString(f.addr2!));
    if (!sta || sta.aid !== (f.duration & 0x3fff)) return;
    sta.lastActivity = this.air.clock.now;
    sta.pollBuffered = false;
    const next = sta.buffered.shift();
    if (next) this.transmitToStation(sta, { ...next, moreData: sta.buffered.length > 0 });
    else this.transmitToStation(sta, this.nullFrameTo(sta));
  }

  /** A null-data frame to `sta`: "nothing buffered" after a PS-Poll, or an inactivity poll. */
  private nullFrameTo(sta: ApStation): FrameInit {
    return {
      type: FrameType.DATA,
      subtype: Data.NULL,
      fromDS: true,
      addr1: sta.mac,
      addr2: this.bssid,
      addr3: this.bssid,
    };
  }

  private sendGroup(da: MacAddress, sa: MacAddress, ethertype: number, payload: Uint8Array): void {
    const members = [...this.stations.values()].filter((s) => s.state === 'authorized');
    if (members.length === 0) return;
    const init: FrameInit = {
      type: FrameType.DATA,
      subtype: Data.DATA,
      fromDS: true,
      addr1: da,
      addr2: this.bssid,
      addr3: sa,
      body: llcSnap(ethertype, payload),
    };
    if (members.some((s) => s.dozing)) {
      this.groupBuffer.push(init);
      return;
    }
    this.transmitGroup(init);
  }

  /** Group frames go at the lowest basic rate, under the GTK in a WPA2 BSS. */
  private transmitGroup(init: FrameInit): void {
    const g = this.gtk;
    this.mac.send(init, {
      tx: MGMT_TX,
      transform: !this.wpa2
        ? undefined
        : this.tkipGroup
          ? (mpdu) => tkipSeal(mpdu, g.key.subarray(0, 16), g.key.subarray(16, 24), g.pn++, g.keyId)
          : (mpdu) => ccmpEncrypt(mpdu, g.key, g.pn++, g.keyId),
    });
  }

  // ------------------------------------------------------------ inactivity

  private checkInactivity(): void {
    this.inactivityTimer.scheduleIn(1_000_000 * TICKS_PER_MICROSECOND);
    const limit = this.config.maxInactivityS * 1_000_000 * TICKS_PER_MICROSECOND;
    for (const sta of [...this.stations.values()]) {
      if (this.air.clock.now - sta.lastActivity < limit || sta.aid === 0) continue;
      // hostapd polls with a null data frame first; no ACK means the station is gone.
      sta.lastActivity = this.air.clock.now;
      const poll = this.nullFrameTo(sta);
      // A station in power save has its radio off between beacons: the poll waits in its buffer
      // (its TIM bit set) like any frame for it, and fetching it is the answer. One that has not
      // come for the last poll in all that time is gone. (An ESP8266 in the SDK's default modem
      // sleep was dropped 300 s into an idle association before this.)
      if (sta.dozing) {
        if (sta.pollBuffered) this.disassociate(sta.mac, Reason.DISASSOC_DUE_TO_INACTIVITY);
        else {
          sta.pollBuffered = true;
          sta.buffered.push(poll);
        }
        continue;
      }
      this.mac.send(poll, {
        tx: MGMT_TX,
        onDone: (acked) => {
          if (!acked && this.stations.get(macToString(sta.mac)) === sta)
            this.disassociate(sta.mac, Reason.DISASSOC_DUE_TO_INACTIVITY);
        },
      });
    }
  }

  /**
   * Stops beaconing and leaves the LAN; `deauthenticate` (default) first tells every station
   * (reason 3, as hostapd does on shutdown), otherwise they find out from the missing beacons.
   */
  shutdown(deauthenticate = true): void {
    if (deauthenticate)
      for (const s of [...this.stations.values()])
        this.deauthenticate(s.mac, Reason.DEAUTH_LEAVING);
    else this.stations.clear();
    this.beaconTimer.cancel();
    this.inactivityTimer.cancel();
    this.lan?.detach();
  }
}

export function ethernetFrame(
  da: MacAddress,
  sa: MacAddress,
  ethertype: number,
  payload: Uint8Array,
): Uint8Array {
  const eth = new Uint8Array(14 + payload.length);
  eth.set(da.subarray(0, 6), 0);
  eth.set(sa.subarray(0, 6), 6);
  eth[12] = ethertype >> 8;
  eth[13] = ethertype & 0xff;
  eth.set(payload, 14);
  return eth;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
