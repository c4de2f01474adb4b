/**
 * A virtual station (non-AP STA): active scan across channels, open-system authentication,
 * association, the WPA2-PSK supplicant, CCMP data, and power save (PM bit, TIM, PS-Poll). It
 * exchanges Ethernet II frames with whatever runs above it (a virtual host, a test). Usable
 * against our virtual AP and against a board's SoftAP on the same air.
 */
import { TICKS_PER_MICROSECOND, type Alarm } from '../clock.ts';
import { ETHERTYPE_EAPOL } from '../ethernet.ts';
import type { Air, Position } from './air.ts';
import type { TxVector } from './airtime.ts';
import { ethernetFrame, TU_US } from './access-point.ts';
import { ccmpDecrypt, ccmpEncrypt } from './ccmp.ts';
import {
  AuthAlgorithm,
  Capability,
  Ctrl,
  Data,
  FrameType,
  Mgmt,
  Reason,
  Status,
  buildAssocReqBody,
  buildAuthBody,
  dataAddresses,
  headerLength,
  parseAssocRespBody,
  parseAuthBody,
  parseBeaconBody,
  parseReason,
  reasonBody,
  type Frame,
  type FrameInit,
} from './frame.ts';
import {
  IeId,
  buildIes,
  findIe,
  findWmm,
  Suite,
  parseDsParams,
  parseRsn,
  parseSsid,
  parseTim,
  ssidIe,
  rateIes,
  rsnIe,
  wmmIe,
  type Ie,
  type Tim,
} from './ie.ts';
import { AP_RATES, htCapabilities } from './ies-ap.ts';
import { llcSnap, parseLlcSnap } from './llc.ts';
import { MacLayer, type ReceivedFrame } from './mac-layer.ts';
import { BROADCAST, isGroup, macEquals, macToString, type MacAddress } from './mac-address.ts';
import { Prng } from './prng.ts';
import type { CountryCode } from './regulatory.ts';
import { Supplicant } from './supplicant.ts';
import { tkipDecrypt } from './tkip.ts';
import { pmkFromPassphrase, type Ptk } from './wpa.ts';

const MGMT_TX: TxVector = { rateMbps: 1 };
const DATA_TX: TxVector = { rateMbps: 54 };
const MS = 1000 * TICKS_PER_MICROSECOND;
const BEACON_LOSS_COUNT = 7;
const DEFAULT_BEACON_INTERVAL_TU = 100;

export interface StationConfig {
  mac: MacAddress;
  position?: Position;
  txPowerDbm?: number;
  country?: CountryCode;
  listenInterval?: number;
  seed?: number;
  log?: (msg: string) => void;
}

export interface ScanResult {
  bssid: MacAddress;
  ssid: string;
  channel: number;
  rssi: number;
  wpa2: boolean;
  /** The AP's group cipher suite (Suite.CCMP, or Suite.TKIP as the ESP8266's SoftAP uses). */
  groupCipher: number;
  beaconIntervalTu: number;
  /** Heard in a beacon with an empty SSID (a hidden AP) and no probe response. */
  hidden: boolean;
}

export interface ScanOptions {
  channels?: number[];
  /** Directed probe for this SSID (finds hidden APs); wildcard otherwise. */
  ssid?: string;
  /** Time on each channel; default 50 ms. */
  dwellMs?: number;
}

export type ConnectResult =
  { ok: true; aid: number; bssid: MacAddress } | { ok: false; reason: string; code?: number };

export type StationState =
  'idle' | 'scanning' | 'authenticating' | 'associating' | 'handshake' | 'connected';

export class VirtualStation {
  readonly mac: MacLayer;
  state: StationState = 'idle';
  aid = 0;
  bssid: MacAddress | null = null;
  /** The last TIM of our AP's beacons. */
  lastTim: Tim | null = null;
  /** Ethernet frames the station received. */
  onEthernet: (eth: Uint8Array) => void = () => {};
  onDisconnected: (reason: number) => void = () => {};
  readonly stats = { replays: 0, micFailures: 0, ownBroadcastEchoes: 0 };

  private readonly prng: Prng;
  private readonly timer: Alarm;
  private onTimer: () => void = () => {};
  /** Fires when our AP's beacons stop (it went away or moved to another channel). */
  private readonly beaconWatch: Alarm;
  private scanResults = new Map<string, ScanResult>();
  private qos = false;
  private supplicant: Supplicant | null = null;
  private ptk: Ptk | null = null;
  private gtk: { key: Uint8Array; keyId: number; rxPn: bigint; tkip: boolean } | null = null;
  private readonly rxPn = new Map<number, bigint>();
  private txPn = 1n;
  private powerSave = false;
  private pending: ((r: ConnectResult) => void) | null = null;
  private ssid = '';
  private rsn: Ie | null = null;

  constructor(
    readonly air: Air,
    readonly config: StationConfig,
  ) {
    this.prng = new Prng(config.seed ?? config.mac.reduce((a, b) => a * 31 + b, 3));
    this.mac = new MacLayer(air, config.mac, {
      name: `sta ${macToString(config.mac)}`,
      country: config.country,
      position: config.position,
      txPowerDbm: config.txPowerDbm,
    });
    this.mac.onReceive = (rx) => this.received(rx);
    this.timer = air.clock.createAlarm(() => this.onTimer(), 'sta-timer');
    this.beaconWatch = air.clock.createAlarm(() => this.beaconsLost(), 'sta-beacon-loss');
  }

  private log(m: string): void {
    this.config.log?.(`${macToString(this.config.mac)}: ${m}`);
  }

  private after(ms: number, f: () => void): void {
    this.onTimer = f;
    this.timer.scheduleIn(ms * MS);
  }

  private mgmt(subtype: number, to: MacAddress, bssid: MacAddress, body: Uint8Array): void {
    this.mac.send(
      {
        type: FrameType.MGMT,
        subtype,
        addr1: to,
        addr2: this.config.mac,
        addr3: bssid,
        body,
        powerManagement: this.powerSave,
      },
      { tx: MGMT_TX },
    );
  }

  // ------------------------------------------------------------ scanning

  scan(options: ScanOptions, done: (results: ScanResult[]) => void): void {
    const channels = options.channels ?? this.mac.radio.channels;
    const dwell = options.dwellMs ?? 50;
    this.state = 'scanning';
    this.scanResults = new Map();
    let i = 0;
    const next = () => {
      if (i >= channels.length) {
        this.state = 'idle';
        done([...this.scanResults.values()].sort((a, b) => b.rssi - a.rssi));
        return;
      }
      this.mac.flush();
      this.mac.radio.tune(channels[i++]);
      const ies: Ie[] = [
        options.ssid ? ssidIe(options.ssid) : ssidIe(''),
        ...rateIes(AP_RATES),
        htCapabilities(),
      ];
      this.mgmt(Mgmt.PROBE_REQ, BROADCAST, BROADCAST, buildIes(ies));
      this.after(dwell, next);
    };
    next();
  }

  private noteBss(f: Frame, rssi: number, channelHeard: number): void {
    const b = parseBeaconBody(f.body);
    const ssidIe = findIe(b.ies, IeId.SSID);
    const ds = findIe(b.ies, IeId.DS_PARAMS);
    const channel = ds ? parseDsParams(ds.data) : channelHeard;
    if (channel !== channelHeard) return; // heard from an adjacent channel
    const key = macToString(f.addr3!);
    const ssid = ssidIe ? parseSsid(ssidIe.data) : '';
    const hidden = ssid === '' || (ssidIe?.data.every((x) => x === 0) ?? true);
    const old = this.scanResults.get(key);
    const rsn = findIe(b.ies, IeId.RSN);
    this.scanResults.set(key, {
      bssid: f.addr3!.slice(),
      ssid: hidden && old ? old.ssid : ssid,
      channel,
      rssi,
      wpa2: rsn !== undefined,
      groupCipher: groupCipherOf(rsn),
      beaconIntervalTu: b.interval,
      hidden: hidden && (!old || old.hidden),
    });
  }

  // ------------------------------------------------------------ connecting

  /** Scan (directed), authenticate, associate and, for WPA2, run the 4-way handshake. */
  connect(
    opts: { ssid: string; passphrase?: string; bssid?: MacAddress },
    done: (r: ConnectResult) => void = () => {},
  ): void {
    this.ssid = opts.ssid;
    this.scan({ ssid: opts.ssid }, (results) => {
      const match = results.find(
        (r) => r.ssid === opts.ssid && (!opts.bssid || macEquals(opts.bssid, r.bssid)),
      );
      if (!match) return done({ ok: false, reason: 'no AP found' });
      if (match.wpa2 !== (opts.passphrase !== undefined))
        return done({ ok: false, reason: match.wpa2 ? 'AP needs a passphrase' : 'AP is open' });
      const pmk = opts.passphrase ? pmkFromPassphrase(opts.passphrase, opts.ssid) : null;
      this.join(match, pmk, done);
    });
  }

  private join(bss: ScanResult, pmk: Uint8Array | null, done: (r: ConnectResult) => void): void {
    this.mac.radio.tune(bss.channel);
    this.bssid = bss.bssid;
    this.ssid = bss.ssid;
    this.pending = done;
    this.state = 'authenticating';
    let tries = 0;
    const auth = () => {
      if (++tries > 3) return this.finish({ ok: false, reason: 'authentication timed out' });
      this.mgmt(
        Mgmt.AUTH,
        bss.bssid,
        bss.bssid,
        buildAuthBody({ algorithm: AuthAlgorithm.OPEN, seq: 1, status: 0, ies: [] }),
      );
      this.after(200, auth);
    };
    this.afterAuth = () => {
      this.state = 'associating';
      tries = 0;
      const assoc = () => {
        if (++tries > 3) return this.finish({ ok: false, reason: 'association timed out' });
        const ies: Ie[] = [ssidIe(this.ssid), ...rateIes(AP_RATES)];
        this.rsn = pmk ? associationRsn(bss.groupCipher) : null;
        if (this.rsn) ies.push(this.rsn);
        ies.push(htCapabilities(), wmmIe({ subtype: 0, qosInfo: 0 }));
        const cap = Capability.ESS | Capability.SHORT_SLOT_TIME | (pmk ? Capability.PRIVACY : 0);
        this.mgmt(
          Mgmt.ASSOC_REQ,
          bss.bssid,
          bss.bssid,
          buildAssocReqBody({
            capability: cap,
            listenInterval: this.config.listenInterval ?? 3,
            ies,
          }),
        );
        this.after(200, assoc);
      };
      assoc();
    };
    this.afterAssoc = (aid, ies) => {
      this.aid = aid;
      this.qos = findWmm(ies) !== undefined;
      this.ptk = null;
      this.gtk = null;
      this.rxPn.clear();
      if (!pmk) return this.finish({ ok: true, aid, bssid: bss.bssid });
      this.state = 'handshake';
      this.supplicant = new Supplicant({
        pmk,
        aa: bss.bssid,
        spa: this.config.mac,
        staRsn: this.rsn!,
        nonce: () => this.prng.bytes(32),
        send: (eapol) => this.sendFrame(bss.bssid, this.config.mac, ETHERTYPE_EAPOL, eapol, true),
        installPtk: (ptk) => {
          this.ptk = ptk;
          this.txPn = 1n;
        },
        installGtk: (g, rsc) => {
          let pn = 0n;
          for (let i = 5; i >= 0; i--) pn = (pn << 8n) | BigInt(rsc[i]);
          this.gtk = {
            key: g.gtk,
            keyId: g.keyId,
            rxPn: pn - 1n,
            tkip: bss.groupCipher === Suite.TKIP,
          };
          if (this.state === 'handshake') this.finish({ ok: true, aid, bssid: bss.bssid });
        },
        log: (m) => this.log(m),
      });
      // The AP deauthenticates after its retries (reason 15); a station also gives up itself.
      this.after(10_000, () => this.finish({ ok: false, reason: '4-way handshake timed out' }));
    };
    auth();
  }

  private afterAuth: () => void = () => {};
  private afterAssoc: (aid: number, ies: Ie[]) => void = () => {};

  private finish(r: ConnectResult): void {
    this.timer.cancel();
    this.state = r.ok ? 'connected' : 'idle';
    if (r.ok) this.watchBeacons(DEFAULT_BEACON_INTERVAL_TU);
    if (!r.ok) this.log(`connect failed: ${r.reason}`);
    const cb = this.pending;
    this.pending = null;
    cb?.(r);
  }

  /** Leave the BSS with a deauthentication (reason 3: leaving). */
  disconnect(reason: number = Reason.DEAUTH_LEAVING): void {
    if (this.bssid && this.state !== 'idle')
      this.mgmt(Mgmt.DEAUTH, this.bssid, this.bssid, reasonBody(reason));
    this.reset();
  }

  private reset(): void {
    this.timer.cancel();
    this.beaconWatch.cancel();
    this.state = 'idle';
    this.aid = 0;
    this.ptk = null;
    this.gtk = null;
    this.supplicant = null;
  }

  /**
   * Like Linux's mac80211 (IEEE80211_BEACON_LOSS_COUNT), a station that misses its AP's beacons
   * for 7 intervals counts the connection as lost, without a frame (the AP is not there to hear
   * one), with reason 4 (inactivity). Seed guide A.2: a board's SoftAP that follows its station
   * to another channel drops its stations this way; they find it again by scanning.
   */
  private watchBeacons(intervalTu: number): void {
    const tu = intervalTu > 0 ? intervalTu : DEFAULT_BEACON_INTERVAL_TU;
    this.beaconWatch.scheduleIn(BEACON_LOSS_COUNT * tu * TU_US * TICKS_PER_MICROSECOND);
  }

  private beaconsLost(): void {
    if (this.state !== 'connected') return;
    this.log(`lost "${this.ssid}": no beacon for ${BEACON_LOSS_COUNT} intervals`);
    this.reset();
    this.onDisconnected(Reason.DISASSOC_DUE_TO_INACTIVITY);
  }

  // ------------------------------------------------------------ power save

  /** Enter or leave power save: a null data frame with the PM bit tells the AP. */
  setPowerSave(on: boolean): void {
    this.powerSave = on;
    if (!this.bssid) return;
    this.mac.send(
      {
        type: FrameType.DATA,
        subtype: Data.NULL,
        toDS: true,
        powerManagement: on,
        addr1: this.bssid,
        addr2: this.config.mac,
        addr3: this.bssid,
      },
      { tx: MGMT_TX },
    );
  }

  /** Ask the AP for one buffered frame. */
  psPoll(): void {
    if (!this.bssid) return;
    this.mac.send(
      {
        type: FrameType.CTRL,
        subtype: Ctrl.PS_POLL,
        powerManagement: true,
        duration: this.aid | 0xc000,
        addr1: this.bssid,
        addr2: this.config.mac,
      },
      { tx: MGMT_TX },
    );
  }

  // ------------------------------------------------------------ data

  /** Sends an Ethernet II frame through the AP. */
  send(eth: Uint8Array): void {
    if (this.state !== 'connected' || !this.bssid) return;
    const da = eth.slice(0, 6);
    const sa = eth.slice(6, 12);
    this.sendFrame(da, sa, (eth[12] << 8) | eth[13], eth.slice(14));
  }

  private sendFrame(
    da: MacAddress,
    _sa: MacAddress,
    ethertype: number,
    payload: Uint8Array,
    eapol = false,
  ): void {
    const bssid = this.bssid!;
    const init: FrameInit = {
      type: FrameType.DATA,
      subtype: this.qos ? Data.QOS_DATA : Data.DATA,
      toDS: true,
      powerManagement: this.powerSave,
      addr1: bssid,
      addr2: this.config.mac,
      addr3: da,
      qos: this.qos ? (eapol ? 7 : 0) : undefined,
      body: llcSnap(ethertype, payload),
    };
    const ptk = this.ptk;
    this.mac.send(init, {
      tx: DATA_TX,
      transform: ptk ? (m) => ccmpEncrypt(m, ptk.tk, this.txPn++) : undefined,
    });
  }

  private received({ frame: f, info, raw }: ReceivedFrame): void {
    if (f.type === FrameType.MGMT) {
      if (f.subtype === Mgmt.BEACON || f.subtype === Mgmt.PROBE_RESP) {
        if (this.state === 'scanning') this.noteBss(f, info.rssi, info.channel);
        if (f.subtype === Mgmt.BEACON && this.bssid && macEquals(f.addr3!, this.bssid)) {
          const beacon = parseBeaconBody(f.body);
          const tim = findIe(beacon.ies, IeId.TIM);
          if (tim) this.lastTim = parseTim(tim.data);
          if (this.state === 'connected') this.watchBeacons(beacon.interval);
        }
        return;
      }
      if (!this.bssid || !macEquals(f.addr2!, this.bssid) || !macEquals(f.addr1, this.config.mac))
        return;
      switch (f.subtype) {
        case Mgmt.AUTH: {
          const a = parseAuthBody(f.body);
          if (this.state !== 'authenticating' || a.seq !== 2) return;
          if (a.status !== Status.SUCCESS)
            return this.finish({ ok: false, reason: 'authentication refused', code: a.status });
          this.timer.cancel();
          return this.afterAuth();
        }
        case Mgmt.ASSOC_RESP:
        case Mgmt.REASSOC_RESP: {
          if (this.state !== 'associating') return;
          const r = parseAssocRespBody(f.body);
          if (r.status !== Status.SUCCESS)
            return this.finish({ ok: false, reason: 'association refused', code: r.status });
          this.timer.cancel();
          return this.afterAssoc(r.aid, r.ies);
        }
        case Mgmt.DEAUTH:
        case Mgmt.DISASSOC: {
          const reason = parseReason(f.body);
          const wasPending = this.pending !== null;
          this.reset();
          if (wasPending) this.finish({ ok: false, reason: 'deauthenticated', code: reason });
          this.log(
            `${f.subtype === Mgmt.DEAUTH ? 'deauthenticated' : 'disassociated'} (reason ${reason})`,
          );
          this.onDisconnected(reason);
          return;
        }
      }
      return;
    }
    if (
      f.type !== FrameType.DATA ||
      !f.fromDS ||
      f.toDS ||
      !this.bssid ||
      !macEquals(f.addr2!, this.bssid)
    )
      return;
    if ((f.subtype & Data.NULL) !== 0) return;
    let body = f.body;
    if (f.protected) {
      const group = isGroup(f.addr1);
      const key = group ? this.gtk?.key : this.ptk?.tk;
      if (!key) return;
      const d = group && this.gtk!.tkip ? openTkip(raw, key) : ccmpDecrypt(raw, key);
      if (!d) {
        this.stats.micFailures++;
        return;
      }
      const tid = f.qos !== undefined ? f.qos & 0xf : 0;
      const last = group ? this.gtk!.rxPn : (this.rxPn.get(tid) ?? 0n);
      if (d.pn <= last) {
        this.stats.replays++;
        return;
      }
      if (group) this.gtk!.rxPn = d.pn;
      else this.rxPn.set(tid, d.pn);
      body = d.mpdu.subarray(headerLength(f));
    } else if (this.ptk && !isEapol(body)) return; // after the handshake only protected data
    const llc = parseLlcSnap(body);
    if (!llc) return;
    const { da, sa } = dataAddresses(f);
    if (llc.ethertype === ETHERTYPE_EAPOL) {
      this.supplicant?.receive(llc.payload);
      return;
    }
    if (this.state !== 'connected') return;
    if (isGroup(da) && macEquals(sa, this.config.mac)) {
      this.stats.ownBroadcastEchoes++;
      return;
    }
    this.onEthernet(ethernetFrame(da, sa, llc.ethertype, llc.payload));
  }

  detach(): void {
    this.timer.cancel();
    this.mac.detach();
  }
}

/** A TKIP group frame from the AP: TK, then the authenticator's Michael key (bytes 16..23). */
function openTkip(raw: Uint8Array, gtk: Uint8Array): { mpdu: Uint8Array; pn: bigint } | null {
  if (gtk.length < 32) return null;
  const d = tkipDecrypt(raw, gtk.subarray(0, 16), gtk.subarray(16, 24));
  return d && { mpdu: d.mpdu, pn: d.tsc };
}

/**
 * The RSN element a station sends in its association request: pairwise CCMP, PSK, and the AP's
 * own group cipher — an authenticator rejects any other (the ESP8266 SoftAP's wpa_validate_wpa_ie
 * refuses CCMP against its TKIP group key, and then never sends EAPOL message 1).
 */
export function associationRsn(groupCipher: number): Ie {
  return rsnIe({
    version: 1,
    groupCipher,
    pairwiseCiphers: [Suite.CCMP],
    akms: [Suite.AKM_PSK],
    capabilities: 0,
  });
}

/** The group cipher an AP advertises in its RSN element (CCMP when it has none). */
export function groupCipherOf(rsn: Ie | undefined): number {
  if (!rsn) return Suite.CCMP;
  try {
    return parseRsn(rsn.data).groupCipher;
  } catch {
    return Suite.CCMP;
  }
}

function isEapol(body: Uint8Array): boolean {
  return parseLlcSnap(body)?.ethertype === ETHERTYPE_EAPOL;
}
