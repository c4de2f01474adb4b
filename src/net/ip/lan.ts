/**
 * The default layout of the virtual LANs: access point number n (0, 1, …) bridges onto
 * 192.168.(10+n).0/24, and the host at .1 is the gateway and runs every service — DHCP (pool
 * .100–.199), DNS (domain "lan": gateway.lan, and DHCP clients by host name), echo (UDP/TCP 7),
 * HTTP (80), HTTPS (443, the same files), SNTP (123), an MQTT 3.1.1 broker (1883), TLS echo (4433) — plus
 * the network debugging tool. The CLI and the page both build their
 * LANs from here.
 */
import type { NetClock } from '../clock';
import type { EthernetSegment } from '../ethernet';
import { formatIpv4 } from './bytes';
import { DhcpServer } from './dhcp-server';
import { DnsServer } from './dns-server';
import { EchoService } from './echo';
import { IpHost } from './host';
import { HttpFileServer } from './http-server';
import { SwitchedSegment } from './segment';
import { MqttBroker } from './mqtt-broker';
import { NetDebugTool } from './debug-tool';
import { DEFAULT_EPOCH_UNIX_MS, SntpServer } from './sntp-server';
import { TlsServer } from './tls-server';

/** HTTPS: the HTTP file server's files over TLS. */
export const HTTPS_PORT = 443;
/** Echo over TLS (the port of `openssl s_server`'s default). */
export const TLS_ECHO_PORT = 4433;

export interface LanLayout {
  index: number;
  /** 192.168.(10+index).0 */
  network: number;
  netmask: number;
  prefixLength: number;
  /** .1: gateway, DHCP, DNS and the services. */
  gateway: number;
  dhcpStart: number;
  dhcpEnd: number;
  domain: string;
  /** The services host's MAC: locally administered 02:82:66:00:<index>:01. */
  gatewayMac: Uint8Array;
  gatewayName: string;
}

export function defaultLanLayout(index: number): LanLayout {
  if (!Number.isInteger(index) || index < 0 || index > 245) throw new RangeError(`LAN index ${index} out of range 0..245`);
  const network = ((192 << 24) | (168 << 16) | ((10 + index) << 8)) >>> 0;
  return {
    index,
    network,
    netmask: 0xffffff00,
    prefixLength: 24,
    gateway: network + 1,
    dhcpStart: network + 100,
    dhcpEnd: network + 199,
    domain: 'lan',
    gatewayMac: Uint8Array.of(0x02, 0x82, 0x66, 0x00, index, 0x01),
    gatewayName: 'gateway',
  };
}

export function describeLan(layout: LanLayout): string {
  return `${formatIpv4(layout.network)}/${layout.prefixLength} gateway ${formatIpv4(layout.gateway)} dhcp ${formatIpv4(layout.dhcpStart)}-${formatIpv4(layout.dhcpEnd)}`;
}

export interface LanServicesOptions {
  /** The wall time that simulated t = 0 stands for (SNTP, HTTP Date). */
  epochUnixMs?: number;
  leaseSeconds?: number;
  seed?: number;
}

export interface LanServices {
  layout: LanLayout;
  host: IpHost;
  dhcp: DhcpServer;
  dns: DnsServer;
  echo: EchoService;
  http: HttpFileServer;
  sntp: SntpServer;
  mqtt: MqttBroker;
  /** HTTPS on 443 serving `http`'s files. */
  https: TlsServer;
  /** Echo over TLS on 4433. */
  tlsEcho: TlsServer;
  tool: NetDebugTool;
  stop(): void;
}

/** Put the .1 host with all its services on `segment`. */
export function createLanServices(
  clock: NetClock,
  segment: EthernetSegment,
  layout: LanLayout,
  options: LanServicesOptions = {},
): LanServices {
  const epochUnixMs = options.epochUnixMs ?? DEFAULT_EPOCH_UNIX_MS;
  const host = new IpHost(clock, {
    name: `${layout.gatewayName}${layout.index}`,
    mac: layout.gatewayMac,
    ip: layout.gateway,
    netmask: layout.netmask,
    seed: options.seed ?? 0x8266 + layout.index,
  });
  const dhcp = new DhcpServer(host, {
    poolStart: layout.dhcpStart,
    poolEnd: layout.dhcpEnd,
    netmask: layout.netmask,
    router: layout.gateway,
    dns: layout.gateway,
    domain: layout.domain,
    leaseSeconds: options.leaseSeconds,
  });
  const dns = new DnsServer(host, layout.domain);
  dns.setA(layout.gatewayName, layout.gateway);
  dhcp.onLease = (lease) => {
    if (lease.hostname) dns.setA(lease.hostname, lease.ip);
  };
  dhcp.onRelease = (lease) => {
    if (lease.hostname && dns.lookup(lease.hostname) === lease.ip) dns.deleteA(lease.hostname);
  };
  const echo = new EchoService(host);
  const http = new HttpFileServer(host, { epochUnixMs });
  http.addFile('/', `<!doctype html><title>v8266 LAN ${layout.index}</title><p>${describeLan(layout)}</p>\n`, 'text/html; charset=utf-8');
  const sntp = new SntpServer(host, epochUnixMs);
  const mqtt = new MqttBroker(host);
  const https = new TlsServer(host, { port: HTTPS_PORT }, (s) => http.serve(s));
  const tlsEcho = new TlsServer(host, { port: TLS_ECHO_PORT }, (s) => {
    s.onData = (d) => s.send(d);
    s.onEnd = () => s.end();
  });
  const tool = new NetDebugTool(host);
  host.attachTo(segment);
  return {
    layout,
    host,
    dhcp,
    dns,
    echo,
    http,
    sntp,
    mqtt,
    https,
    tlsEcho,
    tool,
    stop() {
      mqtt.stop();
      https.stop();
      tlsEcho.stop();
      dhcp.stop();
      dns.stop();
      echo.stop();
      http.stop();
      sntp.stop();
      host.detach();
    },
  };
}

export interface VirtualLan extends LanServices {
  segment: SwitchedSegment;
}

/** A LAN ready for access point `index` to bridge onto: its segment and the .1 host's services. */
export function createVirtualLan(clock: NetClock, index: number, options: LanServicesOptions = {}): VirtualLan {
  const segment = new SwitchedSegment(clock, { seed: (options.seed ?? 0x8266) + index });
  return { segment, ...createLanServices(clock, segment, defaultLanLayout(index), options) };
}
