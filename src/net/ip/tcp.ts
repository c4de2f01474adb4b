/**
 * One TCP connection (RFC 793 / RFC 9293 state machine) with:
 * - the MSS option and window scaling (RFC 7323 §2; offered on every SYN we send, used when the
 *   peer offers it too),
 * - retransmission with the RTO of RFC 6298 (SRTT/RTTVAR, Karn's rule, exponential back-off,
 *   go-back-N from SND.UNA on expiry), slow start and congestion avoidance (RFC 5681) and fast
 *   retransmit / NewReno-style fast recovery on three duplicate ACKs (RFC 6582, simplified),
 * - an out-of-order queue, trimming of duplicate data, RST handling with challenge ACKs for
 *   in-window RST/SYN that are not exact (RFC 5961 §3–4), zero-window probing, TIME_WAIT.
 *
 * Data is pushed to `onData` as soon as it is in order, so the receive window stays at its full
 * size. The connection talks to its host through `TcpEndpointHost` and keeps time only through
 * the host's timers: simulated time, deterministic.
 */
import { ByteQueue } from './byte-queue';
import type { NetTimers, Timer } from './timers';
import {
  ACK,
  FIN,
  PSH,
  RST,
  SYN,
  seqAdd,
  seqDiff,
  seqGe,
  seqGt,
  seqLe,
  seqLt,
  type TcpSegment,
} from './tcp-segment';

export type TcpState =
  | 'CLOSED'
  | 'SYN_SENT'
  | 'SYN_RECEIVED'
  | 'ESTABLISHED'
  | 'FIN_WAIT_1'
  | 'FIN_WAIT_2'
  | 'CLOSE_WAIT'
  | 'CLOSING'
  | 'LAST_ACK'
  | 'TIME_WAIT';

export interface TcpConfig {
  /** The MSS we announce: our MTU less 40. */
  mss: number;
  /** Bytes of receive window we advertise. */
  receiveWindow: number;
  /** Our window shift (RFC 7323), 0..14. */
  windowScale: number;
  /** RFC 6298: initial RTO 1 s, lower bound 1 s (2.4: SHOULD), upper bound (2.5) 60 s. */
  initialRtoTicks: number;
  minRtoTicks: number;
  maxRtoTicks: number;
  /** Retransmissions of one segment before the connection is given up. */
  maxRetries: number;
  /** 2 × MSL. */
  timeWaitTicks: number;
}

export interface TcpEndpointHost {
  readonly timers: NetTimers;
  readonly config: TcpConfig;
  transmit(conn: TcpConnection, segment: TcpSegment): void;
  /** The connection reached CLOSED (after TIME_WAIT, a reset, or giving up): forget it. */
  release(conn: TcpConnection): void;
  /** A passive connection completed its handshake. */
  established(conn: TcpConnection): void;
}

const SYNCHRONIZED_SENDING: ReadonlySet<TcpState> = new Set(['ESTABLISHED', 'CLOSE_WAIT', 'FIN_WAIT_1', 'CLOSING', 'LAST_ACK']);
const RECEIVING_DATA: ReadonlySet<TcpState> = new Set(['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2']);

export class TcpConnection {
  state: TcpState = 'CLOSED';

  /** The handshake completed (active open). */
  onConnect: (() => void) | null = null;
  /** In-order bytes from the peer. */
  onData: ((data: Uint8Array) => void) | null = null;
  /** The peer sent FIN: no more data will come. */
  onEnd: (() => void) | null = null;
  /** The connection is over for the application; `error` when it was reset, refused or timed out. */
  onClose: ((error?: string) => void) | null = null;
  /** Everything sent has been acknowledged. */
  onDrain: (() => void) | null = null;

  /** Counters for tests and diagnostics. */
  readonly stats = { segmentsSent: 0, retransmits: 0, fastRetransmits: 0, timeouts: 0, outOfOrder: 0, duplicates: 0 };

  // Send sequence space (RFC 793 §3.2).
  private readonly iss: number;
  private sndUna: number;
  private sndNxt: number;
  /** Highest sequence number sent so far (SND.NXT goes back on a timeout; ACKs up to here are valid). */
  private sndMax: number;
  private sndWnd = 0;
  /** The largest window the peer has offered. */
  private maxSndWnd = 0;
  private sndWl1 = 0;
  private sndWl2 = 0;
  private sndShift = 0;
  private rcvShift = 0;
  private sendMss = 536;
  private readonly sendBuffer = new ByteQueue();
  private finQueued = false;
  private finAcked = false;

  // Receive sequence space.
  private rcvNxt = 0;
  private readonly outOfOrder: { seq: number; data: Uint8Array; fin: boolean }[] = [];
  private peerFinished = false;

  // Congestion control (RFC 5681) and recovery.
  private cwnd = 0;
  private ssthresh = 0x7fffffff;
  private dupAcks = 0;
  private recoverSeq: number | null = null;

  // Retransmission timer (RFC 6298).
  private srtt = 0;
  private rttvar = 0;
  private rto: number;
  private hasRttSample = false;
  private timing: { endSeq: number; sentAt: number } | null = null;
  private retries = 0;
  private rtoTimer: Timer | null = null;
  private timeWaitTimer: Timer | null = null;
  private closeReported = false;

  constructor(
    private readonly host: TcpEndpointHost,
    readonly localIp: number,
    readonly localPort: number,
    readonly remoteIp: number,
    readonly remotePort: number,
    iss: number,
  ) {
    this.iss = iss >>> 0;
    this.sndUna = this.iss;
    this.sndNxt = this.iss;
    this.sndMax = this.iss;
    this.rto = host.config.initialRtoTicks;
  }

  /** Bytes written but not yet acknowledged. */
  get bufferedAmount(): number {
    return this.sendBuffer.length;
  }

  // ---- The application's side -------------------------------------------------------------

  /** Queue bytes (before the handshake completes too). Ignored once `end` was called. */
  send(data: Uint8Array): void {
    if (this.finQueued || this.state === 'CLOSED' || this.state === 'TIME_WAIT') return;
    this.sendBuffer.push(Uint8Array.from(data));
    this.output();
  }

  /** Half-close: FIN after the queued data. The peer may go on sending. */
  end(): void {
    if (this.finQueued || this.state === 'CLOSED') return;
    this.finQueued = true;
    // In SYN_SENT and SYN_RECEIVED the FIN waits for the handshake to complete (RFC 9293 3.10.4).
    if (this.state === 'ESTABLISHED') this.state = 'FIN_WAIT_1';
    else if (this.state === 'CLOSE_WAIT') this.state = 'LAST_ACK';
    this.output();
  }

  /** Reset the connection now. */
  abort(): void {
    if (this.state !== 'CLOSED' && this.state !== 'SYN_SENT' && this.state !== 'TIME_WAIT') {
      this.transmit({ seq: this.sndNxt, ack: 0, flags: RST, data: new Uint8Array(0) });
    }
    this.finish('aborted');
  }

  // ---- Opening ------------------------------------------------------------------------------

  /** Active open: send SYN. */
  connect(): void {
    this.state = 'SYN_SENT';
    this.sendSyn();
  }

  /** Passive open: a listener got this SYN. */
  acceptSyn(seg: TcpSegment): void {
    this.state = 'SYN_RECEIVED';
    this.takeSynOptions(seg);
    this.rcvNxt = seqAdd(seg.seq, 1);
    this.sndWnd = seg.window;
    this.maxSndWnd = Math.max(this.maxSndWnd, this.sndWnd);
    this.sndWl1 = seg.seq;
    this.sendSyn();
  }

  private takeSynOptions(seg: TcpSegment): void {
    this.sendMss = Math.min(seg.mss ?? 536, this.host.config.mss);
    // Scaling is on when both SYNs carry the option; ours always does on an active open.
    if (seg.windowScale !== undefined) {
      this.scaling = true;
      this.sndShift = seg.windowScale;
      this.rcvShift = this.host.config.windowScale;
    }
    this.cwnd = Math.min(10 * this.sendMss, Math.max(2 * this.sendMss, 14600));
  }

  private scaling = false;

  private sendSyn(): void {
    const passive = this.state === 'SYN_RECEIVED';
    this.transmit({
      seq: this.iss,
      ack: passive ? this.rcvNxt : 0,
      flags: passive ? SYN | ACK : SYN,
      mss: this.host.config.mss,
      windowScale: !passive || this.scaling ? this.host.config.windowScale : undefined,
      data: new Uint8Array(0),
    });
    this.sndNxt = seqAdd(this.iss, 1);
    if (seqGt(this.sndNxt, this.sndMax)) this.sndMax = this.sndNxt;
    this.armRto();
  }

  // ---- Segment arrival (RFC 9293 §3.10.7) ---------------------------------------------------

  segmentArrives(seg: TcpSegment): void {
    if (this.state === 'CLOSED') return;
    if (this.state === 'SYN_SENT') {
      this.synSentArrives(seg);
      return;
    }
    const hasSyn = (seg.flags & SYN) !== 0;
    const hasFin = (seg.flags & FIN) !== 0;
    const segLen = seg.data.length + (hasSyn ? 1 : 0) + (hasFin ? 1 : 0);
    const wnd = this.host.config.receiveWindow;

    if (this.state === 'TIME_WAIT') {
      if (seg.flags & RST) return;
      // A retransmitted FIN means our last ACK was lost: ACK again and restart the 2MSL wait.
      if (hasFin) this.startTimeWait();
      this.sendAck();
      return;
    }

    // 1. Sequence number acceptable?
    const inWindow = (s: number) => seqGe(s, this.rcvNxt) && seqLt(s, seqAdd(this.rcvNxt, wnd));
    const acceptable =
      segLen === 0 ? inWindow(seg.seq) : inWindow(seg.seq) || inWindow(seqAdd(seg.seq, segLen - 1));
    if (!acceptable) {
      if (segLen > 0) this.stats.duplicates++;
      if (!(seg.flags & RST)) this.sendAck();
      return;
    }

    // 2. RST: exact → reset; otherwise in window → challenge ACK.
    if (seg.flags & RST) {
      if (seg.seq !== this.rcvNxt) {
        this.sendAck();
        return;
      }
      this.finish(this.state === 'SYN_RECEIVED' ? undefined : 'connection reset by peer', this.state === 'SYN_RECEIVED');
      return;
    }

    // 4. SYN in a synchronized state: challenge ACK (a retransmitted SYN in SYN_RECEIVED gets a SYN-ACK).
    if (hasSyn) {
      if (this.state === 'SYN_RECEIVED' && seg.seq === seqAdd(this.rcvNxt, -1)) this.sendSyn();
      else this.sendAck();
      return;
    }

    // 5. ACK.
    if (!(seg.flags & ACK)) return;
    if (this.state === 'SYN_RECEIVED') {
      if (!(seqGt(seg.ack, this.sndUna) && seqLe(seg.ack, this.sndMax))) {
        this.transmit({ seq: seg.ack, ack: 0, flags: RST, data: new Uint8Array(0) });
        return;
      }
      this.state = this.finQueued ? 'FIN_WAIT_1' : 'ESTABLISHED';
      this.sndWnd = seg.window << this.sndShift;
      this.maxSndWnd = Math.max(this.maxSndWnd, this.sndWnd);
      this.sndWl1 = seg.seq;
      this.sndWl2 = seg.ack;
      this.host.established(this);
    }
    if (!this.processAck(seg)) return;
    if (this.finAcked) {
      if (this.state === 'FIN_WAIT_1') this.state = 'FIN_WAIT_2';
      else if (this.state === 'CLOSING') {
        this.startTimeWait();
        return;
      } else if (this.state === 'LAST_ACK') {
        this.finish();
        return;
      }
    }

    // 7. Data, 8. FIN.
    if (RECEIVING_DATA.has(this.state) && (seg.data.length || hasFin)) this.receiveText(seg.seq, seg.data, hasFin);
    this.output();
  }

  private synSentArrives(seg: TcpSegment): void {
    const ackOk = (seg.flags & ACK) !== 0 && seqGt(seg.ack, this.iss) && seqLe(seg.ack, this.sndMax);
    if (seg.flags & ACK && !ackOk) {
      if (!(seg.flags & RST)) this.transmit({ seq: seg.ack, ack: 0, flags: RST, data: new Uint8Array(0) });
      return;
    }
    if (seg.flags & RST) {
      if (ackOk) this.finish('connection refused');
      return;
    }
    if (!(seg.flags & SYN)) return;
    this.rcvNxt = seqAdd(seg.seq, 1);
    this.takeSynOptions(seg);
    if (!ackOk) {
      // Simultaneous open.
      this.state = 'SYN_RECEIVED';
      this.sendSyn();
      return;
    }
    this.sndUna = seg.ack;
    this.sndWnd = seg.window; // never scaled in a SYN
    this.maxSndWnd = Math.max(this.maxSndWnd, this.sndWnd);
    this.sndWl1 = seg.seq;
    this.sndWl2 = seg.ack;
    this.sampleRtt(seg.ack);
    this.retries = 0;
    this.stopRto();
    this.state = this.finQueued ? 'FIN_WAIT_1' : 'ESTABLISHED';
    this.sendAck();
    this.onConnect?.();
    if (seg.data.length || seg.flags & FIN) this.receiveText(seqAdd(seg.seq, 1), seg.data, (seg.flags & FIN) !== 0);
    this.output();
  }

  /** RFC 9293 §3.10.7.4 fifth step for synchronized states. False: drop the segment. */
  private processAck(seg: TcpSegment): boolean {
    const ack = seg.ack;
    if (seqGt(ack, this.sndMax)) {
      this.sendAck();
      return false;
    }
    const window = seg.window << this.sndShift;
    if (seqGt(ack, this.sndUna)) {
      let acked = seqDiff(ack, this.sndUna);
      if (this.sndUna === this.iss) acked--; // our SYN
      const dataAcked = Math.min(acked, this.sendBuffer.length);
      this.sendBuffer.drop(dataAcked);
      if (acked > dataAcked && this.finQueued) this.finAcked = true;
      this.sndUna = ack;
      if (seqLt(this.sndNxt, ack)) this.sndNxt = ack;
      this.sampleRtt(ack);
      this.retries = 0;
      this.growWindow(dataAcked, ack);
      if (this.sndUna === this.sndMax) this.stopRto();
      else this.armRto(true);
      if (dataAcked && this.sendBuffer.length === 0) this.onDrain?.();
    } else if (
      ack === this.sndUna &&
      seg.data.length === 0 &&
      !(seg.flags & (SYN | FIN)) &&
      window === this.sndWnd &&
      this.sndMax !== this.sndUna
    ) {
      this.duplicateAck();
    }
    if (seqLt(this.sndWl1, seg.seq) || (this.sndWl1 === seg.seq && seqLe(this.sndWl2, ack))) {
      this.sndWnd = window;
      this.maxSndWnd = Math.max(this.maxSndWnd, this.sndWnd);
      this.sndWl1 = seg.seq;
      this.sndWl2 = ack;
    }
    return true;
  }

  private growWindow(bytesAcked: number, ack: number): void {
    this.dupAcks = 0;
    if (this.recoverSeq !== null) {
      if (seqLt(ack, this.recoverSeq)) {
        // Partial ACK: the next hole is lost too.
        this.retransmitFirst();
        return;
      }
      this.recoverSeq = null;
      this.cwnd = this.ssthresh;
      return;
    }
    if (this.cwnd < this.ssthresh) this.cwnd += Math.min(bytesAcked, this.sendMss);
    else this.cwnd += Math.max(1, Math.floor((this.sendMss * this.sendMss) / this.cwnd));
  }

  private duplicateAck(): void {
    this.dupAcks++;
    if (this.recoverSeq !== null) {
      this.cwnd += this.sendMss; // each duplicate means one segment left the network
      return;
    }
    if (this.dupAcks === 3) {
      this.stats.fastRetransmits++;
      this.ssthresh = Math.max(seqDiff(this.sndMax, this.sndUna) >> 1, 2 * this.sendMss);
      this.recoverSeq = this.sndMax;
      this.retransmitFirst();
      this.cwnd = this.ssthresh + 3 * this.sendMss;
    }
  }

  private receiveText(seq: number, data: Uint8Array, fin: boolean): void {
    // Trim what we already have.
    if (seqLt(seq, this.rcvNxt)) {
      const skip = seqDiff(this.rcvNxt, seq);
      if (skip >= data.length) {
        this.stats.duplicates++;
        if (!(fin && seqAdd(seq, data.length) === this.rcvNxt)) {
          this.sendAck();
          return;
        }
        data = new Uint8Array(0);
      } else {
        data = data.subarray(skip);
      }
      seq = this.rcvNxt;
    }
    // Trim what lies beyond the window (its FIN with it).
    const room = seqDiff(seqAdd(this.rcvNxt, this.host.config.receiveWindow), seq);
    if (data.length > room) {
      data = data.subarray(0, Math.max(0, room));
      fin = false;
    }
    if (seq !== this.rcvNxt) {
      this.stats.outOfOrder++;
      if (!this.outOfOrder.some((s) => s.seq === seq && s.data.length >= data.length)) {
        this.outOfOrder.push({ seq, data: Uint8Array.from(data), fin });
      }
      this.sendAck(); // a duplicate ACK tells the sender about the hole
      return;
    }
    this.deliver(data, fin);
    // Drain the out-of-order queue.
    for (let progress = true; progress && !this.peerFinished; ) {
      progress = false;
      for (let i = 0; i < this.outOfOrder.length; i++) {
        const s = this.outOfOrder[i];
        const end = seqAdd(s.seq, s.data.length);
        if (seqGt(s.seq, this.rcvNxt)) continue;
        this.outOfOrder.splice(i, 1);
        if (seqGt(end, this.rcvNxt) || (s.fin && end === this.rcvNxt)) {
          this.deliver(s.data.subarray(seqDiff(this.rcvNxt, s.seq)), s.fin);
        }
        progress = true;
        break;
      }
    }
    if (this.peerFinished) this.outOfOrder.length = 0;
    this.sendAck();
  }

  private deliver(data: Uint8Array, fin: boolean): void {
    if (this.peerFinished) return;
    if (data.length) {
      this.rcvNxt = seqAdd(this.rcvNxt, data.length);
      this.onData?.(Uint8Array.from(data));
    }
    if (!fin) return;
    this.rcvNxt = seqAdd(this.rcvNxt, 1);
    this.peerFinished = true;
    if (this.state === 'ESTABLISHED') this.state = 'CLOSE_WAIT';
    else if (this.state === 'FIN_WAIT_1') this.state = this.finAcked ? 'TIME_WAIT' : 'CLOSING';
    else if (this.state === 'FIN_WAIT_2') this.state = 'TIME_WAIT';
    this.onEnd?.();
    if (this.state === 'TIME_WAIT') {
      this.sendAck();
      this.startTimeWait();
    }
  }

  // ---- Sending ------------------------------------------------------------------------------

  /** Send what the windows allow: new data, then FIN once the data is out. */
  private output(): void {
    if (!SYNCHRONIZED_SENDING.has(this.state)) return;
    for (;;) {
      const inFlight = seqDiff(this.sndNxt, this.sndUna);
      const offset = inFlight; // index of SND.NXT in the send buffer
      const unsent = this.sendBuffer.length - offset;
      const room = Math.min(this.sndWnd, this.cwnd) - inFlight;
      if (unsent > 0) {
        if (room <= 0) {
          // Zero window with nothing in flight: the retransmission timer sends a probe.
          if (inFlight === 0) this.armRto();
          return;
        }
        // Sender-side silly window avoidance (RFC 1122 4.2.3.4): a full segment, the rest of the
        // data, or half the largest window seen; else wait for an ACK (or the probe timer). It also
        // keeps segment boundaries where they were, so a retransmission covers whole segments.
        const n = Math.min(this.sendMss, unsent, room);
        if (n < this.sendMss && n < unsent && n < this.maxSndWnd / 2) {
          if (inFlight === 0) this.armRto();
          return;
        }
        this.sendData(this.sndNxt, n, true);
        continue;
      }
      if (unsent === 0 && this.finQueued) {
        this.transmit({ seq: this.sndNxt, ack: this.rcvNxt, flags: FIN | ACK, data: new Uint8Array(0) });
        this.advanceNxt(1);
      }
      return;
    }
  }

  /** Send `n` bytes starting at `seq` (FIN too when they end the stream and FIN is queued). */
  private sendData(seq: number, n: number, fresh: boolean): void {
    const offset = seqDiff(seq, this.sndUna);
    const data = this.sendBuffer.read(offset, n);
    const fin = this.finQueued && offset + data.length === this.sendBuffer.length;
    this.transmit({ seq, ack: this.rcvNxt, flags: ACK | PSH | (fin ? FIN : 0), data });
    if (fresh) {
      if (!this.timing && seqGe(seq, this.sndMax)) {
        this.timing = { endSeq: seqAdd(seq, data.length), sentAt: this.host.timers.now };
      }
      this.advanceNxt(data.length + (fin ? 1 : 0));
    }
  }

  private advanceNxt(n: number): void {
    this.sndNxt = seqAdd(this.sndNxt, n);
    if (seqGt(this.sndNxt, this.sndMax)) this.sndMax = this.sndNxt;
    this.armRto();
  }

  /** Resend the first unacknowledged segment (fast retransmit, partial ACKs). */
  private retransmitFirst(): void {
    this.stats.retransmits++;
    this.timing = null; // Karn
    const unacked = seqDiff(this.sndMax, this.sndUna);
    const data = Math.min(this.sendMss, this.sendBuffer.length, unacked);
    if (data > 0) this.sendData(this.sndUna, data, false);
    else if (this.finQueued) this.transmit({ seq: this.sndUna, ack: this.rcvNxt, flags: FIN | ACK, data: new Uint8Array(0) });
    this.armRto(true);
  }

  private sendAck(): void {
    this.transmit({ seq: this.sndNxt, ack: this.rcvNxt, flags: ACK, data: new Uint8Array(0) });
  }

  private transmit(s: Omit<TcpSegment, 'srcPort' | 'dstPort' | 'window'>): void {
    const config = this.host.config;
    const syn = (s.flags & SYN) !== 0;
    const window = syn ? Math.min(config.receiveWindow, 0xffff) : Math.min(config.receiveWindow >> this.rcvShift, 0xffff);
    this.stats.segmentsSent++;
    this.host.transmit(this, { ...s, srcPort: this.localPort, dstPort: this.remotePort, window });
  }

  // ---- Timers -------------------------------------------------------------------------------

  private sampleRtt(ack: number): void {
    if (!this.timing || seqLt(ack, this.timing.endSeq)) return;
    const r = this.host.timers.now - this.timing.sentAt;
    this.timing = null;
    if (!this.hasRttSample) {
      this.srtt = r;
      this.rttvar = r / 2;
      this.hasRttSample = true;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
      this.srtt = 0.875 * this.srtt + 0.125 * r;
    }
    const c = this.host.config;
    this.rto = Math.min(c.maxRtoTicks, Math.max(c.minRtoTicks, this.srtt + Math.max(1, 4 * this.rttvar)));
  }

  /** Start the timer if it is not running (or restart it, after new data was acknowledged). */
  private armRto(restart = false): void {
    if (this.rtoTimer?.pending && !restart) return;
    this.rtoTimer?.cancel();
    this.rtoTimer = this.host.timers.after(this.rto, () => this.retransmissionTimeout());
  }

  private stopRto(): void {
    this.rtoTimer?.cancel();
    this.rtoTimer = null;
  }

  private retransmissionTimeout(): void {
    this.rtoTimer = null;
    if (this.state === 'CLOSED' || this.state === 'TIME_WAIT') return;
    const c = this.host.config;
    if (++this.retries > c.maxRetries) {
      if (this.state !== 'SYN_SENT') this.transmit({ seq: this.sndNxt, ack: 0, flags: RST, data: new Uint8Array(0) });
      this.finish('connection timed out');
      return;
    }
    this.stats.timeouts++;
    this.rto = Math.min(c.maxRtoTicks, this.rto * 2);
    this.timing = null;
    if (this.state === 'SYN_SENT' || this.state === 'SYN_RECEIVED') {
      this.stats.retransmits++;
      this.sendSyn();
      return;
    }
    if (this.sndMax === this.sndUna) {
      // Nothing in flight: a zero-window probe of one byte.
      if (this.sendBuffer.length > 0) {
        this.stats.retransmits++;
        this.sendData(this.sndUna, 1, true);
      }
      return;
    }
    this.stats.retransmits++;
    this.ssthresh = Math.max(seqDiff(this.sndMax, this.sndUna) >> 1, 2 * this.sendMss);
    this.cwnd = this.sendMss;
    this.recoverSeq = null;
    this.dupAcks = 0;
    this.sndNxt = this.sndUna; // go back N
    const n = Math.min(this.sendMss, this.sendBuffer.length);
    if (n > 0) this.sendData(this.sndUna, n, true);
    else this.output();
    this.armRto(true);
  }

  private startTimeWait(): void {
    this.state = 'TIME_WAIT';
    this.stopRto();
    this.reportClose();
    this.timeWaitTimer?.cancel();
    this.timeWaitTimer = this.host.timers.after(this.host.config.timeWaitTicks, () => this.finish());
  }

  /** Whether a new SYN with `seq` may take over this TIME_WAIT connection's 4-tuple (RFC 1122 4.2.2.13). */
  acceptsNewSyn(seq: number): boolean {
    return this.state === 'TIME_WAIT' && seqGt(seq, this.rcvNxt);
  }

  private finish(error?: string, silent = false): void {
    this.state = 'CLOSED';
    this.stopRto();
    this.timeWaitTimer?.cancel();
    if (!silent) this.reportClose(error);
    this.host.release(this);
  }

  private reportClose(error?: string): void {
    if (this.closeReported) return;
    this.closeReported = true;
    this.onClose?.(error);
  }
}
