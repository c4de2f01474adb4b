/**
 * Stands between the board's MAC and its radio in the air (board-radio.ts) and writes down what
 * crosses: the frames the MAC sends and its retunes (events), and its answers to the air — did
 * it take a frame into its RX ring, which key does it hold for one (answers). During a replay
 * there is no board: the tap plays the MAC's part from the history, so the radio sends the same
 * ACKs and decrypts with the same keys as it did; then `goLive` joins the real MAC again.
 */
import type {
  WifiKey,
  WifiRadioPort,
  WifiReception,
  WifiTransmission,
  WifiTxOutcome,
} from '../../board/peripherals/wifi-radio-port.ts';
import type { BoardWifiMac } from '../board-radio.ts';
import type { WorldClock } from './world-clock.ts';
import { Rec, type HistoryEvent, type HistoryRecord, type WorldHistory } from './world-history.ts';

/** The replay's place in a history, shared by the replay loop and the tap. */
export class ReplayCursor {
  private next = 0;

  constructor(
    private readonly records: HistoryRecord[],
    /** Applies an event (the replay loop's way to send, retune or give an input). */
    readonly play: (e: HistoryEvent) => void,
  ) {}

  get left(): number {
    return this.records.length - this.next;
  }

  peek(): HistoryRecord | undefined {
    return this.records[this.next];
  }

  take(): HistoryRecord | undefined {
    return this.records[this.next++];
  }
}

export class BoardMacTap implements BoardWifiMac {
  private radioPort: WifiRadioPort | null = null;
  private retune: ((channel: number) => void) | null = null;
  private mac: BoardWifiMac | null = null;
  /** Calls of the world into the MAC in progress (what the MAC does meanwhile is nested). */
  private depth = 0;

  /**
   * `mac`: the board's MAC (a straight run), or null with a `cursor` for a replay. `startChannel`:
   * the MAC's channel when the world was built (the radio starts there).
   */
  constructor(
    private readonly clock: WorldClock,
    private readonly history: WorldHistory,
    mac: BoardWifiMac | null,
    readonly startChannel: number,
    private cursor: ReplayCursor | null = null,
  ) {
    if (mac) this.goLive(mac);
  }

  get channel(): number {
    return this.mac ? this.mac.channel : this.startChannel;
  }

  get port(): WifiRadioPort | null {
    return this.radioPort;
  }

  set port(port: WifiRadioPort | null) {
    this.radioPort = port;
    if (this.mac) this.mac.port = port ? this.recordingPort : null;
  }

  get onChannelChange(): ((channel: number) => void) | null {
    return this.retune;
  }

  set onChannelChange(f: ((channel: number) => void) | null) {
    this.retune = f;
    if (this.mac) this.mac.onChannelChange = f ? this.recordingRetune : null;
  }

  /** Connects the board's MAC (after a replay: from here on the history grows again). */
  goLive(mac: BoardWifiMac): void {
    this.mac = mac;
    this.cursor = null;
    mac.port = this.radioPort ? this.recordingPort : null;
    mac.onChannelChange = this.retune ? this.recordingRetune : null;
  }

  private readonly recordingPort: WifiRadioPort = {
    transmit: (tx: WifiTransmission): WifiTxOutcome | null => {
      this.history.transmit(this.clock.now, this.clock.fired, this.depth > 0, tx);
      return this.radioPort ? this.radioPort.transmit(tx) : null;
    },
  };

  private readonly recordingRetune = (channel: number): void => {
    this.history.channel(this.clock.now, this.clock.fired, this.depth > 0, channel);
    this.retune?.(channel);
  };

  receive(rx: WifiReception): boolean {
    if (this.mac) {
      const mac = this.mac;
      const accepted = this.calling(() => mac.receive(rx));
      this.history.accepted(accepted);
      return accepted;
    }
    const a = this.answer(Rec.Accepted);
    return a.rec === Rec.Accepted && a.accepted;
  }

  completeTransmission(acked: boolean): void {
    if (this.mac) {
      const mac = this.mac;
      this.calling(() => mac.completeTransmission(acked));
      this.history.complete(acked);
      return;
    }
    const a = this.answer(Rec.Complete);
    if (a.rec === Rec.Complete && a.acked !== acked)
      throw new ReplayDiverged(
        `a transmission ended ${acked ? 'acknowledged' : 'unacknowledged'}, in the history the other way`,
      );
  }

  rxKey(mpdu: Uint8Array): WifiKey | null {
    if (this.mac) {
      const mac = this.mac;
      const key = this.calling(() => mac.rxKey(mpdu));
      this.history.rxKey(key);
      return key;
    }
    const a = this.answer(Rec.Key);
    return a.rec === Rec.Key ? a.key : null;
  }

  /** Live: a call of the world into the MAC; what the MAC sends meanwhile is nested in it. */
  private calling<T>(call: () => T): T {
    this.depth++;
    try {
      return call();
    } finally {
      this.depth--;
    }
  }

  /** Replay: what the MAC did inside this call, then its answer. */
  private answer(rec: Rec.Accepted | Rec.Key | Rec.Complete): HistoryRecord {
    const cursor = this.cursor;
    if (!cursor) throw new ReplayDiverged('the world called a MAC it has no history for');
    for (let e = cursor.peek(); e && isEvent(e) && e.nested; e = cursor.peek()) {
      cursor.take();
      cursor.play(e);
    }
    const a = cursor.take();
    if (a === undefined || a.rec !== rec)
      throw new ReplayDiverged(
        `the replay asked the MAC for record ${rec}; the history has ${a === undefined ? 'nothing more' : `record ${a.rec}`}`,
      );
    return a;
  }
}

export function isEvent(r: HistoryRecord): r is HistoryEvent {
  return r.rec === Rec.Transmit || r.rec === Rec.Channel || r.rec === Rec.Input;
}

/** The replayed world asked or did something its history does not have: it is not the same. */
export class ReplayDiverged extends Error {
  override name = 'ReplayDiverged';
}
