/**
 * A DHCP client (RFC 2131 §4.4) for a virtual host: INIT → SELECTING → REQUESTING → BOUND, then
 * RENEWING at T1 (unicast to the server) and REBINDING at T2 (broadcast), back to INIT when the
 * lease expires or a NAK arrives. Before using an ACKed address it sends an ARP probe and declines
 * the address if another host answers (§4.4.1). Retransmissions back off 4, 8, 16, 32, 64 s.
 */
import { TICKS_PER_SECOND } from '../clock';
import type { ArpPacket } from './arp';
import { formatIpv4, macEquals, utf8 } from './bytes';
import {
  BOOTREPLY,
  BOOTREQUEST,
  buildDhcp,
  DHCP_CLIENT_PORT,
  DHCP_SERVER_PORT,
  DhcpOption,
  DhcpType,
  messageType,
  optionU32,
  optU32,
  optU8,
  parseDhcp,
  type DhcpMessage,
} from './dhcp-packet';
import type { IpHost, UdpMessage, UdpSocket } from './host';
import { LIMITED_BROADCAST } from './ipv4';
import { Prng } from './prng';
import type { Timer } from './timers';

export type DhcpClientState = 'STOPPED' | 'INIT' | 'SELECTING' | 'REQUESTING' | 'PROBING' | 'BOUND' | 'RENEWING' | 'REBINDING';

export interface DhcpLeaseInfo {
  ip: number;
  netmask: number;
  router: number;
  dns: number;
  server: number;
  leaseSeconds: number;
  domain?: string;
}

const PARAMETERS = [DhcpOption.SubnetMask, DhcpOption.Router, DhcpOption.DnsServer, DhcpOption.DomainName, DhcpOption.BroadcastAddress];

export class DhcpClient {
  state: DhcpClientState = 'STOPPED';
  lease: DhcpLeaseInfo | null = null;
  onBound: ((lease: DhcpLeaseInfo) => void) | null = null;
  onLost: ((reason: string) => void) | null = null;
  /** One line per state change, for logs and tests. */
  readonly history: string[] = [];

  private socket: UdpSocket | null = null;
  private readonly prng: Prng;
  private xid = 0;
  private retransmit: Timer | null = null;
  private leaseTimers: Timer[] = [];
  private tries = 0;
  private boundAt = 0;

  constructor(
    private readonly host: IpHost,
    private readonly options: { hostname?: string } = {},
  ) {
    this.prng = new Prng(host.mac.reduce((a, b) => (a * 31 + b) >>> 0, 7));
  }

  start(): void {
    if (this.state !== 'STOPPED') return;
    this.socket = this.host.udpBind(DHCP_CLIENT_PORT, (m) => this.receive(m));
    this.host.onArp = (a) => this.arpSeen(a);
    this.init();
  }

  /** Give the address back (DHCPRELEASE) and stop. */
  release(): void {
    if (this.lease && (this.state === 'BOUND' || this.state === 'RENEWING' || this.state === 'REBINDING')) {
      const m = this.message(DhcpType.Release, this.lease.ip);
      m.options.set(DhcpOption.ServerId, optU32(this.lease.server));
      this.socket?.send(this.lease.server, DHCP_SERVER_PORT, buildDhcp(m));
    }
    this.stop();
  }

  stop(): void {
    this.clearTimers();
    this.unconfigure();
    this.socket?.close();
    this.socket = null;
    this.setState('STOPPED');
  }

  private setState(s: DhcpClientState): void {
    this.state = s;
    this.history.push(`${(this.host.clock.now / TICKS_PER_SECOND).toFixed(3)} ${s}`);
  }

  private init(): void {
    this.clearTimers();
    this.setState('INIT');
    this.xid = this.prng.nextU32();
    this.tries = 0;
    this.setState('SELECTING');
    this.sendWithBackoff(() => this.broadcast(this.message(DhcpType.Discover, 0)));
  }

  private sendWithBackoff(send: () => void): void {
    this.retransmit?.cancel();
    send();
    // 4 s doubling up to 64 s, randomised by ±1 s (RFC 2131 4.1).
    const base = Math.min(64, 4 << Math.min(this.tries++, 4));
    const delay = (base - 1 + 2 * this.prng.next()) * TICKS_PER_SECOND;
    this.retransmit = this.host.timers.after(delay, () => {
      if (this.state === 'REQUESTING' && this.tries >= 4) this.init();
      else this.sendWithBackoff(send);
    });
  }

  private receive(udp: UdpMessage): void {
    const m = parseDhcp(udp.data);
    if (!m || m.op !== BOOTREPLY || m.xid !== this.xid || !macEquals(m.chaddr, 0, this.host.mac)) return;
    const type = messageType(m);
    if (this.state === 'SELECTING' && type === DhcpType.Offer && m.yiaddr) {
      this.tries = 0;
      this.setState('REQUESTING');
      const req = this.message(DhcpType.Request, 0);
      req.options.set(DhcpOption.RequestedIp, optU32(m.yiaddr));
      req.options.set(DhcpOption.ServerId, optU32(optionU32(m, DhcpOption.ServerId) ?? udp.src));
      this.sendWithBackoff(() => this.broadcast(req));
      return;
    }
    if (type === DhcpType.Nak && (this.state === 'REQUESTING' || this.state === 'RENEWING' || this.state === 'REBINDING')) {
      this.unconfigure();
      this.onLost?.('NAK');
      this.init();
      return;
    }
    if (type !== DhcpType.Ack) return;
    const lease: DhcpLeaseInfo = {
      ip: m.yiaddr,
      netmask: optionU32(m, DhcpOption.SubnetMask) ?? 0xffffff00,
      router: optionU32(m, DhcpOption.Router) ?? 0,
      dns: optionU32(m, DhcpOption.DnsServer) ?? 0,
      server: optionU32(m, DhcpOption.ServerId) ?? udp.src,
      leaseSeconds: optionU32(m, DhcpOption.LeaseTime) ?? 3600,
    };
    const domain = m.options.get(DhcpOption.DomainName);
    if (domain) lease.domain = new TextDecoder().decode(domain);
    if (this.state === 'REQUESTING') {
      this.retransmit?.cancel();
      this.lease = lease;
      this.setState('PROBING');
      this.host.probe(lease.ip);
      this.retransmit = this.host.timers.after(TICKS_PER_SECOND, () => this.bind(m));
    } else if (this.state === 'RENEWING' || this.state === 'REBINDING') {
      this.retransmit?.cancel();
      this.lease = lease;
      this.bind(m);
    }
  }

  private arpSeen(a: ArpPacket): void {
    // Someone else claims the address we are probing: decline it.
    if (this.state !== 'PROBING' || !this.lease || a.senderIp !== this.lease.ip || macEquals(a.senderMac, 0, this.host.mac)) return;
    this.retransmit?.cancel();
    const m = this.message(DhcpType.Decline, 0);
    m.options.set(DhcpOption.RequestedIp, optU32(this.lease.ip));
    m.options.set(DhcpOption.ServerId, optU32(this.lease.server));
    this.broadcast(m);
    this.history.push(`declined ${formatIpv4(this.lease.ip)}`);
    this.lease = null;
    this.setState('INIT');
    // RFC 2131 3.1.5: wait at least 10 s before starting again.
    this.retransmit = this.host.timers.after(10 * TICKS_PER_SECOND, () => this.init());
  }

  private bind(m: DhcpMessage): void {
    const lease = this.lease!;
    this.host.configure({ ip: lease.ip, netmask: lease.netmask, gateway: lease.router, dns: lease.dns });
    this.setState('BOUND');
    this.boundAt = this.host.clock.now;
    for (const t of this.leaseTimers) t.cancel();
    const t1 = optionU32(m, DhcpOption.RenewalTime) ?? lease.leaseSeconds / 2;
    const t2 = optionU32(m, DhcpOption.RebindingTime) ?? (lease.leaseSeconds * 7) / 8;
    const at = (s: number) => this.boundAt + s * TICKS_PER_SECOND;
    this.leaseTimers = [
      this.host.timers.at(at(t1), () => this.renew('RENEWING', at(t2))),
      this.host.timers.at(at(t2), () => this.renew('REBINDING', at(lease.leaseSeconds))),
      this.host.timers.at(at(lease.leaseSeconds), () => this.expire()),
    ];
    this.onBound?.(lease);
  }

  /** T1/T2: ask again, retransmitting at half the time left (at least 60 s, RFC 2131 4.4.5). */
  private renew(state: 'RENEWING' | 'REBINDING', until: number): void {
    const lease = this.lease;
    if (!lease) return;
    this.setState(state);
    this.xid = this.prng.nextU32();
    const send = () => {
      const req = this.message(DhcpType.Request, lease.ip);
      if (state === 'RENEWING') this.socket?.send(lease.server, DHCP_SERVER_PORT, buildDhcp(req));
      else this.socket?.send(LIMITED_BROADCAST, DHCP_SERVER_PORT, buildDhcp(req));
      const left = until - this.host.clock.now;
      const wait = Math.max(left / 2, 60 * TICKS_PER_SECOND);
      this.retransmit?.cancel();
      if (wait < left) this.retransmit = this.host.timers.after(wait, send);
    };
    send();
  }

  private expire(): void {
    this.unconfigure();
    this.onLost?.('lease expired');
    this.init();
  }

  private unconfigure(): void {
    if (this.lease && this.host.ip === this.lease.ip) this.host.configure({ ip: 0, netmask: 0 });
    this.lease = null;
  }

  private clearTimers(): void {
    this.retransmit?.cancel();
    for (const t of this.leaseTimers) t.cancel();
    this.leaseTimers = [];
  }

  private message(type: DhcpType, ciaddr: number): DhcpMessage {
    const options = new Map<number, Uint8Array>([
      [DhcpOption.MessageType, optU8(type)],
      [DhcpOption.ParameterList, Uint8Array.from(PARAMETERS)],
    ]);
    if (this.options.hostname) options.set(DhcpOption.HostName, utf8(this.options.hostname));
    return { op: BOOTREQUEST, xid: this.xid, secs: 0, flags: 0, ciaddr, yiaddr: 0, siaddr: 0, giaddr: 0, chaddr: this.host.mac, options };
  }

  private broadcast(m: DhcpMessage): void {
    this.socket?.send(LIMITED_BROADCAST, DHCP_SERVER_PORT, buildDhcp(m), { src: m.ciaddr });
  }
}
