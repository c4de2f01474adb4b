/**
 * A virtual LAN's link to a relay over a WebSocket, in the framing of v86's network relay
 * (benjamincburns/websockproxy, and `v8266 relay`): every binary message is one Ethernet II frame
 * without FCS, both ways; text messages (keep-alives) are ignored. The link is a promiscuous port
 * on the segment — it stands for every machine beyond the relay —, so what the LAN floods
 * (broadcasts, unknown unicast) and what is addressed to machines learned beyond it goes out.
 *
 * Pure TypeScript: the socket comes from outside (`WebSocket` in the page's worker, a `ws`
 * server connection in `v8266 relay`), described by the little it needs.
 */
import type { EthernetAttachment, EthernetPort, EthernetSegment } from '../ethernet.ts';

/** What the link uses of a WebSocket (the browser's, or the `ws` package's). */
export interface FrameSocket {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

const OPEN = 1;

export type RelayLinkState = 'connecting' | 'open' | 'closed';

export interface RelayLinkOptions {
  /** Frames from the socket that fail this never enter the segment (a relay's allow-list). */
  accept?: (frame: Uint8Array) => boolean;
  /** Called before a frame from the socket enters the segment (a wall-paced clock's `advance`). */
  beforeInject?: () => void;
  onState?: (state: RelayLinkState) => void;
}

/** The link's own address on the segment (locally administered); it never sends from it. */
const LINK_MAC = Uint8Array.of(0x02, 0x82, 0x66, 0xff, 0xff, 0xfd);

export class RelayLink implements EthernetPort {
  state: RelayLinkState = 'connecting';
  framesIn = 0;
  framesOut = 0;
  /** Frames from the socket that `accept` refused. */
  framesRefused = 0;
  private readonly attachment: EthernetAttachment;

  constructor(
    segment: EthernetSegment,
    private readonly socket: FrameSocket,
    private readonly options: RelayLinkOptions = {},
  ) {
    socket.binaryType = 'arraybuffer';
    this.attachment = segment.attach(this, LINK_MAC, { promiscuous: true });
    socket.onopen = () => this.setState('open');
    socket.onclose = () => this.shut();
    socket.onerror = () => this.shut();
    socket.onmessage = (event) => this.fromSocket(event.data);
    if (socket.readyState === OPEN) this.setState('open');
  }

  /** A frame on the LAN: to the relay, while the socket is open. */
  receive(frame: Uint8Array): void {
    if (this.state !== 'open' || this.socket.readyState !== OPEN) return;
    this.framesOut++;
    this.socket.send(frame);
  }

  close(): void {
    this.socket.close();
    this.shut();
  }

  private fromSocket(data: unknown): void {
    if (this.state === 'closed') return;
    let frame: Uint8Array;
    if (data instanceof ArrayBuffer) frame = new Uint8Array(data);
    else if (ArrayBuffer.isView(data))
      frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    else return; // text: a keep-alive
    if (frame.length < 14) return;
    if (this.options.accept && !this.options.accept(frame)) {
      this.framesRefused++;
      return;
    }
    this.options.beforeInject?.();
    this.framesIn++;
    this.attachment.send(Uint8Array.from(frame));
  }

  private shut(): void {
    if (this.state === 'closed') return;
    this.attachment.detach();
    this.setState('closed');
  }

  private setState(state: RelayLinkState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onState?.(state);
  }
}
