/**
 * The WPA2-PSK authenticator of one station (IEEE 802.11-2016 §12.7.6, §12.7.7) with hostapd's
 * retry behaviour: each EAPOL-Key message waits 100 ms after its first transmission and 1000 ms
 * after the later ones (eapol_key_timeout_first/_subseq; group message 1 first waits 500 ms),
 * and after dot11RSNAConfigPairwiseUpdateCount = 4 transmissions without a valid answer the
 * station is deauthenticated with reason 15 (4-way handshake timeout; 16 for the group key
 * handshake). A message 2 whose MIC does not verify — a wrong passphrase — is dropped silently,
 * exactly as hostapd does ("invalid MIC in msg 2/4 of 4-Way Handshake").
 */
import { TICKS_PER_MICROSECOND, type Alarm, type NetClock } from '../clock.ts';
import {
  KeyInfo,
  buildEapolKey,
  gtkKde,
  padKeyData,
  parseEapolKey,
  parseKeyData,
} from './eapol.ts';
import { Reason } from './frame.ts';
import { buildIes, type Ie } from './ie.ts';
import { derivePtk, signEapol, verifyEapolMic, wrapKeyData, type Ptk } from './wpa.ts';

export const EAPOL_TIMEOUT_FIRST_MS = 100;
export const EAPOL_TIMEOUT_SUBSEQ_MS = 1000;
export const EAPOL_TIMEOUT_FIRST_GROUP_MS = 500;
export const PAIRWISE_UPDATE_COUNT = 4;
export const GROUP_UPDATE_COUNT = 4;

const V2 = KeyInfo.VERSION_AES_HMAC_SHA1;

export interface GroupKey {
  key: Uint8Array;
  keyId: number;
  /** Next PN the AP will use with it, for the RSC field. */
  pn: bigint;
}

export interface AuthenticatorHooks {
  clock: NetClock;
  pmk: Uint8Array;
  aa: Uint8Array;
  spa: Uint8Array;
  /** The AP's RSN element (sent in message 3) and the one the station sent in its association. */
  apRsn: Ie;
  staRsn: Ie;
  nonce: () => Uint8Array;
  group: () => GroupKey;
  send: (eapol: Uint8Array) => void;
  /** Message 4 verified: install the PTK, open the port. */
  complete: (ptk: Ptk) => void;
  /** Give up: deauthenticate with this reason. */
  fail: (reason: number) => void;
  log?: (msg: string) => void;
}

type State = 'idle' | 'ptk-start' | 'ptk-init-negotiating' | 'done' | 'group-rekey' | 'failed';

function rscOf(pn: bigint): Uint8Array {
  const r = new Uint8Array(8);
  for (let i = 0; i < 6; i++) r[i] = Number((pn >> BigInt(8 * i)) & 0xffn);
  return r;
}

export class Authenticator {
  state: State = 'idle';
  ptk: Ptk | null = null;
  /** Counters a failing test can read: invalid MICs seen, messages sent. */
  readonly stats = { invalidMic: 0, sent: 0 };
  private replayCounter = 0n;
  private readonly sentCounters = new Set<bigint>();
  private anonce: Uint8Array = new Uint8Array(32);
  private candidate: Ptk | null = null;
  private timeoutCtr = 0;
  private readonly timer: Alarm;
  private resend: () => void = () => {};

  constructor(private readonly h: AuthenticatorHooks) {
    this.timer = h.clock.createAlarm(() => this.timedOut(), 'eapol-timeout');
  }

  /** Start the 4-way handshake (after association). */
  start(): void {
    this.anonce = this.h.nonce();
    this.timeoutCtr = 0;
    this.state = 'ptk-start';
    this.sendMessage1();
  }

  stop(): void {
    this.timer.cancel();
    this.state = 'idle';
  }

  private arm(group = false): void {
    const ms =
      this.timeoutCtr === 1
        ? group
          ? EAPOL_TIMEOUT_FIRST_GROUP_MS
          : EAPOL_TIMEOUT_FIRST_MS
        : EAPOL_TIMEOUT_SUBSEQ_MS;
    this.timer.scheduleIn(ms * 1000 * TICKS_PER_MICROSECOND);
  }

  private timedOut(): void {
    this.resend();
  }

  private nextCounter(): bigint {
    this.replayCounter++;
    this.sentCounters.add(this.replayCounter);
    return this.replayCounter;
  }

  private transmit(frame: Uint8Array, group = false): void {
    this.stats.sent++;
    this.h.send(frame);
    this.arm(group);
  }

  private giveUp(reason: number): void {
    this.timer.cancel();
    this.state = 'failed';
    this.h.log?.(`EAPOL-Key timeout, deauthenticating (reason ${reason})`);
    this.h.fail(reason);
  }

  private sendMessage1(): void {
    this.resend = () => this.sendMessage1();
    if (++this.timeoutCtr > PAIRWISE_UPDATE_COUNT)
      return this.giveUp(Reason.FOURWAY_HANDSHAKE_TIMEOUT);
    this.sentCounters.clear();
    const m1 = buildEapolKey({
      keyInfo: V2 | KeyInfo.PAIRWISE | KeyInfo.ACK,
      keyLength: 16,
      replayCounter: this.nextCounter(),
      nonce: this.anonce,
    });
    this.transmit(m1);
  }

  private sendMessage3(): void {
    this.resend = () => this.sendMessage3();
    if (++this.timeoutCtr > PAIRWISE_UPDATE_COUNT)
      return this.giveUp(Reason.FOURWAY_HANDSHAKE_TIMEOUT);
    const ptk = this.candidate!;
    const g = this.h.group();
    const keyData = padKeyData(
      Uint8Array.from([
        ...buildIes([this.h.apRsn]),
        ...gtkKde({ keyId: g.keyId, tx: false, gtk: g.key }),
      ]),
    );
    this.sentCounters.clear();
    const m3 = buildEapolKey({
      keyInfo:
        V2 |
        KeyInfo.PAIRWISE |
        KeyInfo.INSTALL |
        KeyInfo.ACK |
        KeyInfo.MIC |
        KeyInfo.SECURE |
        KeyInfo.ENCRYPTED_KEY_DATA,
      keyLength: 16,
      replayCounter: this.nextCounter(),
      nonce: this.anonce,
      rsc: rscOf(g.pn),
      keyData: wrapKeyData(ptk.kek, keyData),
    });
    this.transmit(signEapol(ptk.kck, m3));
  }

  /** Group key handshake with the current group key (after `group()` changed). */
  startGroupRekey(): void {
    if (!this.ptk) return;
    this.state = 'group-rekey';
    this.timeoutCtr = 0;
    this.sendGroupMessage1();
  }

  private sendGroupMessage1(): void {
    this.resend = () => this.sendGroupMessage1();
    if (++this.timeoutCtr > GROUP_UPDATE_COUNT) return this.giveUp(Reason.GROUP_KEY_UPDATE_TIMEOUT);
    const ptk = this.ptk!;
    const g = this.h.group();
    this.sentCounters.clear();
    const m = buildEapolKey({
      keyInfo: V2 | KeyInfo.ACK | KeyInfo.MIC | KeyInfo.SECURE | KeyInfo.ENCRYPTED_KEY_DATA,
      keyLength: 16,
      replayCounter: this.nextCounter(),
      rsc: rscOf(g.pn),
      keyData: wrapKeyData(ptk.kek, padKeyData(gtkKde({ keyId: g.keyId, tx: false, gtk: g.key }))),
    });
    this.transmit(signEapol(ptk.kck, m), true);
  }

  /** An EAPOL frame from the station. */
  receive(eapol: Uint8Array): void {
    const k = parseEapolKey(eapol);
    if (!k || (k.keyInfo & KeyInfo.VERSION_MASK) !== V2) return;
    if (!(k.keyInfo & KeyInfo.MIC) || k.keyInfo & KeyInfo.ACK) return;
    if (!this.sentCounters.has(k.replayCounter)) {
      this.h.log?.('EAPOL-Key with an unexpected replay counter dropped');
      return;
    }
    const pairwise = (k.keyInfo & KeyInfo.PAIRWISE) !== 0;
    if (this.state === 'ptk-start' && pairwise && !(k.keyInfo & KeyInfo.SECURE)) {
      const ptk = derivePtk(this.h.pmk, this.h.aa, this.h.spa, this.anonce, k.nonce);
      if (!verifyEapolMic(ptk.kck, eapol)) {
        this.stats.invalidMic++;
        this.h.log?.('invalid MIC in msg 2/4 of 4-Way Handshake');
        return; // the timer keeps running: message 1 is retried
      }
      const staRsn = parseKeyData(k.keyData).ies.find((e) => e.id === this.h.staRsn.id);
      if (!staRsn || !sameBytes(staRsn.data, this.h.staRsn.data)) {
        this.timer.cancel();
        this.state = 'failed';
        this.h.fail(Reason.IE_IN_4WAY_DIFFERS);
        return;
      }
      this.candidate = ptk;
      this.state = 'ptk-init-negotiating';
      this.timeoutCtr = 0;
      this.sendMessage3();
      return;
    }
    if (this.state === 'ptk-init-negotiating' && pairwise && k.keyInfo & KeyInfo.SECURE) {
      if (!verifyEapolMic(this.candidate!.kck, eapol)) {
        this.stats.invalidMic++;
        return;
      }
      this.timer.cancel();
      this.ptk = this.candidate;
      this.state = 'done';
      this.h.complete(this.ptk!);
      return;
    }
    if (this.state === 'group-rekey' && !pairwise && this.ptk) {
      if (!verifyEapolMic(this.ptk.kck, eapol)) {
        this.stats.invalidMic++;
        return;
      }
      this.timer.cancel();
      this.state = 'done';
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
