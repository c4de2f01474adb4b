/**
 * A phone or laptop in the air: a `VirtualStation` with an IP stack on top. It joins a network by
 * SSID — one of the world's APs or a board's SoftAP, which are just radios on the same air —,
 * takes a DHCP lease, and then pings and fetches pages on request. Like a phone, it tries again
 * 5 s after a failed join or a disconnection, so a SoftAP that comes up later is found.
 *
 * What it does goes to `log` (bounded) as lines a person reads: "joined "ESP_123456" (AID 1)",
 * "lease 192.168.4.2 router 192.168.4.1", "ping 192.168.4.1: reply in 4.1 ms", "GET / → HTTP/1.1
 * 200 OK, 1234 bytes".
 */
import { TICKS_PER_SECOND, type Alarm, type NetClock } from './clock.ts';
import type { EthernetSegment } from './ethernet.ts';
import { concatBytes, formatIpv4, formatMac, fromUtf8, utf8 } from './ip/bytes.ts';
import { DhcpClient } from './ip/dhcp-client.ts';
import { IpHost } from './ip/host.ts';
import type { TcpConnection } from './ip/tcp.ts';
import type { Air } from './wifi/air.ts';
import { VirtualStation, type ConnectResult } from './wifi/station.ts';

export interface WorldStation {
  /** Its DHCP host name (what the SoftAP's DHCP server and DNS see). */
  name: string;
  /** The network it joins: a world AP's SSID or a board SoftAP's. */
  ssid: string;
  /** WPA2-PSK passphrase; open when absent. */
  passphrase?: string;
  /** dBm at which it hears the boards and APs (and they hear it); default −50. */
  rssi?: number;
}

export type ClientPhase = 'joining' | 'waiting' | 'associated' | 'online';

/** Locally administered, one per station: 02:82:66:5a:00:nn. */
export function stationMac(index: number): Uint8Array {
  return Uint8Array.of(0x02, 0x82, 0x66, 0x5a, 0x00, index & 0xff);
}

export const CLIENT_LOG_LINES = 50;
const RETRY_SECONDS = 5;
const PING_TIMEOUT_SECONDS = 1;
const HTTP_TIMEOUT_SECONDS = 10;

export class VirtualClient {
  readonly station: VirtualStation;
  readonly host: IpHost;
  phase: ClientPhase = 'waiting';
  /** The AP or SoftAP it is associated with. */
  bssid: Uint8Array | null = null;
  readonly log: string[] = [];
  /** Called after every new log line. */
  onLog: ((line: string) => void) | null = null;

  private readonly dhcp: DhcpClient;
  private readonly retry: Alarm;
  private readonly pingTimeout: Alarm;
  private readonly httpTimeout: Alarm;
  private pingSeq = 0;
  private pingSent = 0;
  private http: TcpConnection | null = null;
  private stopped = false;

  constructor(
    private readonly clock: NetClock,
    air: Air,
    readonly config: WorldStation,
    readonly mac: Uint8Array,
  ) {
    this.station = new VirtualStation(air, { mac });
    this.station.onDisconnected = (reason) => {
      // A join that fails ends in a deauthentication too: its callback reports that one.
      if (this.phase !== 'associated' && this.phase !== 'online') return;
      this.say(`disconnected (reason ${reason})`);
      this.dropLink();
      this.retryLater();
    };
    const overTheAir: EthernetSegment = {
      attach: (port) => {
        this.station.onEthernet = (frame) => port.receive(frame);
        return { send: (frame) => this.station.send(frame), detach: () => {} };
      },
    };
    this.host = new IpHost(clock, { mac, name: config.name });
    this.host.attachTo(overTheAir);
    this.dhcp = new DhcpClient(this.host, { hostname: config.name });
    this.dhcp.onBound = (lease) => {
      this.phase = 'online';
      this.say(`lease ${formatIpv4(lease.ip)} router ${formatIpv4(lease.router)}`);
    };
    this.dhcp.onLost = (reason) => {
      if (this.phase === 'online') this.phase = 'associated';
      this.say(`lease lost: ${reason}`);
    };
    this.retry = clock.createAlarm(() => this.join(), `${config.name} retry`);
    this.pingTimeout = clock.createAlarm(() => this.say(`ping: no reply`), `${config.name} ping`);
    this.httpTimeout = clock.createAlarm(() => this.http?.abort(), `${config.name} http`);
    this.host.onEchoReply = (from, _id, seq) => {
      if (seq !== this.pingSeq || !this.pingTimeout.scheduled) return;
      this.pingTimeout.cancel();
      const ms = ((this.clock.now - this.pingSent) / TICKS_PER_SECOND) * 1000;
      this.say(`ping ${formatIpv4(from)}: reply in ${ms.toFixed(1)} ms`);
    };
  }

  get radio() {
    return this.station.mac.radio;
  }

  get ip(): number {
    return this.phase === 'online' ? this.host.ip : 0;
  }

  /** The router its lease named (the SoftAP's address on a board), 0 before a lease. */
  get gateway(): number {
    return this.phase === 'online' ? this.host.gateway : 0;
  }

  start(): void {
    this.stopped = false;
    this.join();
  }

  stop(): void {
    this.stopped = true;
    this.retry.cancel();
    this.pingTimeout.cancel();
    this.httpTimeout.cancel();
    this.http?.abort();
    this.dhcp.stop();
    if (this.phase === 'associated' || this.phase === 'online') this.station.disconnect();
    this.station.detach();
  }

  /** One ICMP echo to `target` (default: its gateway); the answer or "no reply" goes to the log. */
  ping(target = this.gateway): void {
    if (!this.online('ping')) return;
    this.pingSeq = (this.pingSeq + 1) & 0xffff;
    this.pingSent = this.clock.now;
    this.host.ping(target, 0x8266, this.pingSeq);
    this.pingTimeout.scheduleIn(PING_TIMEOUT_SECONDS * TICKS_PER_SECOND);
  }

  /**
   * `GET path` over HTTP/1.1 from `target` (default: its gateway, a SoftAP's web server), port
   * 80, `Connection: close`; the status line and the body's length go to the log, and `done`
   * gets the whole response (null when the connection failed).
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
      const bytes = concatBytes(got);
      const text = fromUtf8(bytes);
      if (text === '') {
        this.say(`GET ${path}: ${error ?? 'no answer'}`);
        return done?.(null);
      }
      // Counted in bytes: a binary body does not survive a round trip through text.
      const head = headerEnd(bytes);
      const body = head < 0 ? 0 : bytes.length - (head + 4);
      this.say(`GET ${path} → ${text.split('\r\n')[0]}, ${body} bytes`);
      done?.(text);
    };
    this.httpTimeout.scheduleIn(HTTP_TIMEOUT_SECONDS * TICKS_PER_SECOND);
  }

  private online(what: string): boolean {
    if (this.phase === 'online') return true;
    this.say(`${what}: not online yet`);
    return false;
  }

  private join(): void {
    if (this.stopped) return;
    this.phase = 'joining';
    const { ssid, passphrase } = this.config;
    this.station.connect({ ssid, passphrase }, (r: ConnectResult) => {
      if (this.stopped) return;
      if (!r.ok) {
        this.say(`join "${ssid}" failed: ${r.reason}`);
        return this.retryLater();
      }
      this.phase = 'associated';
      this.bssid = r.bssid;
      this.say(`joined "${ssid}" ${formatMac(r.bssid)} (AID ${r.aid})`);
      this.dhcp.start();
    });
  }

  private dropLink(): void {
    this.bssid = null;
    this.dhcp.stop();
    this.phase = 'waiting';
  }

  private retryLater(): void {
    if (this.stopped) return;
    this.phase = 'waiting';
    this.retry.scheduleIn(RETRY_SECONDS * TICKS_PER_SECOND);
  }

  private say(line: string): void {
    const stamped = `${(this.clock.now / TICKS_PER_SECOND).toFixed(3)} ${line}`;
    this.log.push(stamped);
    if (this.log.length > CLIENT_LOG_LINES) this.log.splice(0, this.log.length - CLIENT_LOG_LINES);
    this.onLog?.(stamped);
  }
}

/** Index of the blank line ending an HTTP head in `b`, or -1. */
function headerEnd(b: Uint8Array): number {
  for (let i = 0; i + 3 < b.length; i++)
    if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) return i;
  return -1;
}
