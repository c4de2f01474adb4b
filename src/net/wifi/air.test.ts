import { describe, expect, it } from 'vitest';
import { Air, type RxInfo } from './air.ts';
import { airtimeMicros } from './airtime.ts';
import { TICKS_PER_MICROSECOND } from '../clock.ts';
import { Ctrl, Data, FrameType, buildFrame, parseFrame } from './frame.ts';
import { MacLayer } from './mac-layer.ts';
import { parseMac } from './mac-address.ts';
import { channelsOf } from './regulatory.ts';
import { TestClock } from './testing.ts';

const A = parseMac('02:00:00:00:00:0a');
const B = parseMac('02:00:00:00:00:0b');

function dataFrame(to: Uint8Array, from: Uint8Array, len = 100) {
  return buildFrame({
    type: FrameType.DATA,
    subtype: Data.DATA,
    addr1: to,
    addr2: from,
    addr3: from,
    body: new Uint8Array(len),
  });
}

describe('airtime', () => {
  it('DSSS: 192 µs long preamble + bits at the rate', () => {
    expect(airtimeMicros(10, { rateMbps: 1 })).toBe(192 + 112); // an ACK at 1 Mb/s
    expect(airtimeMicros(10, { rateMbps: 2, shortPreamble: true })).toBe(96 + 56);
    expect(airtimeMicros(100, { rateMbps: 11 })).toBe(192 + Math.ceil((104 * 8) / 11));
  });
  it('ERP-OFDM: 20 µs + 4 µs symbols (16 service + 6 tail bits) + 6 µs signal extension', () => {
    expect(airtimeMicros(1500, { rateMbps: 54 })).toBe(20 + 4 * 56 + 6);
    expect(airtimeMicros(10, { rateMbps: 6 })).toBe(20 + 4 * 6 + 6);
  });
  it('HT-mixed MCS7: 36 µs of preambles', () => {
    expect(airtimeMicros(1500, { mcs: 7 })).toBe(36 + 4 * Math.ceil((16 + 1504 * 8 + 6) / 260) + 6);
    // 47 symbols of 3.6 µs = 169.2 µs, rounded up to 172.
    expect(airtimeMicros(1500, { mcs: 7, shortGi: true })).toBe(36 + 172 + 6);
  });
});

describe('regulatory domains (the SDK country setting)', () => {
  it('CN/EU 1–13, US 1–11, JP 1–14', () => {
    expect(channelsOf('CN')).toHaveLength(13);
    expect(channelsOf('EU')).toHaveLength(13);
    expect(channelsOf('US').at(-1)).toBe(11);
    expect(channelsOf('JP').at(-1)).toBe(14);
    const t = new TestClock();
    const air = new Air(t.clock, { country: 'US' });
    const r = air.attach(() => {});
    expect(() => r.tune(12)).toThrow(/not allowed in US/);
    r.country = 'JP';
    r.tune(14);
    expect(r.channel).toBe(14);
  });
});

describe('the air', () => {
  it('delivers a frame at the end of its airtime to every radio on the channel, none elsewhere', () => {
    const t = new TestClock();
    const air = new Air(t.clock);
    const heard: { who: string; at: number; info: RxInfo }[] = [];
    const tx = air.attach(() => heard.push({ who: 'tx', at: t.now, info: {} as RxInfo }), {
      channel: 6,
    });
    for (const [name, ch] of [
      ['b', 6],
      ['c', 6],
      ['d', 1],
    ] as const)
      air.attach((_m, info) => heard.push({ who: name, at: t.now, info }), {
        channel: ch,
        position: { x: 10, y: 0 },
      });
    t.runFor(100);
    const start = t.now;
    const frame = dataFrame(B, A, 200);
    tx.transmit(frame, { rateMbps: 11 });
    t.runFor(5000);
    expect(heard.map((h) => h.who)).toEqual(['b', 'c']);
    const us = airtimeMicros(frame.length, { rateMbps: 11 });
    expect(heard[0].at).toBe(start + us * TICKS_PER_MICROSECOND);
    expect(heard[0].info).toMatchObject({ channel: 6, rateMbps: 11, noise: -95 });
    // 20 dBm − (20·log10(2437) − 27.55 + 30·log10(10)) = −50.2 dBm
    expect(heard[0].info.rssi).toBe(-50);
  });

  it('queues frames on a busy channel: one after another, DIFS apart', () => {
    const t = new TestClock();
    const air = new Air(t.clock);
    const ends: number[] = [];
    const a = air.attach(() => {}, { channel: 3 });
    const b = air.attach(() => {}, { channel: 3 });
    air.attach(() => ends.push(t.micros), { channel: 3 });
    a.transmit(dataFrame(B, A), { rateMbps: 1 });
    b.transmit(dataFrame(A, B), { rateMbps: 1 });
    t.runFor(10_000);
    const d = airtimeMicros(124, { rateMbps: 1 });
    expect(ends[1] - ends[0]).toBeCloseTo(50 + d, 3);
  });

  it('drops frames below the receiver sensitivity for the rate', () => {
    const t = new TestClock();
    const air = new Air(t.clock);
    const got: number[] = [];
    const a = air.attach(() => {});
    const b = air.attach((_m, i) => got.push(i.rateMbps));
    air.setLink(a, b, { rssi: -85 });
    a.transmit(dataFrame(B, A), { rateMbps: 1 });
    a.transmit(dataFrame(B, A), { rateMbps: 54 });
    a.transmit(dataFrame(B, A), { rateMbps: 11 });
    t.runFor(10_000);
    expect(got).toEqual([1, 11]);
  });

  it('loses frames with a seeded generator: the same seed loses the same frames', () => {
    const run = (seed: number) => {
      const t = new TestClock();
      const air = new Air(t.clock, { seed, loss: 0.3 });
      const got: number[] = [];
      const a = air.attach(() => {});
      air.attach((m) => got.push(parseFrame(m).seq));
      for (let i = 0; i < 200; i++)
        a.transmit(buildFrame({ type: 2, subtype: 0, addr1: B, addr2: A, seq: i }), {
          rateMbps: 54,
        });
      t.runFor(200_000);
      return got;
    };
    const first = run(7);
    expect(run(7)).toEqual(first);
    expect(run(8)).not.toEqual(first);
    expect(first.length).toBeGreaterThan(120);
    expect(first.length).toBeLessThan(165);
  });

  it('a monitor hears every channel, with nothing lost', () => {
    const t = new TestClock();
    const air = new Air(t.clock, { loss: 1 });
    const chans: number[] = [];
    air.attach((_m, i) => chans.push(i.channel), { monitor: true });
    const a = air.attach(() => {}, { channel: 1 });
    const b = air.attach(() => {}, { channel: 11 });
    a.transmit(dataFrame(B, A));
    b.transmit(dataFrame(A, B));
    t.runFor(10_000);
    expect(chans.sort((x, y) => x - y)).toEqual([1, 11]);
  });
});

describe('the lower MAC: ACKs, retries and duplicates', () => {
  function pair(seed = 1) {
    const t = new TestClock();
    const air = new Air(t.clock, { seed });
    const a = new MacLayer(air, A, { channel: 6 });
    const b = new MacLayer(air, B, { channel: 6, position: { x: 5, y: 0 } });
    const onAir: ReturnType<typeof parseFrame>[] = [];
    air.attach((m) => onAir.push(parseFrame(m)), { monitor: true });
    return { t, air, a, b, onAir };
  }

  it('a unicast frame is acknowledged after SIFS and reported done', () => {
    const { t, a, b, onAir } = pair();
    const up: number[] = [];
    b.onReceive = (rx) => up.push(rx.frame.seq);
    let acked: boolean | undefined;
    a.send(
      { type: FrameType.DATA, subtype: Data.DATA, addr1: B, addr2: A, addr3: A },
      { onDone: (ok) => (acked = ok) },
    );
    t.runUntilTrue(() => acked !== undefined, 10_000);
    expect(acked).toBe(true);
    expect(up).toEqual([0]);
    expect(onAir.map((f) => [f.type, f.subtype])).toEqual([
      [FrameType.DATA, Data.DATA],
      [FrameType.CTRL, Ctrl.ACK],
    ]);
  });

  it('lost ACKs: retransmissions carry Retry and the same sequence number; the receiver passes one up', () => {
    const { t, air, a, b, onAir } = pair();
    air.setLink(b.radio, a.radio, { loss: 1 }, false); // B's ACKs never reach A
    const up: boolean[] = [];
    b.onReceive = (rx) => up.push(rx.frame.retry);
    let acked: boolean | undefined;
    a.send(
      { type: FrameType.DATA, subtype: Data.DATA, addr1: B, addr2: A, addr3: A },
      { onDone: (ok) => (acked = ok) },
    );
    a.send({ type: FrameType.DATA, subtype: Data.DATA, addr1: B, addr2: A, addr3: A });
    t.runUntilTrue(() => acked !== undefined, 100_000);
    expect(acked).toBe(false);
    const data = onAir.filter((f) => f.type === FrameType.DATA);
    expect(data.slice(0, 8).map((f) => [f.seq, f.retry])).toEqual([
      [0, false],
      ...Array.from({ length: 7 }, () => [0, true]),
    ]);
    expect(up).toEqual([false]);
    expect(b.stats.duplicates).toBe(7);
    expect(a.stats).toMatchObject({ failed: 1, retries: 7 });
    t.runFor(50_000);
    expect(onAir.filter((f) => f.type === FrameType.DATA)[8].seq).toBe(1);
  });

  it('an ACK goes before a frame another radio queued during the data frame', () => {
    const { t, air, a } = pair();
    const c = air.attach(() => {}, { channel: 6 });
    const order: string[] = [];
    air.attach((m) => order.push(parseFrame(m).type === FrameType.CTRL ? 'ack' : 'data'), {
      channel: 6,
    });
    a.send({ type: FrameType.DATA, subtype: Data.DATA, addr1: B, addr2: A, addr3: A });
    t.runFor(50);
    c.transmit(dataFrame(A, parseMac('02:00:00:00:00:0c')));
    t.runFor(10_000);
    expect(order).toEqual(['data', 'ack', 'data', 'ack']);
  });
});
