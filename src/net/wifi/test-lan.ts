/** For tests: a stand-in Ethernet segment that delivers synchronously to every other port. */
import type { EthernetAttachment, EthernetPort, EthernetSegment } from '../ethernet.ts';

export class TestLan implements EthernetSegment {
  private readonly ports = new Set<EthernetPort>();
  /** Every frame put on the segment, in order. */
  readonly frames: Uint8Array[] = [];

  attach(port: EthernetPort): EthernetAttachment {
    this.ports.add(port);
    return {
      send: (frame) => {
        this.frames.push(frame.slice());
        for (const p of this.ports) if (p !== port) p.receive(frame.slice());
      },
      detach: () => this.ports.delete(port),
    };
  }
}
