/**
 * A LAN segment: a learning switch that delivers Ethernet II frames in simulated time.
 *
 * Every frame reaches its receivers `latency` ticks after it was sent (a switch's store-and-forward
 * delay; default 10 µs), in sending order. For tests a port can be given impairments — loss,
 * duplication, reordering (a frame held back so later ones overtake it) and extra delay — drawn
 * from the segment's seeded generator, so a failing run replays exactly from its seed. An
 * impairment applies to the frames a port sends and to the frames delivered to it.
 */
import type { EthernetAttachment, EthernetPort, EthernetSegment } from '../ethernet';
import { TICKS_PER_MICROSECOND, TICKS_PER_SECOND, type NetClock } from '../clock';
import { isGroupMac, macEquals, formatMac } from './bytes';
import { Prng } from './prng';
import { NetTimers } from './timers';

export interface LinkImpairment {
  /** Probability that a frame is dropped. */
  loss?: number;
  /** Probability that a frame is delivered twice. */
  duplicate?: number;
  /** Probability that a frame is held back by `reorderDelay` so that later frames overtake it. */
  reorder?: number;
  /** Ticks a reordered frame is held back (default 1 ms). */
  reorderDelay?: number;
  /** Extra one-way delay in ticks. */
  delay?: number;
}

export interface SegmentOptions {
  /** Ticks between sending and delivery (default 10 µs). */
  latency?: number;
  /** Seed of the impairment generator (default 1). */
  seed?: number;
  /** Seconds a learned address stays in the table without traffic (default 300, as 802.1D). */
  agingSeconds?: number;
}

export interface AttachOptions {
  promiscuous?: boolean;
  impairment?: LinkImpairment;
}

/** Sees every frame put on the segment, at the tick it was sent (a PCAP writer, a test). */
export type FrameObserver = (frame: Uint8Array, tick: number) => void;

class SwitchPort implements EthernetAttachment {
  attached = true;
  impairment: LinkImpairment | undefined;
  constructor(
    readonly segment: SwitchedSegment,
    readonly port: EthernetPort,
    readonly mac: Uint8Array,
    readonly promiscuous: boolean,
  ) {}
  send(frame: Uint8Array): void {
    if (this.attached) this.segment.forward(this, frame);
  }
  detach(): void {
    this.segment.remove(this);
  }
}

export class SwitchedSegment implements EthernetSegment {
  private readonly ports: SwitchPort[] = [];
  /** Learned address → port and the tick it was last seen. */
  private readonly table = new Map<string, { port: SwitchPort; seen: number }>();
  private readonly observers: FrameObserver[] = [];
  /** Frames scheduled for delivery, and what the impairments did to them. */
  readonly stats = { delivered: 0, dropped: 0, duplicated: 0, reordered: 0 };
  private readonly timers: NetTimers;
  private readonly prng: Prng;
  private readonly latency: number;
  private readonly agingTicks: number;

  constructor(
    readonly clock: NetClock,
    options: SegmentOptions = {},
  ) {
    this.timers = new NetTimers(clock, 'lan-segment');
    this.prng = new Prng(options.seed ?? 1);
    this.latency = options.latency ?? 10 * TICKS_PER_MICROSECOND;
    this.agingTicks = (options.agingSeconds ?? 300) * TICKS_PER_SECOND;
  }

  attach(port: EthernetPort, mac: Uint8Array, options: AttachOptions = {}): EthernetAttachment {
    const p = new SwitchPort(this, port, Uint8Array.from(mac), options.promiscuous ?? false);
    p.impairment = options.impairment;
    this.ports.push(p);
    return p;
  }

  /** Set or clear (undefined) the impairments of an attached port. */
  impair(attachment: EthernetAttachment, impairment: LinkImpairment | undefined): void {
    if (!(attachment instanceof SwitchPort) || attachment.segment !== this) {
      throw new Error('not a port of this segment');
    }
    attachment.impairment = impairment;
  }

  observe(observer: FrameObserver): () => void {
    this.observers.push(observer);
    return () => {
      const i = this.observers.indexOf(observer);
      if (i >= 0) this.observers.splice(i, 1);
    };
  }

  /** @internal */
  remove(p: SwitchPort): void {
    p.attached = false;
    const i = this.ports.indexOf(p);
    if (i >= 0) this.ports.splice(i, 1);
    for (const [mac, entry] of this.table) if (entry.port === p) this.table.delete(mac);
  }

  /** @internal */
  forward(from: SwitchPort, frame: Uint8Array): void {
    if (frame.length < 14) return;
    const now = this.clock.now;
    for (const o of this.observers) o(frame, now);
    if (!isGroupMac(frame, 6)) this.table.set(formatMac(frame, 6), { port: from, seen: now });
    for (const to of this.receivers(from, frame, now)) this.schedule(from, to, frame);
  }

  private receivers(from: SwitchPort, frame: Uint8Array, now: number): SwitchPort[] {
    if (!isGroupMac(frame, 0)) {
      const learned = this.table.get(formatMac(frame, 0));
      if (learned && now - learned.seen <= this.agingTicks && learned.port.attached) {
        return learned.port === from ? [] : [learned.port];
      }
      return this.ports.filter((p) => p !== from && (p.promiscuous || macEquals(frame, 0, p.mac)));
    }
    return this.ports.filter((p) => p !== from);
  }

  private schedule(from: SwitchPort, to: SwitchPort, frame: Uint8Array): void {
    let delay = this.latency;
    let copies = 1;
    for (const imp of [from.impairment, to.impairment]) {
      if (!imp) continue;
      if (this.prng.chance(imp.loss ?? 0)) {
        this.stats.dropped++;
        return;
      }
      if (this.prng.chance(imp.duplicate ?? 0)) {
        copies = 2;
        this.stats.duplicated++;
      }
      if (this.prng.chance(imp.reorder ?? 0)) {
        delay += imp.reorderDelay ?? TICKS_PER_SECOND / 1000;
        this.stats.reordered++;
      }
      delay += imp.delay ?? 0;
    }
    this.stats.delivered += copies;
    for (let i = 0; i < copies; i++) {
      this.timers.after(delay, () => {
        if (to.attached) to.port.receive(Uint8Array.from(frame));
      });
    }
  }
}
