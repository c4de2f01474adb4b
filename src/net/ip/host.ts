/**
 * A virtual host on a LAN segment: one Ethernet interface with one IPv4 address and the stack
 * behind it — ARP (cache with timeout, retried resolution, gratuitous announcements, probes),
 * IPv4 (checksum, TTL, fragmentation and reassembly), ICMP (echo, port unreachable), UDP and TCP —
 * behind a small socket API driven by callbacks in simulated time.
 *
 * The host has no routing table beyond "on the subnet, or through the gateway": it is an end system.
 */
import { TICKS_PER_SECOND, type NetClock } from '../clock';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, type EthernetAttachment, type EthernetPort, type EthernetSegment } from '../ethernet';
import { ARP_REPLY, ARP_REQUEST, ArpCache, buildArp, parseArp, type ArpPacket } from './arp';
import { BROADCAST_MAC, formatIpv4, isGroupMac, macEquals, ZERO_MAC } from './bytes';
import { buildFrame, ETHERNET_HEADER, ETHERNET_MTU, frameEthertype } from './frame';
import { buildIcmp, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, ICMP_UNREACHABLE, parseIcmp, UNREACHABLE_PORT } from './icmp';
import {
  buildIpv4,
  LIMITED_BROADCAST,
  parseIpv4Header,
  PROTO_ICMP,
  PROTO_TCP,
  PROTO_UDP,
  Reassembler,
  type Ipv4Packet,
  type Ipv4SendOptions,
} from './ipv4';
import { Prng } from './prng';
import { TcpConnection, type TcpConfig, type TcpEndpointHost } from './tcp';
import { ACK, buildTcp, parseTcp, RST, SYN, type TcpSegment } from './tcp-segment';
import { NetTimers } from './timers';
import { buildUdp, parseUdp } from './udp';

export interface IpConfig {
  ip: number;
  netmask: number;
  gateway?: number;
  dns?: number;
}

export interface IpHostOptions extends Partial<IpConfig> {
  mac: Uint8Array;
  /** A name for diagnostics (and the DNS server's records). */
  name?: string;
  /** Seed of this host's generator (initial sequence numbers, ephemeral ports). */
  seed?: number;
  mtu?: number;
  /** Seconds an ARP entry lives (default 60). */
  arpLifetimeSeconds?: number;
  tcp?: Partial<TcpConfig>;
}

export interface UdpMessage {
  src: number;
  srcPort: number;
  dst: number;
  dstPort: number;
  srcMac: Uint8Array;
  data: Uint8Array;
}

export interface SendOptions extends Ipv4SendOptions {
  /** Deliver to this MAC without ARP (a DHCP server answering a client that has no address yet). */
  viaMac?: Uint8Array;
  /** Source address to use instead of the host's (0.0.0.0 for a DHCP client). */
  src?: number;
}

export class UdpSocket {
  onMessage: ((message: UdpMessage) => void) | null = null;

  constructor(
    private readonly host: IpHost,
    readonly port: number,
  ) {}

  send(dst: number, dstPort: number, data: Uint8Array, options: SendOptions = {}): boolean {
    const src = options.src ?? this.host.ip;
    return this.host.sendIp(dst, PROTO_UDP, buildUdp(src, dst, this.port, dstPort, data), options);
  }

  close(): void {
    this.host.unbindUdp(this);
  }
}

export interface TcpListener {
  readonly port: number;
  close(): void;
}

const ARP_RETRY_TICKS = TICKS_PER_SECOND;
const ARP_TRIES = 3;
const ARP_QUEUE_LIMIT = 32;

export class IpHost implements EthernetPort, TcpEndpointHost {
  readonly mac: Uint8Array;
  readonly name: string;
  readonly timers: NetTimers;
  readonly config: TcpConfig;
  ip = 0;
  netmask = 0;
  gateway = 0;
  dns = 0;
  readonly mtu: number;

  /** Every ARP packet received (DHCP clients use it to probe an offered address). */
  onArp: ((packet: ArpPacket) => void) | null = null;
  /** Echo replies: (from, id, seq, data). */
  onEchoReply: ((from: number, id: number, seq: number, data: Uint8Array) => void) | null = null;

  private attachment: EthernetAttachment | null = null;
  private readonly arp: ArpCache;
  private readonly arpPending = new Map<number, { packets: Uint8Array[]; tries: number }>();
  private readonly reassembler = new Reassembler(30 * TICKS_PER_SECOND);
  private readonly prng: Prng;
  private ipId: number;
  private readonly udpSockets = new Map<number, UdpSocket>();
  private readonly tcpListeners = new Map<number, (conn: TcpConnection) => void>();
  private readonly connections = new Map<string, TcpConnection>();
  private readonly passive = new Set<TcpConnection>();
  private nextEphemeral: number;

  constructor(
    readonly clock: NetClock,
    options: IpHostOptions,
  ) {
    this.mac = Uint8Array.from(options.mac);
    this.name = options.name ?? 'host';
    this.timers = new NetTimers(clock, `host ${this.name}`);
    this.mtu = options.mtu ?? ETHERNET_MTU;
    this.arp = new ArpCache((options.arpLifetimeSeconds ?? 60) * TICKS_PER_SECOND);
    this.prng = new Prng(options.seed ?? 0x5eed);
    this.ipId = this.prng.nextU32() & 0xffff;
    this.nextEphemeral = 49152 + this.prng.below(16384);
    this.config = {
      mss: this.mtu - 40,
      receiveWindow: 256 * 1024,
      windowScale: 3,
      initialRtoTicks: TICKS_PER_SECOND,
      minRtoTicks: TICKS_PER_SECOND,
      maxRtoTicks: 60 * TICKS_PER_SECOND,
      maxRetries: 12,
      timeWaitTicks: 60 * TICKS_PER_SECOND,
      ...options.tcp,
    };
    if (options.ip !== undefined) {
      this.ip = options.ip;
      this.netmask = options.netmask ?? 0xffffff00;
      this.gateway = options.gateway ?? 0;
      this.dns = options.dns ?? 0;
    }
  }

  /** Plug into a segment. Announces the address (gratuitous ARP) when there is one. */
  attachTo(segment: EthernetSegment): void {
    this.attachment?.detach();
    this.attachment = segment.attach(this, this.mac);
    if (this.ip) this.announce();
  }

  detach(): void {
    this.attachment?.detach();
    this.attachment = null;
  }

  /** Take an address (or drop it with ip 0): what a DHCP client does on BOUND and on expiry. */
  configure(config: IpConfig): void {
    const changed = config.ip !== this.ip;
    this.ip = config.ip;
    this.netmask = config.netmask;
    this.gateway = config.gateway ?? 0;
    this.dns = config.dns ?? 0;
    if (changed && this.ip) this.announce();
  }

  get broadcastAddress(): number {
    return (this.ip | ~this.netmask) >>> 0;
  }

  // ---- Ethernet in --------------------------------------------------------------------------

  receive(frame: Uint8Array): void {
    if (frame.length < ETHERNET_HEADER) return;
    if (!isGroupMac(frame, 0) && !macEquals(frame, 0, this.mac)) return;
    const payload = frame.subarray(ETHERNET_HEADER);
    const type = frameEthertype(frame);
    if (type === ETHERTYPE_ARP) this.receiveArp(payload);
    else if (type === ETHERTYPE_IPV4) this.receiveIpv4(payload, frame.subarray(6, 12));
  }

  private receiveArp(p: Uint8Array): void {
    const a = parseArp(p);
    if (!a) return;
    this.onArp?.(a);
    const now = this.clock.now;
    const forUs = this.ip !== 0 && a.targetIp === this.ip;
    // A probe (sender 0.0.0.0) teaches nothing but is answered: that is how a conflict shows.
    if (a.senderIp && (forUs || this.arp.has(a.senderIp, now))) this.arp.set(a.senderIp, a.senderMac, now);
    if (a.op === ARP_REQUEST && forUs) {
      this.sendFrame(a.senderMac, ETHERTYPE_ARP, buildArp({
        op: ARP_REPLY,
        senderMac: this.mac,
        senderIp: this.ip,
        targetMac: a.senderMac,
        targetIp: a.senderIp,
      }));
    }
    const pending = a.senderIp ? this.arpPending.get(a.senderIp) : undefined;
    if (pending && (forUs || a.op === ARP_REPLY)) {
      this.arp.set(a.senderIp, a.senderMac, now);
      this.arpPending.delete(a.senderIp);
      for (const packet of pending.packets) this.sendFrame(a.senderMac, ETHERTYPE_IPV4, packet);
    }
  }

  private receiveIpv4(p: Uint8Array, srcMac: Uint8Array): void {
    const parsed = parseIpv4Header(p);
    if (!parsed) return;
    const d = parsed.dst;
    const mine =
      d === this.ip ||
      d === LIMITED_BROADCAST ||
      (this.ip !== 0 && d === this.broadcastAddress) ||
      this.ip === 0; // unconfigured: a DHCP client takes replies sent to the address it is offered
    if (!mine) return;
    const packet = this.reassembler.add(parsed, this.clock.now);
    if (!packet) return;
    this.deliverIp(packet, Uint8Array.from(srcMac));
  }

  private deliverIp(packet: Ipv4Packet, srcMac: Uint8Array): void {
    switch (packet.protocol) {
      case PROTO_ICMP:
        this.receiveIcmp(packet);
        break;
      case PROTO_UDP:
        this.receiveUdp(packet, srcMac);
        break;
      case PROTO_TCP:
        if (packet.dst === this.ip && this.ip !== 0) this.receiveTcp(packet);
        break;
    }
  }

  private receiveIcmp(packet: Ipv4Packet): void {
    const m = parseIcmp(packet.payload);
    if (!m) return;
    if (m.type === ICMP_ECHO_REQUEST && m.code === 0 && packet.dst === this.ip && this.ip !== 0) {
      const rest = (m.id << 16) | m.seq;
      this.sendIp(packet.src, PROTO_ICMP, buildIcmp(ICMP_ECHO_REPLY, 0, rest, m.body));
    } else if (m.type === ICMP_ECHO_REPLY) {
      this.onEchoReply?.(packet.src, m.id, m.seq, Uint8Array.from(m.body));
    }
  }

  private receiveUdp(packet: Ipv4Packet, srcMac: Uint8Array): void {
    const u = parseUdp(packet.src, packet.dst, packet.payload);
    if (!u) return;
    const socket = this.udpSockets.get(u.dstPort);
    if (socket) {
      socket.onMessage?.({
        src: packet.src,
        srcPort: u.srcPort,
        dst: packet.dst,
        dstPort: u.dstPort,
        srcMac,
        data: Uint8Array.from(u.data),
      });
    } else if (packet.dst === this.ip && this.ip !== 0) {
      // RFC 1122 3.2.2.1: port unreachable, quoting the IP header and the first 8 bytes.
      const quote = new Uint8Array(packet.header.length + 8);
      quote.set(packet.header);
      quote.set(packet.payload.subarray(0, 8), packet.header.length);
      this.sendIp(packet.src, PROTO_ICMP, buildIcmp(ICMP_UNREACHABLE, UNREACHABLE_PORT, 0, quote));
    }
  }

  private receiveTcp(packet: Ipv4Packet): void {
    const seg = parseTcp(packet.src, packet.dst, packet.payload);
    if (!seg) return;
    const key = connectionKey(packet.src, seg.srcPort, seg.dstPort);
    let conn = this.connections.get(key);
    const listener = this.tcpListeners.get(seg.dstPort);
    const isNewSyn = (seg.flags & (SYN | ACK | RST)) === SYN;
    if (conn && isNewSyn && listener && conn.acceptsNewSyn(seg.seq)) {
      this.connections.delete(key);
      conn = undefined;
    }
    if (conn) {
      conn.segmentArrives(seg);
      return;
    }
    if (isNewSyn && listener) {
      const c = new TcpConnection(this, this.ip, seg.dstPort, packet.src, seg.srcPort, this.prng.nextU32());
      this.connections.set(key, c);
      this.passive.add(c);
      c.acceptSyn(seg);
      return;
    }
    if (seg.flags & RST) return;
    // RFC 9293 3.10.7.1: a segment for no connection is answered with a reset.
    const reply: TcpSegment =
      seg.flags & ACK
        ? { srcPort: seg.dstPort, dstPort: seg.srcPort, seq: seg.ack, ack: 0, flags: RST, window: 0, data: new Uint8Array(0) }
        : {
            srcPort: seg.dstPort,
            dstPort: seg.srcPort,
            seq: 0,
            ack: (seg.seq + seg.data.length + (seg.flags & SYN ? 1 : 0) + (seg.flags & 1 ? 1 : 0)) >>> 0,
            flags: RST | ACK,
            window: 0,
            data: new Uint8Array(0),
          };
    this.sendIp(packet.src, PROTO_TCP, buildTcp(this.ip, packet.src, reply));
  }

  // ---- IP out -------------------------------------------------------------------------------

  /** Send one IP payload; false when there is no way to the destination (no address, no route). */
  sendIp(dst: number, protocol: number, payload: Uint8Array, options: SendOptions = {}): boolean {
    const src = options.src ?? this.ip;
    const packets = buildIpv4(src, dst, protocol, this.ipId, payload, this.mtu, options);
    this.ipId = (this.ipId + 1) & 0xffff;
    if (dst === this.ip && dst !== 0) {
      // Loopback: back into our own stack on the next timer turn, never onto the wire.
      for (const p of packets) this.timers.after(0, () => this.receiveIpv4(p, this.mac));
      return true;
    }
    if (options.viaMac) {
      for (const p of packets) this.sendFrame(options.viaMac, ETHERTYPE_IPV4, p);
      return true;
    }
    if (dst === LIMITED_BROADCAST || (this.ip !== 0 && dst === this.broadcastAddress)) {
      for (const p of packets) this.sendFrame(BROADCAST_MAC, ETHERTYPE_IPV4, p);
      return true;
    }
    const onLink = this.ip !== 0 && ((dst ^ this.ip) & this.netmask) === 0;
    const nextHop = onLink ? dst : this.gateway;
    if (!nextHop || !this.ip) return false;
    const mac = this.arp.lookup(nextHop, this.clock.now);
    if (mac) {
      for (const p of packets) this.sendFrame(mac, ETHERTYPE_IPV4, p);
      return true;
    }
    this.resolve(nextHop, packets);
    return true;
  }

  private resolve(ip: number, packets: Uint8Array[]): void {
    const pending = this.arpPending.get(ip);
    if (pending) {
      pending.packets.push(...packets);
      pending.packets.splice(0, Math.max(0, pending.packets.length - ARP_QUEUE_LIMIT));
      return;
    }
    const entry = { packets: [...packets], tries: 0 };
    this.arpPending.set(ip, entry);
    const ask = () => {
      if (this.arpPending.get(ip) !== entry) return;
      if (entry.tries++ === ARP_TRIES) {
        this.arpPending.delete(ip); // unreachable: the packets are dropped
        return;
      }
      this.sendArpRequest(this.ip, ip);
      this.timers.after(ARP_RETRY_TICKS, ask);
    };
    ask();
  }

  private sendArpRequest(senderIp: number, targetIp: number): void {
    this.sendFrame(BROADCAST_MAC, ETHERTYPE_ARP, buildArp({
      op: ARP_REQUEST,
      senderMac: this.mac,
      senderIp,
      targetMac: ZERO_MAC,
      targetIp,
    }));
  }

  /** Gratuitous ARP (an announcement: sender and target are our address). */
  announce(): void {
    if (this.ip) this.sendArpRequest(this.ip, this.ip);
  }

  /** ARP probe for `ip` with sender address 0 (RFC 5227): is anyone using it? */
  probe(ip: number): void {
    this.sendArpRequest(0, ip);
  }

  private sendFrame(dst: Uint8Array, ethertype: number, payload: Uint8Array): void {
    this.attachment?.send(buildFrame(dst, this.mac, ethertype, payload));
  }

  /** ICMP echo request; the reply comes to `onEchoReply`. */
  ping(dst: number, id: number, seq: number, data: Uint8Array = new Uint8Array(32)): boolean {
    return this.sendIp(dst, PROTO_ICMP, buildIcmp(ICMP_ECHO_REQUEST, 0, ((id << 16) | seq) >>> 0, data));
  }

  // ---- UDP sockets --------------------------------------------------------------------------

  /** Bind a UDP port (0: an ephemeral one). Throws when the port is taken. */
  udpBind(port = 0, onMessage?: (message: UdpMessage) => void): UdpSocket {
    if (port === 0) port = this.ephemeralPort((p) => this.udpSockets.has(p));
    if (this.udpSockets.has(port)) throw new Error(`${this.name}: UDP port ${port} in use`);
    const s = new UdpSocket(this, port);
    if (onMessage) s.onMessage = onMessage;
    this.udpSockets.set(port, s);
    return s;
  }

  /** @internal */
  unbindUdp(socket: UdpSocket): void {
    if (this.udpSockets.get(socket.port) === socket) this.udpSockets.delete(socket.port);
  }

  // ---- TCP ----------------------------------------------------------------------------------

  tcpListen(port: number, onAccept: (conn: TcpConnection) => void): TcpListener {
    if (this.tcpListeners.has(port)) throw new Error(`${this.name}: TCP port ${port} in use`);
    this.tcpListeners.set(port, onAccept);
    return {
      port,
      close: () => {
        if (this.tcpListeners.get(port) === onAccept) this.tcpListeners.delete(port);
      },
    };
  }

  /** Active open. Set the callbacks on the returned connection before the simulation runs on. */
  tcpConnect(dst: number, port: number, localPort = 0): TcpConnection {
    if (!this.ip) throw new Error(`${this.name}: no IP address`);
    if (localPort === 0) {
      localPort = this.ephemeralPort((p) => this.connections.has(connectionKey(dst, port, p)) || this.tcpListeners.has(p));
    }
    const key = connectionKey(dst, port, localPort);
    if (this.connections.has(key)) throw new Error(`${this.name}: ${formatIpv4(dst)}:${port} from ${localPort} already open`);
    const c = new TcpConnection(this, this.ip, localPort, dst, port, this.prng.nextU32());
    this.connections.set(key, c);
    c.connect();
    return c;
  }

  /** Open connections (TIME_WAIT included), for tests and diagnostics. */
  get tcpConnections(): readonly TcpConnection[] {
    return [...this.connections.values()];
  }

  /** @internal TcpEndpointHost */
  transmit(conn: TcpConnection, segment: TcpSegment): void {
    this.sendIp(conn.remoteIp, PROTO_TCP, buildTcp(conn.localIp, conn.remoteIp, segment));
  }

  /** @internal TcpEndpointHost */
  release(conn: TcpConnection): void {
    const key = connectionKey(conn.remoteIp, conn.remotePort, conn.localPort);
    if (this.connections.get(key) === conn) this.connections.delete(key);
    this.passive.delete(conn);
  }

  /** @internal TcpEndpointHost */
  established(conn: TcpConnection): void {
    if (this.passive.has(conn)) {
      this.passive.delete(conn);
      this.tcpListeners.get(conn.localPort)?.(conn);
    } else {
      conn.onConnect?.();
    }
  }

  private ephemeralPort(taken: (port: number) => boolean): number {
    for (let i = 0; i < 16384; i++) {
      const p = this.nextEphemeral;
      this.nextEphemeral = p === 65535 ? 49152 : p + 1;
      if (!taken(p)) return p;
    }
    throw new Error(`${this.name}: no free ephemeral port`);
  }
}

function connectionKey(remoteIp: number, remotePort: number, localPort: number): string {
  return `${remoteIp}:${remotePort}:${localPort}`;
}
