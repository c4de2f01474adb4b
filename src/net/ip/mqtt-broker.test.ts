import { describe, expect, it } from 'vitest';
import { concatBytes, fromUtf8, parseIpv4, parseMac, utf8 } from './bytes';
import { IpHost } from './host';
import { MqttBroker } from './mqtt-broker';
import { encodePacket, MqttReader, MqttSplitter, MqttType, mqttString, topicMatches, u16, type MqttPacket } from './mqtt-codec';
import { SwitchedSegment } from './segment';
import type { TcpConnection } from './tcp';
import { SimNet } from './testing/sim-net';

function world() {
  const net = new SimNet();
  const seg = new SwitchedSegment(net.clock);
  const server = new IpHost(net.clock, { name: 's', mac: parseMac('02:00:00:00:00:01'), ip: parseIpv4('10.0.0.1'), netmask: 0xffffff00 });
  server.attachTo(seg);
  const broker = new MqttBroker(server);
  let n = 2;
  /** A minimal client written from the packet layouts. */
  const client = (id: string, options: { keepAlive?: number; will?: [string, string]; clean?: boolean } = {}) => {
    const host = new IpHost(net.clock, { name: id, mac: Uint8Array.of(2, 0, 0, 0, 0, n), ip: parseIpv4(`10.0.0.${n}`), netmask: 0xffffff00, seed: n });
    n++;
    host.attachTo(seg);
    const conn: TcpConnection = host.tcpConnect(server.ip, 1883);
    const splitter = new MqttSplitter();
    const got: MqttPacket[] = [];
    let closed = false;
    conn.onData = (d) => got.push(...splitter.push(d)!);
    conn.onEnd = () => conn.end();
    conn.onClose = () => (closed = true);
    const flags = (options.clean === false ? 0 : 0x02) | (options.will ? 0x04 : 0);
    const will = options.will ? concatBytes([mqttString(options.will[0]), mqttString(options.will[1])]) : new Uint8Array(0);
    conn.send(encodePacket(MqttType.Connect, 0, concatBytes([mqttString('MQTT'), Uint8Array.of(4, flags), u16(options.keepAlive ?? 60), mqttString(id), will])));
    const publishes = () =>
      got
        .filter((p) => p.type === MqttType.Publish)
        .map((p) => {
          const r = new MqttReader(p.body);
          const topic = r.string();
          const qos = (p.flags >> 1) & 3;
          if (qos) r.u16();
          return `${topic}=${fromUtf8(r.rest())}${p.flags & 1 ? ' (retained)' : ''}${qos ? ` q${qos}` : ''}`;
        });
    return {
      conn,
      got,
      publishes,
      closed: () => closed,
      subscribe: (id: number, ...filters: [string, number][]) =>
        conn.send(encodePacket(MqttType.Subscribe, 2, concatBytes([u16(id), ...filters.map(([f, q]) => concatBytes([mqttString(f), Uint8Array.of(q)]))]))),
      publish: (topic: string, payload: string, qos = 0, retain = false, id = 1) =>
        conn.send(encodePacket(MqttType.Publish, (qos << 1) | (retain ? 1 : 0), concatBytes([mqttString(topic), qos ? u16(id) : new Uint8Array(0), utf8(payload)]))),
    };
  };
  return { net, broker, client };
}

describe('MQTT', () => {
  it('matches topic filters with + and #, and keeps $ topics from leading wildcards', () => {
    expect(topicMatches('a/+/c', 'a/b/c')).toBe(true);
    expect(topicMatches('a/+', 'a/b/c')).toBe(false);
    expect(topicMatches('a/#', 'a')).toBe(true);
    expect(topicMatches('#', '$SYS/x')).toBe(false);
    expect(topicMatches('+/+', '/x')).toBe(true);
  });

  it('connects, subscribes with wildcards, and routes QoS 0 and 1 publishes (granted QoS at most 1)', () => {
    const { net, client } = world();
    const sub = client('sub');
    const pub = client('pub');
    net.run(0.1);
    expect(sub.got[0]).toEqual({ type: MqttType.Connack, flags: 0, body: Uint8Array.of(0, 0) });
    sub.subscribe(7, ['sensors/+/temp', 2], ['bad/#/x', 0]);
    net.run(0.1);
    expect(sub.got[1]).toEqual({ type: MqttType.Suback, flags: 0, body: Uint8Array.of(0, 7, 1, 0x80) });
    pub.publish('sensors/kitchen/temp', '21.5');
    pub.publish('sensors/kitchen/humidity', '40');
    pub.publish('sensors/hall/temp', '19', 1, false, 42);
    net.run(0.1);
    expect(sub.publishes()).toEqual(['sensors/kitchen/temp=21.5', 'sensors/hall/temp=19 q1']);
    expect(pub.got.find((p) => p.type === MqttType.Puback)!.body).toEqual(Uint8Array.of(0, 42));
  });

  it('keeps retained messages for later subscribers and clears them with an empty payload', () => {
    const { net, client } = world();
    const pub = client('pub');
    net.run(0.1);
    pub.publish('status/led', 'on', 0, true);
    pub.publish('status/fan', 'off', 0, true);
    pub.publish('status/fan', '', 0, true);
    net.run(0.1);
    const late = client('late');
    net.run(0.1);
    late.subscribe(1, ['status/#', 0]);
    net.run(0.1);
    expect(late.publishes()).toEqual(['status/led=on (retained)']);
  });

  it('completes the QoS 2 flow and delivers once even when the PUBLISH is repeated', () => {
    const { net, client } = world();
    const sub = client('sub');
    const pub = client('pub');
    net.run(0.1);
    sub.subscribe(1, ['q2', 1]);
    net.run(0.1);
    pub.publish('q2', 'once', 2, false, 9);
    pub.publish('q2', 'once', 2, false, 9);
    net.run(0.1);
    pub.conn.send(encodePacket(MqttType.Pubrel, 2, u16(9)));
    net.run(0.1);
    expect(pub.got.filter((p) => p.type === MqttType.Pubrec)).toHaveLength(2);
    expect(pub.got.filter((p) => p.type === MqttType.Pubcomp).map((p) => [...p.body])).toEqual([[0, 9]]);
    expect(sub.publishes()).toEqual(['q2=once q1']);
  });

  it('answers PINGREQ, drops a silent client after 1.5 × keep-alive and publishes its will', () => {
    const { net, broker, client } = world();
    const watcher = client('watcher', { keepAlive: 0 });
    const device = client('device', { keepAlive: 10, will: ['devices/device', 'gone'] });
    net.run(0.1);
    watcher.subscribe(1, ['devices/#', 0]);
    device.conn.send(encodePacket(MqttType.Pingreq, 0, new Uint8Array(0)));
    net.run(0.1);
    expect(device.got.map((p) => p.type)).toEqual([MqttType.Connack, MqttType.Pingresp]);
    net.run(14.5);
    expect(broker.clients).toContain('device');
    net.run(1);
    expect(broker.clients).not.toContain('device');
    expect(broker.log).toContain('disconnect device: keep-alive timeout');
    expect(watcher.publishes()).toEqual(['devices/device=gone']);
  });

  it('discards the will on DISCONNECT, and a second client with the same id takes over', () => {
    const { net, broker, client } = world();
    const watcher = client('watcher');
    const a = client('dup', { will: ['w', 'x'] });
    net.run(0.1);
    watcher.subscribe(1, ['w', 0]);
    const b = client('dup');
    net.run(0.5);
    expect(a.closed()).toBe(true);
    expect(broker.log).toContain('disconnect dup: taken over');
    expect(watcher.publishes()).toEqual(['w=x']); // taken over is not a clean disconnect
    b.conn.send(encodePacket(MqttType.Disconnect, 0, new Uint8Array(0)));
    net.run(0.5);
    expect(b.closed()).toBe(true);
    expect(watcher.publishes()).toEqual(['w=x']);
  });
});
