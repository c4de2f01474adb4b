/**
 * A bridge between a Linux TAP interface and a virtual LAN segment, for the CLI and the Linux
 * interop tests. Node cannot create a TAP device (that needs ioctl(TUNSETIFF)), so Debian's socat
 * holds it and relays each frame as one UDP datagram on 127.0.0.1:
 *
 *   TAP <-> socat TUN,tun-type=tap,iff-no-pi <-> UDP-DATAGRAM 127.0.0.1 <-> this bridge <-> segment
 *
 * The bridge is a promiscuous port on the segment (it stands for every machine behind the TAP).
 * Creating the TAP needs root (CAP_NET_ADMIN).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync } from 'node:fs';
import type { EthernetAttachment, EthernetPort } from '../../net/ethernet.ts';
import type { SwitchedSegment, LinkImpairment } from '../../net/ip/segment.ts';

/** The bridge port's own address on the segment (locally administered); it never sends from it. */
const BRIDGE_MAC = Uint8Array.of(0x02, 0x82, 0x66, 0xff, 0xff, 0xfe);
const SOCKET_BUFFER = 4 << 20;

export interface TapBridgeOptions {
  /** Called before a frame from the TAP enters the segment (a wall-paced clock's `advance`). */
  beforeInject?: () => void;
  socat?: string;
}

export class TapBridge implements EthernetPort {
  framesIn = 0;
  framesOut = 0;
  private attachment: EthernetAttachment | null = null;
  private segment: SwitchedSegment | null = null;
  private closed = false;

  private constructor(
    readonly ifname: string,
    private readonly socket: Socket,
    private readonly socat: ChildProcess,
    private readonly socatPort: number,
    private readonly options: TapBridgeOptions,
    private readonly stderr: string[],
  ) {
    socket.on('message', (frame, rinfo) => {
      if (rinfo.port !== this.socatPort || rinfo.address !== '127.0.0.1') return;
      this.options.beforeInject?.();
      this.framesIn++;
      this.attachment?.send(new Uint8Array(frame));
    });
  }

  /** Create the TAP interface `ifname` (in the current network namespace) and start relaying. */
  static async open(ifname: string, options: TapBridgeOptions = {}): Promise<TapBridge> {
    if (!/^[A-Za-z0-9_.-]{1,15}$/.test(ifname)) throw new Error(`bad interface name: ${ifname}`);
    // Large socket buffers: a TCP burst is hundreds of datagrams, and a full buffer drops frames.
    const socket = createSocket({
      type: 'udp4',
      recvBufferSize: SOCKET_BUFFER,
      sendBufferSize: SOCKET_BUFFER,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
    const ourPort = socket.address().port;
    const socatPort = await freeUdpPort();
    const socat = spawn(
      options.socat ?? 'socat',
      [
        '-b',
        '65536',
        `UDP-DATAGRAM:127.0.0.1:${ourPort},bind=127.0.0.1:${socatPort},rcvbuf=${SOCKET_BUFFER},sndbuf=${SOCKET_BUFFER}`,
        `TUN,tun-type=tap,tun-name=${ifname},iff-no-pi`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const stderr: string[] = [];
    socat.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
    const bridge = new TapBridge(ifname, socket, socat, socatPort, options, stderr);
    let exited = false;
    socat.once('exit', () => (exited = true));
    socat.once('error', (e) => {
      exited = true;
      stderr.push(String(e));
    });
    // Wait for the interface to exist (socat creates it at start-up) or for socat to fail.
    for (let i = 0; i < 500 && !exited && !existsSync(`/sys/class/net/${ifname}`); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    if (exited || !existsSync(`/sys/class/net/${ifname}`)) {
      bridge.close();
      throw new Error(
        `socat could not create TAP ${ifname}: ${stderr.join('').trim() || 'timed out'}`,
      );
    }
    return bridge;
  }

  attachTo(segment: SwitchedSegment, impairment?: LinkImpairment): void {
    this.attachment?.detach();
    this.segment = segment;
    this.attachment = segment.attach(this, BRIDGE_MAC, { promiscuous: true, impairment });
  }

  /** Impair the link between the TAP and the segment (seeded loss/reordering for tests). */
  impair(impairment: LinkImpairment | undefined): void {
    if (this.segment && this.attachment) this.segment.impair(this.attachment, impairment);
  }

  receive(frame: Uint8Array): void {
    if (this.closed) return;
    this.framesOut++;
    this.socket.send(frame, this.socatPort, '127.0.0.1');
  }

  /** socat's diagnostics so far. */
  get log(): string {
    return this.stderr.join('');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.attachment?.detach();
    if (this.socat.exitCode === null && this.socat.pid !== undefined) this.socat.kill('SIGTERM');
    this.socket.close();
  }
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
