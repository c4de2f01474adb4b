/**
 * The WPA2-PSK supplicant side of the 4-way and group key handshakes (IEEE 802.11-2016 §12.7.6,
 * §12.7.7), as a station runs it: answers message 1 with its SNonce and RSN element, checks
 * message 3's MIC and ANonce, unwraps the GTK, answers with message 4 and installs the keys.
 */
import { KeyInfo, buildEapolKey, parseEapolKey, parseKeyData, type GtkKde } from './eapol.ts';
import { buildIes, type Ie } from './ie.ts';
import { derivePtk, signEapol, unwrapKeyData, verifyEapolMic, type Ptk } from './wpa.ts';

const V2 = KeyInfo.VERSION_AES_HMAC_SHA1;

export interface SupplicantHooks {
  pmk: Uint8Array;
  aa: Uint8Array;
  spa: Uint8Array;
  /** The RSN element the station sent in its (re)association request. */
  staRsn: Ie;
  nonce: () => Uint8Array;
  send: (eapol: Uint8Array) => void;
  installPtk: (ptk: Ptk) => void;
  installGtk: (gtk: GtkKde, rsc: Uint8Array) => void;
  log?: (msg: string) => void;
}

export class Supplicant {
  ptk: Ptk | null = null;
  private candidate: Ptk | null = null;
  private anonce: Uint8Array | null = null;
  private snonce: Uint8Array | null = null;
  private lastCounter = -1n;
  readonly stats = { invalidMic: 0 };

  constructor(private readonly h: SupplicantHooks) {}

  receive(eapol: Uint8Array): void {
    const k = parseEapolKey(eapol);
    if (!k || (k.keyInfo & KeyInfo.VERSION_MASK) !== V2 || !(k.keyInfo & KeyInfo.ACK)) return;
    if (k.replayCounter <= this.lastCounter) return; // replayed
    const pairwise = (k.keyInfo & KeyInfo.PAIRWISE) !== 0;
    const mic = (k.keyInfo & KeyInfo.MIC) !== 0;
    if (pairwise && !mic) return this.message1(k.replayCounter, k.nonce);
    if (pairwise && mic) return this.message3(eapol, k.replayCounter, k.nonce, k.keyData, k.rsc);
    if (!pairwise && mic && this.ptk)
      return this.groupMessage1(eapol, k.replayCounter, k.keyData, k.rsc);
  }

  private message1(counter: bigint, anonce: Uint8Array): void {
    this.lastCounter = counter;
    this.anonce = anonce;
    this.snonce ??= this.h.nonce();
    this.candidate = derivePtk(this.h.pmk, this.h.aa, this.h.spa, anonce, this.snonce);
    const m2 = buildEapolKey({
      protocolVersion: 1,
      keyInfo: V2 | KeyInfo.PAIRWISE | KeyInfo.MIC,
      replayCounter: counter,
      nonce: this.snonce,
      keyData: buildIes([this.h.staRsn]),
    });
    this.h.send(signEapol(this.candidate.kck, m2));
  }

  private unwrapGtk(ptk: Ptk, keyData: Uint8Array): GtkKde | null {
    const plain = unwrapKeyData(ptk.kek, keyData);
    return plain ? (parseKeyData(plain).gtk ?? null) : null;
  }

  private message3(
    eapol: Uint8Array,
    counter: bigint,
    anonce: Uint8Array,
    keyData: Uint8Array,
    rsc: Uint8Array,
  ): void {
    const ptk = this.candidate;
    if (!ptk || !this.anonce || !anonce.every((b, i) => b === this.anonce![i])) return;
    if (!verifyEapolMic(ptk.kck, eapol)) {
      this.stats.invalidMic++;
      this.h.log?.('invalid MIC in msg 3/4');
      return;
    }
    const gtk = this.unwrapGtk(ptk, keyData);
    if (!gtk) return;
    this.lastCounter = counter;
    const m4 = buildEapolKey({
      protocolVersion: 1,
      keyInfo: V2 | KeyInfo.PAIRWISE | KeyInfo.MIC | KeyInfo.SECURE,
      replayCounter: counter,
    });
    this.h.send(signEapol(ptk.kck, m4));
    this.ptk = ptk;
    this.snonce = null;
    this.h.installPtk(ptk);
    this.h.installGtk(gtk, rsc);
  }

  private groupMessage1(
    eapol: Uint8Array,
    counter: bigint,
    keyData: Uint8Array,
    rsc: Uint8Array,
  ): void {
    const ptk = this.ptk!;
    if (!verifyEapolMic(ptk.kck, eapol)) return;
    const gtk = this.unwrapGtk(ptk, keyData);
    if (!gtk) return;
    this.lastCounter = counter;
    const m2 = buildEapolKey({
      protocolVersion: 1,
      keyInfo: V2 | KeyInfo.MIC | KeyInfo.SECURE,
      replayCounter: counter,
    });
    this.h.send(signEapol(ptk.kck, m2));
    this.h.installGtk(gtk, rsc);
  }
}
