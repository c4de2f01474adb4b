/**
 * A phone or laptop in the virtual air: a Wi-Fi station that joins an access point by SSID —
 * typically the board's own SoftAP — takes a DHCP lease on it and then answers ping and ARP like
 * any host. It tries again a few seconds after a failed attempt or after the AP drops it, as a
 * device that remembers the network does, so it does not matter whether the firmware starts its
 * SoftAP before or after the client appears.
 *
 *   const client = new WifiClient(world.air, clock, { ssid: 'DEMO_AP', passphrase: '12345678' }, 0);
 *   client.onEvent = (line) => console.log(line);   // "joined …", "got 192.168.4.2 …"
 *
 * On request it pings (`ping(ip = gateway)`) and fetches a page (`httpGet(path, ip = gateway)`,
 * a SoftAP's web server); the last events, without the "client n mac:" prefix and stamped with
 * simulated seconds, stay in `log` for a panel to show.
 */
import { TICKS_PER_SECOND, type Alarm, type NetClock } from './clock.ts';
import type { EthernetSegment } from './ethernet.ts';
import { concatBytes, formatIpv4, fromUtf8, utf8 } from './ip/bytes.ts';
import { DhcpClient } from './ip/dhcp-client.ts';
import { IpHost } from './ip/host.ts';
import type { TcpConnection } from './ip/tcp.ts';
import type { Air } from './wifi/air.ts';
import { macToString, type MacAddress } from './wifi/mac-address.ts';
import { VirtualStation } from './wifi/station.ts';

export interface WorldClient {
  ssid: string;
  /** WPA2-PSK passphrase; the network must be open when absent. */
  passphrase?: string;
  /** Host name sent in DHCP (default "client-N"). */
  name?: string;
}

/** Seconds between join attempts (a phone's reconnect back-off is of this order). */
export const CLIENT_RETRY_SECONDS = 3;

/** The MAC of client `index`: 02:82:66:8n:00:01 (locally administered, apart from the APs'). */
export function clientMac(index: number): MacAddress {
  return Uint8Array.of(0x02, 0x82, 0x66, 0x80 | (index & 0x7f), 0x00, 0x01);
}

/** How many events `log` keeps. */
export const CLIENT_LOG_LINES = 50;
const PING_TIMEOUT_SECONDS = 1;
const HTTP_TIMEOUT_SECONDS = 10;

export type ClientState = 'joining' | 'waiting' | 'associated' | 'bound' | 'stopped';

export class WifiClient {
  readonly station: VirtualStation;
  readonly host: IpHost;
  readonly dhcp: DhcpClient;
  readonly name: string;
  state: ClientState = 'waiting';
  /** Join attempts so far. */
  attempts = 0;
  /** One line per event worth a log: joined, refused, got an address, dropped. */
  onEvent: (line: string) => void = () => {};
  /** The last events, "12.345 joined …", oldest first (bounded). */
  readonly log: string[] = [];
  /** The AP it is associated with. */
  bssid: MacAddress | null = null;

  private readonly retry: Alarm;
  private readonly pingTimeout: Alarm;
  private readonly httpTimeout: Alarm;
  private pingSeq = 0;
  private pingSent = 0;
  private http: TcpConnection | null = null;
  private lastFailure = '';

  constructor(
    air: Air,
    clock: NetClock,
    readonly config: WorldClient,
    readonly index: number,
  ) {
    const mac = clientMac(index);
    this.name = config.name ?? `client-${index}`;
    this.station = new VirtualStation(air, { mac, seed: 0xc11e + index });
    this.host = new IpHost(clock, { mac, name: this.name, seed: 0xc11e + index });
    this.host.attachTo(this.stationAsSegment());
    this.dhcp = new DhcpClient(this.host, { hostname: this.name });
    this.dhcp.onBound = (lease) => {
      this.state = 'bound';
      this.event(
        `got ${formatIp(lease.ip)} from ${formatIp(lease.server)}, gateway ${formatIp(lease.router)}`,
      );
    };
    this.station.onDisconnected = (reason) => {
      // An AP that has just dropped us answers whatever frame was still in flight with another
      // deauthentication (reason 6 after hostapd's reason 3): one drop, one log line.
      if (this.state !== 'associated' && this.state !== 'bound') return;
      this.dhcp.stop();
      this.bssid = null;
      this.host.configure({ ip: 0, netmask: 0 });
      this.event(`dropped by the AP (reason ${reason})`);
      this.scheduleJoin();
    };
    this.retry = clock.createAlarm(() => this.join(), `client ${index} join`);
    this.retry.scheduleIn(1);
    this.pingTimeout = clock.createAlarm(
      () => this.event('ping: no reply'),
      `client ${index} ping`,
    );
    this.httpTimeout = clock.createAlarm(() => this.http?.abort(), `client ${index} http`);
    this.host.onEchoReply = (from, _id, seq) => {
      if (seq !== this.pingSeq || !this.pingTimeout.scheduled) return;
      this.pingTimeout.cancel();
      const ms = ((clock.now - this.pingSent) / TICKS_PER_SECOND) * 1000;
      this.event(`ping ${formatIpv4(from)}: reply in ${ms.toFixed(1)} ms`);
    };
  }

  /** Its address while it holds a lease, else 0. */
  get ip(): number {
    return this.state === 'bound' ? this.host.ip : 0;
  }

  /** The router its lease named (a SoftAP's own address), 0 without a lease. */
  get gateway(): number {
    return this.state === 'bound' ? this.host.gateway : 0;
  }

  /** One ICMP echo to `target` (default: its gateway); the reply or "no reply" is an event. */
  ping(target = this.gateway): void {
    if (!this.online('ping')) return;
    this.pingSeq = (this.pingSeq + 1) & 0xffff;
    this.pingSent = this.host.clock.now;
    this.host.ping(target, 0x8266, this.pingSeq);
    this.pingTimeout.scheduleIn(PING_TIMEOUT_SECONDS * TICKS_PER_SECOND);
  }

  /**
   * `GET path` over HTTP/1.1 from `target` (default: its gateway, a SoftAP's web server) on port
   * 80 with `Connection: close`; the status line and body length are an event, `done` gets the
   * whole response (null when nothing came back).
   */
  httpGet(path = '/', target = this.gateway, done?: (response: string | null) => void): void {
    if (!this.online('GET')) return done?.(null);
    this.http?.abort();
    const conn = this.host.tcpConnect(target, 80);
    this.http = conn;
    const got: Uint8Array[] = [];
    conn.onConnect = () =>
      conn.send(
        utf8(`GET ${path} HTTP/1.1\r\nHost: ${formatIpv4(target)}\r\nConnection: close\r\n\r\n`),
      );
    conn.onData = (bytes) => got.push(bytes);
    conn.onEnd = () => conn.end();
    conn.onClose = (error) => {
      if (this.http === conn) this.http = null;
      this.httpTimeout.cancel();
      const text = fromUtf8(concatBytes(got));
      if (text === '') {
        this.event(`GET ${path}: ${error ?? 'no answer'}`);
        return done?.(null);
      }
      const head = text.indexOf('\r\n\r\n');
      const body = head < 0 ? 0 : utf8(text.slice(head + 4)).length;
      this.event(`GET ${path} → ${text.split('\r\n')[0]}, ${body} bytes`);
      done?.(text);
    };
    this.httpTimeout.scheduleIn(HTTP_TIMEOUT_SECONDS * TICKS_PER_SECOND);
  }

  private online(what: string): boolean {
    if (this.state === 'bound') return true;
    this.event(`${what}: no address yet`);
    return false;
  }

  get mac(): MacAddress {
    return this.station.config.mac;
  }

  stop(): void {
    this.state = 'stopped';
    this.retry.cancel();
    this.pingTimeout.cancel();
    this.httpTimeout.cancel();
    this.http?.abort();
    this.dhcp.stop();
    if (this.station.state === 'connected') this.station.disconnect();
    this.station.mac.detach();
  }

  private join(): void {
    if (this.state === 'stopped') return;
    this.state = 'joining';
    this.attempts++;
    const { ssid, passphrase } = this.config;
    this.station.connect({ ssid, passphrase }, (result) => {
      if (this.state === 'stopped') return;
      if (!result.ok) {
        // A SoftAP that is not up yet fails every attempt alike: say so once, not every 3 s.
        if (result.reason !== this.lastFailure)
          this.event(`cannot join "${ssid}": ${result.reason}`);
        this.lastFailure = result.reason;
        this.scheduleJoin();
        return;
      }
      this.lastFailure = '';
      this.state = 'associated';
      this.bssid = result.bssid;
      this.event(`joined "${ssid}" (${macToString(result.bssid)}), AID ${result.aid}`);
      this.dhcp.start();
    });
  }

  private scheduleJoin(): void {
    if (this.state === 'stopped') return;
    this.state = 'waiting';
    this.retry.scheduleIn(CLIENT_RETRY_SECONDS * TICKS_PER_SECOND);
  }

  private event(what: string): void {
    this.log.push(`${(this.host.clock.now / TICKS_PER_SECOND).toFixed(3)} ${what}`);
    if (this.log.length > CLIENT_LOG_LINES) this.log.splice(0, this.log.length - CLIENT_LOG_LINES);
    this.onEvent(`client ${this.index} ${macToString(this.mac)}: ${what}`);
  }

  /** The station's data path, seen by the IP host as the one other port of a segment. */
  private stationAsSegment(): EthernetSegment {
    return {
      attach: (port) => {
        this.station.onEthernet = (frame) => port.receive(frame);
        return {
          send: (frame) => this.station.send(frame),
          detach: () => {
            this.station.onEthernet = () => {};
          },
        };
      },
    };
  }
}

function formatIp(ip: number): string {
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}
