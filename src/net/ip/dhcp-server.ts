/**
 * A DHCP server (RFC 2131) for one subnet: DISCOVER → OFFER, REQUEST → ACK/NAK in the SELECTING,
 * INIT-REBOOT, RENEWING and REBINDING cases, DECLINE (the address is set aside), RELEASE, INFORM,
 * and leases that expire in simulated time. Clients are told the subnet mask, router, DNS server,
 * broadcast address, domain name, lease time and the T1/T2 times (RFC 2132).
 */
import { TICKS_PER_SECOND } from '../clock';
import { formatIpv4, formatMac, fromUtf8, utf8 } from './bytes';
import {
  BOOTREPLY,
  BOOTREQUEST,
  buildDhcp,
  DHCP_CLIENT_PORT,
  DHCP_SERVER_PORT,
  DhcpOption,
  DhcpType,
  FLAG_BROADCAST,
  messageType,
  optionU32,
  optIps,
  optU32,
  optU8,
  parseDhcp,
  type DhcpMessage,
} from './dhcp-packet';
import type { IpHost, UdpMessage, UdpSocket } from './host';
import { LIMITED_BROADCAST } from './ipv4';

export interface DhcpServerOptions {
  /** First and last address handed out. */
  poolStart: number;
  poolEnd: number;
  netmask: number;
  router?: number;
  dns?: number;
  domain?: string;
  /** Seconds (default 3600). */
  leaseSeconds?: number;
  /** Seconds an offered address stays reserved for the client it was offered to (default 60). */
  offerSeconds?: number;
}

export interface DhcpLease {
  ip: number;
  mac: Uint8Array;
  clientId: string;
  hostname?: string;
  /** Tick the lease (or the offer) ends. */
  expires: number;
  bound: boolean;
}

export class DhcpServer {
  /** A lease was granted or renewed (the DNS server learns hostnames from here). */
  onLease: ((lease: DhcpLease) => void) | null = null;

  private readonly socket: UdpSocket;
  private readonly leasesByClient = new Map<string, DhcpLease>();
  /** Declined addresses and the tick until which they are not offered. */
  private readonly declined = new Map<number, number>();
  private readonly leaseTicks: number;
  private readonly offerTicks: number;

  constructor(
    private readonly host: IpHost,
    private readonly options: DhcpServerOptions,
  ) {
    this.leaseTicks = (options.leaseSeconds ?? 3600) * TICKS_PER_SECOND;
    this.offerTicks = (options.offerSeconds ?? 60) * TICKS_PER_SECOND;
    this.socket = host.udpBind(DHCP_SERVER_PORT, (m) => this.receive(m));
  }

  stop(): void {
    this.socket.close();
  }

  /** Leases in force (bound and not expired). */
  get leases(): DhcpLease[] {
    const now = this.host.clock.now;
    return [...this.leasesByClient.values()].filter((l) => l.bound && l.expires > now);
  }

  private get leaseSeconds(): number {
    return this.leaseTicks / TICKS_PER_SECOND;
  }

  private receive(udp: UdpMessage): void {
    const m = parseDhcp(udp.data);
    if (!m || m.op !== BOOTREQUEST) return;
    const clientId = clientKey(m);
    switch (messageType(m)) {
      case DhcpType.Discover:
        this.discover(m, clientId);
        break;
      case DhcpType.Request:
        this.request(m, clientId);
        break;
      case DhcpType.Decline:
        this.decline(m, clientId);
        break;
      case DhcpType.Release:
        this.release(m, clientId);
        break;
      case DhcpType.Inform:
        this.reply(m, DhcpType.Ack, 0, false);
        break;
    }
  }

  private discover(m: DhcpMessage, clientId: string): void {
    const ip = this.chooseAddress(clientId, optionU32(m, DhcpOption.RequestedIp));
    if (ip === undefined) return; // pool exhausted: stay silent
    const now = this.host.clock.now;
    const existing = this.leasesByClient.get(clientId);
    const lease: DhcpLease = {
      ip,
      mac: m.chaddr,
      clientId,
      hostname: hostnameOf(m) ?? existing?.hostname,
      expires: existing?.bound && existing.ip === ip ? Math.max(existing.expires, now + this.offerTicks) : now + this.offerTicks,
      bound: existing?.bound === true && existing.ip === ip,
    };
    this.leasesByClient.set(clientId, lease);
    this.reply(m, DhcpType.Offer, ip, true);
  }

  private request(m: DhcpMessage, clientId: string): void {
    const serverId = optionU32(m, DhcpOption.ServerId);
    const requested = optionU32(m, DhcpOption.RequestedIp);
    const lease = this.leasesByClient.get(clientId);
    const now = this.host.clock.now;
    if (serverId !== undefined) {
      // SELECTING: the client picked a server.
      if (serverId !== this.host.ip) {
        if (lease && !lease.bound) this.leasesByClient.delete(clientId);
        return;
      }
      if (lease && requested === lease.ip && (lease.bound || lease.expires > now)) this.bind(m, lease);
      else this.nak(m, 'offer not valid');
      return;
    }
    if (requested !== undefined && m.ciaddr === 0) {
      // INIT-REBOOT: the client remembers an address.
      if (((requested ^ this.host.ip) & this.options.netmask) !== 0) this.nak(m, 'wrong network');
      else if (lease && lease.ip === requested) this.bind(m, lease);
      else if (this.holderOf(requested, now)) this.nak(m, 'address in use');
      // No record of this client: RFC 2131 4.3.2 says stay silent.
      return;
    }
    if (m.ciaddr !== 0) {
      // RENEWING (unicast) or REBINDING (broadcast).
      if (lease && lease.ip === m.ciaddr && lease.bound && lease.expires > now) this.bind(m, lease);
      else this.nak(m, 'lease unknown');
    }
  }

  private bind(m: DhcpMessage, lease: DhcpLease): void {
    lease.bound = true;
    lease.expires = this.host.clock.now + this.leaseTicks;
    lease.mac = m.chaddr;
    lease.hostname = hostnameOf(m) ?? lease.hostname;
    this.reply(m, DhcpType.Ack, lease.ip, true);
    this.onLease?.(lease);
  }

  private decline(m: DhcpMessage, clientId: string): void {
    const ip = optionU32(m, DhcpOption.RequestedIp);
    const lease = this.leasesByClient.get(clientId);
    if (ip === undefined || !lease || lease.ip !== ip) return;
    this.leasesByClient.delete(clientId);
    this.declined.set(ip, this.host.clock.now + this.leaseTicks);
  }

  private release(m: DhcpMessage, clientId: string): void {
    const lease = this.leasesByClient.get(clientId);
    if (lease && lease.ip === m.ciaddr) this.leasesByClient.delete(clientId);
  }

  private holderOf(ip: number, now: number): DhcpLease | undefined {
    for (const l of this.leasesByClient.values()) if (l.ip === ip && l.expires > now) return l;
    return undefined;
  }

  private usable(ip: number, clientId: string, now: number): boolean {
    const { poolStart, poolEnd } = this.options;
    if (ip < poolStart || ip > poolEnd || ip === this.host.ip) return false;
    if ((this.declined.get(ip) ?? 0) > now) return false;
    const holder = this.holderOf(ip, now);
    return !holder || holder.clientId === clientId;
  }

  private chooseAddress(clientId: string, requested: number | undefined): number | undefined {
    const now = this.host.clock.now;
    const previous = this.leasesByClient.get(clientId);
    if (previous && this.usable(previous.ip, clientId, now)) return previous.ip;
    if (requested !== undefined && this.usable(requested, clientId, now)) return requested;
    // Expired leases are only reused once no never-used address is left.
    const everUsed = new Set([...this.leasesByClient.values()].map((l) => l.ip));
    let fallback: number | undefined;
    for (let ip = this.options.poolStart; ip <= this.options.poolEnd; ip++) {
      if (!this.usable(ip, clientId, now)) continue;
      if (!everUsed.has(ip)) return ip;
      fallback ??= ip;
    }
    if (fallback !== undefined) {
      for (const [id, l] of this.leasesByClient) if (l.ip === fallback) this.leasesByClient.delete(id);
    }
    return fallback;
  }

  private nak(m: DhcpMessage, why: string): void {
    const options = new Map<number, Uint8Array>([
      [DhcpOption.MessageType, optU8(DhcpType.Nak)],
      [DhcpOption.ServerId, optU32(this.host.ip)],
      [DhcpOption.Message, utf8(why)],
    ]);
    const nak = buildDhcp({ ...replyHeader(m), options });
    // RFC 2131 4.3.2: a NAK is broadcast when there is no relay.
    this.socket.send(LIMITED_BROADCAST, DHCP_CLIENT_PORT, nak);
  }

  private reply(m: DhcpMessage, type: DhcpType, yiaddr: number, withLease: boolean): void {
    const o = this.options;
    const options = new Map<number, Uint8Array>([
      [DhcpOption.MessageType, optU8(type)],
      [DhcpOption.ServerId, optU32(this.host.ip)],
    ]);
    if (withLease) {
      options.set(DhcpOption.LeaseTime, optU32(this.leaseSeconds));
      options.set(DhcpOption.RenewalTime, optU32(Math.floor(this.leaseSeconds / 2)));
      options.set(DhcpOption.RebindingTime, optU32(Math.floor((this.leaseSeconds * 7) / 8)));
    }
    options.set(DhcpOption.SubnetMask, optU32(o.netmask));
    if (o.router) options.set(DhcpOption.Router, optIps([o.router]));
    if (o.dns) options.set(DhcpOption.DnsServer, optIps([o.dns]));
    options.set(DhcpOption.BroadcastAddress, optU32((this.host.ip | ~o.netmask) >>> 0));
    if (o.domain) options.set(DhcpOption.DomainName, utf8(o.domain));
    const hostname = hostnameOf(m);
    if (hostname) options.set(DhcpOption.HostName, utf8(hostname));
    const packet = buildDhcp({ ...replyHeader(m), yiaddr, siaddr: this.host.ip, options });
    // RFC 2131 4.1: to ciaddr if the client has one; broadcast if it asked; else to yiaddr at chaddr.
    if (m.ciaddr !== 0) this.socket.send(m.ciaddr, DHCP_CLIENT_PORT, packet);
    else if (m.flags & FLAG_BROADCAST || yiaddr === 0) this.socket.send(LIMITED_BROADCAST, DHCP_CLIENT_PORT, packet);
    else this.socket.send(yiaddr, DHCP_CLIENT_PORT, packet, { viaMac: m.chaddr });
  }

  describe(): string[] {
    return this.leases.map((l) => `${formatIpv4(l.ip)} ${formatMac(l.mac)} ${l.hostname ?? ''}`.trim());
  }
}

function replyHeader(m: DhcpMessage): DhcpMessage {
  return { op: BOOTREPLY, xid: m.xid, secs: 0, flags: m.flags, ciaddr: m.ciaddr, yiaddr: 0, siaddr: 0, giaddr: m.giaddr, chaddr: m.chaddr, options: new Map() };
}

function clientKey(m: DhcpMessage): string {
  const id = m.options.get(DhcpOption.ClientId);
  return id ? `id:${[...id].join(',')}` : `mac:${formatMac(m.chaddr)}`;
}

function hostnameOf(m: DhcpMessage): string | undefined {
  const h = m.options.get(DhcpOption.HostName);
  return h && h.length ? fromUtf8(h).replace(/\0+$/, '') : undefined;
}
