/**
 * Everything that reached a NetworkWorld from outside since it was built, in order: what the
 * board's MAC sent and answered, and what the page or the CLI asked of it (a virtual station's
 * ping, a debugging-tool line, a served file). The world itself is deterministic — its randomness
 * comes from seeded generators and its time from the board's clock — so its configuration plus
 * this history *is* its running state: a snapshot carries the two, and a resume rebuilds the world
 * and replays the history into it (replay.ts) until it stands where it stood, every station
 * table, key, lease, TCP connection and frame in flight included.
 *
 * Binary records, appended as they happen. Events (a transmission, a retune, an input) carry the
 * tick and how many of the world's alarms had fired (world-clock.ts): their place in the world's
 * own sequence of events. Answers (did the MAC take a frame, which key does it hold, a finished
 * transmission handed over) are replayed in order when the world calls the MAC again; an event
 * the MAC caused while the world was calling it is marked nested and comes before that call's
 * answer. Late records say an alarm ran a few ticks after its tick.
 *
 * What cannot be replayed — frames from a real network (relay, TAP), the page's HTTP bridge,
 * whose requests wait on promises in the page — marks the history unreplayable with the reason;
 * such a world resumes from its configuration only (world-snapshot.ts).
 */
import type { WifiKey, WifiTransmission } from '../../board/peripherals/wifi-radio-port.ts';

/** A history past this many bytes is dropped (the world then resumes from its configuration). */
export const HISTORY_LIMIT_BYTES = 32 << 20;

export const enum Rec {
  Transmit = 1,
  Channel = 2,
  Input = 3,
  Accepted = 4,
  Key = 5,
  Late = 6,
  Complete = 7,
}

/** What the page or the CLI asked of the world (NetworkWorld's input methods). */
export type WorldInput =
  | { op: 'stationPing'; station: number }
  | { op: 'stationGet'; station: number; path: string }
  | { op: 'toolOpen'; lan: number; spec: unknown }
  | { op: 'toolSend'; lan: number; session: number; data: Uint8Array }
  | { op: 'toolClose'; lan: number; session: number }
  | { op: 'serveFile'; path: string; data: Uint8Array | null }
  | { op: 'switchOff'; ap: number; graceful: boolean };

interface EventPlace {
  tick: number;
  fired: number;
  /** Happened inside a call of the world into the MAC (before that call's answer). */
  nested: boolean;
}

export type HistoryEvent =
  | ({ rec: Rec.Transmit; tx: WifiTransmission } & EventPlace)
  | ({ rec: Rec.Channel; channel: number } & EventPlace)
  | ({ rec: Rec.Input; input: WorldInput } & EventPlace);

export type HistoryAnswer =
  | { rec: Rec.Accepted; accepted: boolean }
  | { rec: Rec.Key; key: WifiKey | null }
  | { rec: Rec.Complete; acked: boolean };

export type HistoryRecord = HistoryEvent | HistoryAnswer;

/** A history as read back: events and answers in order, and the late alarms. */
export interface ParsedHistory {
  records: HistoryRecord[];
  late: Map<number, number>;
}

export class WorldHistory {
  private bytes = new Uint8Array(4096);
  private view = new DataView(this.bytes.buffer);
  private length = 0;
  /** Why this history cannot be replayed (null: it can). */
  unreplayable: string | null = null;
  /** Off while a resumed world replays what is already written. */
  recording = true;

  /** `log`: what an earlier run wrote (a resumed world goes on appending to it). */
  constructor(log?: Uint8Array) {
    if (log) {
      this.reserve(log.length);
      this.bytes.set(log);
      this.length = log.length;
    }
  }

  get size(): number {
    return this.length;
  }

  /** The records so far (a copy). */
  log(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  giveUp(reason: string): void {
    if (this.unreplayable !== null) return;
    this.unreplayable = reason;
    this.bytes = new Uint8Array(0);
    this.view = new DataView(this.bytes.buffer);
    this.length = 0;
  }

  private get open(): boolean {
    return this.recording && this.unreplayable === null;
  }

  transmit(tick: number, fired: number, nested: boolean, tx: WifiTransmission): void {
    if (!this.open) return;
    this.event(Rec.Transmit, tick, fired, nested);
    this.blob(tx.mpdu);
    this.u8(tx.channel);
    this.u8(tx.rate);
    this.u8(tx.queue);
    this.key(tx.key);
    this.checkSize();
  }

  channel(tick: number, fired: number, nested: boolean, channel: number): void {
    if (!this.open) return;
    this.event(Rec.Channel, tick, fired, nested);
    this.u8(channel);
  }

  input(tick: number, fired: number, input: WorldInput): void {
    if (!this.open) return;
    this.event(Rec.Input, tick, fired, false);
    const { data, ...rest } = input as WorldInput & { data?: Uint8Array | null };
    this.blob(new TextEncoder().encode(JSON.stringify(rest)));
    this.u8(data === undefined ? 0 : data === null ? 1 : 2);
    if (data) this.blob(data);
    this.checkSize();
  }

  accepted(accepted: boolean): void {
    if (!this.open) return;
    this.u8(Rec.Accepted);
    this.u8(accepted ? 1 : 0);
  }

  complete(acked: boolean): void {
    if (!this.open) return;
    this.u8(Rec.Complete);
    this.u8(acked ? 1 : 0);
  }

  rxKey(key: WifiKey | null): void {
    if (!this.open) return;
    this.u8(Rec.Key);
    this.key(key);
  }

  late(fired: number, ticks: number): void {
    if (!this.open) return;
    this.u8(Rec.Late);
    this.u32(fired);
    this.f64(ticks);
  }

  private event(rec: Rec, tick: number, fired: number, nested: boolean): void {
    this.u8(rec);
    this.f64(tick);
    this.u32(fired);
    this.u8(nested ? 1 : 0);
  }

  private key(key: WifiKey | null): void {
    if (!key) return this.u8(0);
    this.u8(1);
    this.u8(key.slot);
    this.u8(key.cipher);
    this.u8(key.keyId);
    this.blob(key.key);
  }

  private checkSize(): void {
    if (this.length > HISTORY_LIMIT_BYTES)
      this.giveUp(`the network's history passed ${HISTORY_LIMIT_BYTES >> 20} MB`);
  }

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  private u8(v: number): void {
    this.reserve(1);
    this.bytes[this.length++] = v;
  }

  private u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  private f64(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  private blob(b: Uint8Array): void {
    this.u32(b.length);
    this.reserve(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
  }
}

/** Reads a history's records (throws Error naming the offset of a record it cannot read). */
export function parseHistory(log: Uint8Array): ParsedHistory {
  const view = new DataView(log.buffer, log.byteOffset, log.byteLength);
  const out: ParsedHistory = { records: [], late: new Map() };
  let at = 0;
  let start = 0;
  const need = (n: number) => {
    if (at + n > log.length)
      throw new Error(`the network history ends inside the record at ${start}`);
  };
  const u8 = () => (need(1), log[at++]);
  const u32 = () => {
    need(4);
    const v = view.getUint32(at, true);
    at += 4;
    return v;
  };
  const f64 = () => {
    need(8);
    const v = view.getFloat64(at, true);
    at += 8;
    return v;
  };
  const blob = () => {
    const n = u32();
    need(n);
    const b = log.slice(at, at + n);
    at += n;
    return b;
  };
  const key = (): WifiKey | null => {
    if (u8() === 0) return null;
    return { slot: u8(), cipher: u8(), keyId: u8(), key: blob() };
  };
  while (at < log.length) {
    start = at;
    const rec = u8();
    switch (rec) {
      case Rec.Transmit: {
        const place = { tick: f64(), fired: u32(), nested: u8() === 1 };
        const mpdu = blob();
        const tx: WifiTransmission = { mpdu, channel: u8(), rate: u8(), queue: u8(), key: key() };
        out.records.push({ rec, ...place, tx });
        break;
      }
      case Rec.Channel: {
        const place = { tick: f64(), fired: u32(), nested: u8() === 1 };
        out.records.push({ rec, ...place, channel: u8() });
        break;
      }
      case Rec.Input: {
        const place = { tick: f64(), fired: u32(), nested: u8() === 1 };
        const fields = JSON.parse(new TextDecoder().decode(blob())) as WorldInput;
        const hasData = u8();
        const input = (
          hasData === 0 ? fields : { ...fields, data: hasData === 1 ? null : blob() }
        ) as WorldInput;
        out.records.push({ rec, ...place, input });
        break;
      }
      case Rec.Accepted:
        out.records.push({ rec, accepted: u8() === 1 });
        break;
      case Rec.Complete:
        out.records.push({ rec, acked: u8() === 1 });
        break;
      case Rec.Key:
        out.records.push({ rec, key: key() });
        break;
      case Rec.Late: {
        const fired = u32();
        out.late.set(fired, f64());
        break;
      }
      default:
        throw new Error(`the network history has an unknown record ${rec} at ${start}`);
    }
  }
  return out;
}
