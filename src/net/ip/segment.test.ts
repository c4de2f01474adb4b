import { describe, expect, it } from 'vitest';
import { TICKS_PER_MICROSECOND } from '../clock';
import { BROADCAST_MAC, parseMac } from './bytes';
import { buildFrame } from './frame';
import { SwitchedSegment } from './segment';
import { SimNet } from './testing/sim-net';

const A = parseMac('02:00:00:00:00:0a');
const B = parseMac('02:00:00:00:00:0b');
const C = parseMac('02:00:00:00:00:0c');

function setup(options = {}) {
  const net = new SimNet();
  const seg = new SwitchedSegment(net.clock, options);
  const got = { a: [] as Uint8Array[], b: [] as Uint8Array[], c: [] as Uint8Array[], bridge: [] as Uint8Array[] };
  const times: number[] = [];
  const a = seg.attach({ receive: (f) => got.a.push(f) }, A);
  const b = seg.attach({ receive: (f) => { got.b.push(f); times.push(net.clock.now); } }, B);
  const c = seg.attach({ receive: (f) => got.c.push(f) }, C);
  const bridge = seg.attach({ receive: (f) => got.bridge.push(f) }, parseMac('02:00:00:00:00:ff'), { promiscuous: true });
  return { net, seg, got, times, a, b, c, bridge };
}

describe('SwitchedSegment', () => {
  it('delivers broadcast to every other port, after the latency, never back to the sender', () => {
    const { net, got, times, a } = setup();
    a.send(buildFrame(BROADCAST_MAC, A, 0x0806, new Uint8Array(28)));
    expect(got.b).toHaveLength(0); // not synchronously: in simulated time
    net.run(0.001);
    expect([got.a.length, got.b.length, got.c.length, got.bridge.length]).toEqual([0, 1, 1, 1]);
    expect(times[0]).toBe(10 * TICKS_PER_MICROSECOND);
  });

  it('floods unknown unicast only to its owner and promiscuous ports, then learns where a MAC lives', () => {
    const { net, got, a, b, c } = setup();
    a.send(buildFrame(B, A, 0x0800, new Uint8Array(20)));
    net.run(0.001);
    expect([got.b.length, got.c.length, got.bridge.length]).toEqual([1, 0, 1]);
    // B answers: A has been learned (it sent first), so the bridge does not see the reply.
    b.send(buildFrame(A, B, 0x0800, new Uint8Array(20)));
    net.run(0.001);
    expect([got.a.length, got.bridge.length]).toEqual([1, 1]);
    // A MAC nobody owns here (a station behind an AP) goes to the bridge only.
    const station = parseMac('02:00:00:00:00:51');
    c.send(buildFrame(station, C, 0x0800, new Uint8Array(20)));
    net.run(0.001);
    expect([got.a.length, got.b.length, got.bridge.length]).toEqual([1, 1, 2]);
  });

  it('keeps sending order and gives every receiver its own copy', () => {
    const { net, got, a } = setup();
    for (let i = 0; i < 5; i++) a.send(buildFrame(BROADCAST_MAC, A, 0x0800, Uint8Array.of(i)));
    net.run(0.001);
    expect(got.b.map((f) => f[14])).toEqual([0, 1, 2, 3, 4]);
    got.b[0][14] = 99;
    expect(got.c[0][14]).toBe(0);
  });

  it('drops and reorders with a seeded generator: the same seed gives the same run', () => {
    const runOnce = (seed: number) => {
      const { net, seg, got, a, b } = setup({ seed });
      seg.impair(b, { loss: 0.2, reorder: 0.2 });
      for (let i = 0; i < 200; i++) a.send(buildFrame(B, A, 0x0800, Uint8Array.of(i)));
      net.run(0.01);
      return got.b.map((f) => f[14]);
    };
    const first = runOnce(7);
    expect(runOnce(7)).toEqual(first);
    expect(runOnce(8)).not.toEqual(first);
    expect(first.length).toBeGreaterThan(120);
    expect(first.length).toBeLessThan(190);
    const sorted = [...first].sort((x, y) => x - y);
    expect(first).not.toEqual(sorted); // some overtook others
  });

  it('stops delivering to a detached port', () => {
    const { net, got, a, b } = setup();
    a.send(buildFrame(B, A, 0x0800, new Uint8Array(20)));
    b.detach();
    net.run(0.001);
    expect(got.b).toHaveLength(0);
  });
});
