/**
 * An MQTT 3.1.1 broker (TCP 1883) for the virtual LAN: CONNECT/CONNACK (protocol level 4, client
 * takeover, generated ids for empty ids with clean session), PUBLISH at QoS 0 and 1 and the QoS 2
 * receive flow (PUBREC/PUBREL/PUBCOMP), SUBSCRIBE/UNSUBSCRIBE with + and # wildcards (granted QoS
 * at most 1), retained messages, last will on an unclean end, PINGREQ, and the keep-alive limit
 * (1.5 × the client's interval, in simulated time). Sessions are not kept after a disconnect: a
 * client asking for a persistent session gets one that starts empty (session present = 0).
 */
import { TICKS_PER_SECOND } from '../clock';
import { concatBytes, utf8 } from './bytes';
import type { IpHost, TcpListener } from './host';
import { encodePacket, MqttReader, MqttSplitter, MqttType, mqttString, topicMatches, u16, validFilter, type MqttPacket } from './mqtt-codec';
import type { TcpConnection } from './tcp';
import type { Timer } from './timers';

export const MQTT_PORT = 1883;

interface Message {
  topic: string;
  payload: Uint8Array;
  qos: number;
  retain: boolean;
}

class Session {
  clientId = '';
  connected = false;
  will: Message | null = null;
  readonly subscriptions = new Map<string, number>();
  readonly splitter = new MqttSplitter();
  /** QoS 2 packet ids received and not yet released. */
  readonly pendingQos2 = new Map<number, Message | null>();
  nextPacketId = 1;
  keepAliveTicks = 0;
  keepAliveTimer: Timer | null = null;
  constructor(readonly conn: TcpConnection) {}
}

export class MqttBroker {
  /** One line per connection event, for logs and tests. */
  readonly log: string[] = [];
  private readonly listener: TcpListener;
  private readonly sessions = new Set<Session>();
  private readonly retained = new Map<string, Message>();
  private generatedIds = 0;

  constructor(
    private readonly host: IpHost,
    port = MQTT_PORT,
  ) {
    this.listener = host.tcpListen(port, (conn) => this.accept(conn));
  }

  stop(): void {
    this.listener.close();
    for (const s of this.sessions) s.conn.abort();
  }

  /** Publish from the broker itself (a console, a test). */
  publish(topic: string, payload: Uint8Array | string, options: { qos?: number; retain?: boolean } = {}): void {
    this.route({ topic, payload: typeof payload === 'string' ? utf8(payload) : payload, qos: options.qos ?? 0, retain: options.retain ?? false });
  }

  get clients(): string[] {
    return [...this.sessions].filter((s) => s.connected).map((s) => s.clientId);
  }

  private accept(conn: TcpConnection): void {
    const s = new Session(conn);
    this.sessions.add(s);
    // §3.1: the first packet must come in a reasonable time; we allow 30 s.
    s.keepAliveTimer = this.host.timers.after(30 * TICKS_PER_SECOND, () => this.drop(s, 'no CONNECT'));
    conn.onData = (d) => {
      const packets = s.splitter.push(d);
      if (!packets) return this.drop(s, 'malformed packet');
      for (const p of packets) {
        if (!this.sessions.has(s)) return;
        this.touch(s);
        this.handle(s, p);
      }
    };
    conn.onEnd = () => this.drop(s, 'connection closed');
    conn.onClose = () => this.drop(s, 'connection closed');
  }

  private touch(s: Session): void {
    if (!s.connected || !s.keepAliveTicks) return;
    s.keepAliveTimer?.cancel();
    s.keepAliveTimer = this.host.timers.after(s.keepAliveTicks, () => this.drop(s, 'keep-alive timeout'));
  }

  private handle(s: Session, p: MqttPacket): void {
    if (!s.connected && p.type !== MqttType.Connect) return this.drop(s, 'first packet not CONNECT');
    const r = new MqttReader(p.body);
    switch (p.type) {
      case MqttType.Connect:
        return this.connect(s, r);
      case MqttType.Publish: {
        const qos = (p.flags >> 1) & 3;
        const topic = r.string();
        const id = qos > 0 ? r.u16() : 0;
        const payload = r.rest();
        if (!r.ok || qos === 3 || !topic || /[+#]/.test(topic)) return this.drop(s, 'bad PUBLISH');
        const m: Message = { topic, payload, qos, retain: (p.flags & 1) !== 0 };
        if (qos === 2) {
          // Deliver once, on the first copy; PUBREC every copy.
          if (!s.pendingQos2.has(id)) {
            s.pendingQos2.set(id, null);
            this.route(m);
          }
          s.conn.send(encodePacket(MqttType.Pubrec, 0, u16(id)));
          return;
        }
        this.route(m);
        if (qos === 1) s.conn.send(encodePacket(MqttType.Puback, 0, u16(id)));
        return;
      }
      case MqttType.Pubrel: {
        const id = r.u16();
        s.pendingQos2.delete(id);
        s.conn.send(encodePacket(MqttType.Pubcomp, 0, u16(id)));
        return;
      }
      case MqttType.Puback:
      case MqttType.Pubrec:
      case MqttType.Pubcomp:
        if (p.type === MqttType.Pubrec) s.conn.send(encodePacket(MqttType.Pubrel, 2, u16(r.u16())));
        return;
      case MqttType.Subscribe:
        return this.subscribe(s, r, p.flags);
      case MqttType.Unsubscribe: {
        const id = r.u16();
        while (r.ok && r.left > 0) s.subscriptions.delete(r.string());
        s.conn.send(encodePacket(MqttType.Unsuback, 0, u16(id)));
        return;
      }
      case MqttType.Pingreq:
        s.conn.send(encodePacket(MqttType.Pingresp, 0, new Uint8Array(0)));
        return;
      case MqttType.Disconnect:
        s.will = null; // a clean disconnect discards the will (§3.14.4)
        return this.drop(s, 'disconnected');
      default:
        return this.drop(s, `unexpected packet type ${p.type}`);
    }
  }

  private connect(s: Session, r: MqttReader): void {
    if (s.connected) return this.drop(s, 'second CONNECT');
    const protocol = r.string();
    const level = r.u8();
    const flags = r.u8();
    const keepAlive = r.u16();
    if (!r.ok || protocol !== 'MQTT') return this.drop(s, 'not MQTT');
    if (level !== 4) {
      s.conn.send(encodePacket(MqttType.Connack, 0, Uint8Array.of(0, 1))); // unacceptable protocol level
      return this.drop(s, `protocol level ${level}`);
    }
    const clean = (flags & 0x02) !== 0;
    let clientId = r.string();
    if (flags & 0x04) {
      const topic = r.string();
      const payload = r.bytes();
      s.will = { topic, payload, qos: (flags >> 3) & 3, retain: (flags & 0x20) !== 0 };
    }
    if (flags & 0x80) r.string();
    if (flags & 0x40) r.bytes();
    if (!r.ok || flags & 0x01) return this.drop(s, 'malformed CONNECT');
    if (!clientId) {
      if (!clean) {
        s.conn.send(encodePacket(MqttType.Connack, 0, Uint8Array.of(0, 2))); // identifier rejected
        return this.drop(s, 'empty client id without clean session');
      }
      clientId = `v8266-${++this.generatedIds}`;
    }
    // §3.1.4: a second connection with the same id takes over.
    for (const other of this.sessions) if (other !== s && other.connected && other.clientId === clientId) this.drop(other, 'taken over');
    s.clientId = clientId;
    s.connected = true;
    s.keepAliveTicks = keepAlive * 1.5 * TICKS_PER_SECOND;
    s.keepAliveTimer?.cancel();
    s.keepAliveTimer = null;
    this.touch(s);
    s.conn.send(encodePacket(MqttType.Connack, 0, Uint8Array.of(0, 0)));
    this.log.push(`connect ${clientId}`);
  }

  private subscribe(s: Session, r: MqttReader, flags: number): void {
    if (flags !== 2) return this.drop(s, 'bad SUBSCRIBE flags');
    const id = r.u16();
    const codes: number[] = [];
    const newFilters: string[] = [];
    while (r.ok && r.left > 0) {
      const filter = r.string();
      const qos = r.u8();
      if (!r.ok) break;
      if (!validFilter(filter) || qos > 2) {
        codes.push(0x80);
        continue;
      }
      const granted = Math.min(qos, 1);
      s.subscriptions.set(filter, granted);
      newFilters.push(filter);
      codes.push(granted);
    }
    if (!r.ok || codes.length === 0) return this.drop(s, 'malformed SUBSCRIBE');
    s.conn.send(encodePacket(MqttType.Suback, 0, concatBytes([u16(id), Uint8Array.from(codes)])));
    // Retained messages matching the new filters (§3.3.1.3).
    for (const m of this.retained.values()) {
      const qos = Math.max(-1, ...newFilters.filter((f) => topicMatches(f, m.topic)).map((f) => s.subscriptions.get(f)!));
      if (qos >= 0) this.deliver(s, m, Math.min(qos, m.qos), true);
    }
  }

  private route(m: Message): void {
    if (m.retain) {
      if (m.payload.length === 0) this.retained.delete(m.topic);
      else this.retained.set(m.topic, m);
    }
    for (const s of this.sessions) {
      if (!s.connected) continue;
      let qos = -1;
      for (const [filter, granted] of s.subscriptions) if (topicMatches(filter, m.topic)) qos = Math.max(qos, granted);
      if (qos >= 0) this.deliver(s, m, Math.min(qos, m.qos), false);
    }
  }

  private deliver(s: Session, m: Message, qos: number, retain: boolean): void {
    const id = qos > 0 ? s.nextPacketId : 0;
    if (qos > 0) s.nextPacketId = (s.nextPacketId % 0xffff) + 1;
    const body = concatBytes([mqttString(m.topic), qos > 0 ? u16(id) : new Uint8Array(0), m.payload]);
    s.conn.send(encodePacket(MqttType.Publish, (qos << 1) | (retain ? 1 : 0), body));
  }

  private drop(s: Session, why: string): void {
    if (!this.sessions.delete(s)) return;
    s.keepAliveTimer?.cancel();
    if (s.connected) this.log.push(`disconnect ${s.clientId}: ${why}`);
    const will = s.will;
    s.connected = false;
    if (s.conn.state !== 'CLOSED' && s.conn.state !== 'TIME_WAIT') s.conn.end();
    if (will) this.route(will);
  }
}
