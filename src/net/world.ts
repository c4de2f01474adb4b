/**
 * A whole virtual network from one plain description — the access points and what runs on their
 * LANs — built on one clock, ready for boards to join. The CLI builds it from `--ap`, `--echo`,
 * `--http`, `--mqtt`, `--tls` (docs/cli.md); the page can build the same thing from the board document.
 *
 *   const world = new NetworkWorld(soc.clock, { aps: [{ ssid: 'home', passphrase: 'secret1234', channel: 6 }] });
 *   world.attachBoard(soc.wifi);     // the board's MAC becomes a radio in the air
 *
 * Access point n bridges onto LAN n (192.168.(10+n).0/24, src/net/ip/lan.ts) whose .1 host is the
 * gateway, DHCP and DNS server and runs the services. Its BSSID is 02:82:66:0n:00:00 (locally
 * administered, one per AP), and `rssi` fixes the level at which the boards hear it.
 */
import { BoardRadio, type BoardRadioOptions, type BoardWifiMac } from './board-radio.ts';
import { TICKS_PER_SECOND, type NetClock } from './clock.ts';
import { ECHO_PORT, EchoService } from './ip/echo.ts';
import { createVirtualLan, type VirtualLan } from './ip/lan.ts';
import { AccessPoint } from './wifi/access-point.ts';
import { Air } from './wifi/air.ts';
import { AirCapture, type AirCaptureOptions } from './wifi/pcap.ts';
import type { CountryCode } from './wifi/regulatory.ts';
import { stationMac, VirtualClient, type WorldStation } from './virtual-client.ts';

export interface WorldAccessPoint {
  ssid: string;
  /** WPA2-PSK (8–63 characters); an open network when absent. */
  passphrase?: string;
  /** Default 6. */
  channel?: number;
  /** dBm at which boards hear this AP (and it hears them); default −50. */
  rssi?: number;
  hidden?: boolean;
}

export interface WorldEcho {
  protocol: 'tcp' | 'udp';
  port: number;
}

export interface WorldConfig {
  aps: WorldAccessPoint[];
  /**
   * Virtual stations (phones, laptops) that join an SSID — a world AP's or a board SoftAP's —,
   * take a DHCP lease and ping or fetch pages on request (src/net/virtual-client.ts).
   */
  stations?: WorldStation[];
  /** Echo services besides the standard one on port 7 (TCP and UDP), on every LAN's .1 host. */
  echo?: WorldEcho[];
  /** The MQTT 3.1.1 broker on port 1883 of every .1 host (default on). */
  mqtt?: boolean;
  /**
   * TLS on every .1 host (default on): HTTPS on 443 serving the HTTP files and a TLS echo on 4433,
   * with the fixed self-signed test certificate (src/net/ip/tls-server.ts).
   */
  tls?: boolean;
  /** Files the .1 host serves over HTTP on port 80, by path ("/index.html"). */
  httpFiles?: Record<string, Uint8Array | string>;
  country?: CountryCode;
  /** The wall time simulated t = 0 stands for (SNTP, HTTP Date). */
  epochUnixMs?: number;
  leaseSeconds?: number;
  seed?: number;
}

export interface WorldAp {
  config: WorldAccessPoint;
  ap: AccessPoint;
  lan: VirtualLan;
  on: boolean;
}

export const DEFAULT_AP_CHANNEL = 6;
export const DEFAULT_AP_RSSI = -50;

/** The BSSID of access point `index`: 02:82:66:0n:00:00. */
export function worldBssid(index: number): Uint8Array {
  return Uint8Array.of(0x02, 0x82, 0x66, index & 0xff, 0x00, 0x00);
}

export class NetworkWorld {
  readonly air: Air;
  readonly aps: WorldAp[] = [];
  /** The boards' radios, in the order they joined. */
  readonly boardRadios: BoardRadio[] = [];
  /** The virtual stations, in the order of `config.stations`. */
  readonly stations: VirtualClient[] = [];
  private capture: AirCapture | null = null;

  constructor(
    readonly clock: NetClock,
    readonly config: WorldConfig,
  ) {
    this.air = new Air(clock, { country: config.country, seed: config.seed ?? 1 });
    config.aps.forEach((c, index) => {
      const lan = createVirtualLan(clock, index, {
        epochUnixMs: config.epochUnixMs,
        leaseSeconds: config.leaseSeconds,
      });
      for (const e of config.echo ?? [])
        if (e.port !== ECHO_PORT) new EchoService(lan.host, e.port, { [e.protocol]: true });
      if (config.mqtt === false) lan.mqtt.stop();
      if (config.tls === false) {
        lan.https.stop();
        lan.tlsEcho.stop();
      }
      for (const [path, body] of Object.entries(config.httpFiles ?? {}))
        lan.http.addFile(path, body);
      const ap = new AccessPoint(this.air, {
        ssid: c.ssid,
        bssid: worldBssid(index),
        channel: c.channel ?? DEFAULT_AP_CHANNEL,
        passphrase: c.passphrase,
        hidden: c.hidden,
        lan: lan.segment,
      });
      this.aps.push({ config: c, ap, lan, on: true });
    });
    (config.stations ?? []).forEach((s, index) => {
      const client = new VirtualClient(clock, this.air, s, stationMac(index));
      for (const a of this.aps)
        this.air.setLink(a.ap.mac.radio, client.radio, { rssi: s.rssi ?? DEFAULT_AP_RSSI });
      this.stations.push(client);
      client.start();
    });
  }

  /** Puts a board's Wi-Fi MAC on the air; every AP is heard at its configured RSSI. */
  attachBoard(mac: BoardWifiMac, options: BoardRadioOptions = {}): BoardRadio {
    const board = new BoardRadio(this.air, mac, options);
    for (const a of this.aps)
      this.air.setLink(a.ap.mac.radio, board.radio, { rssi: a.config.rssi ?? DEFAULT_AP_RSSI });
    for (const s of this.stations)
      this.air.setLink(s.radio, board.radio, { rssi: s.config.rssi ?? DEFAULT_AP_RSSI });
    this.boardRadios.push(board);
    return board;
  }

  /**
   * Switches access point `index` off. `graceful`: it deauthenticates its stations first
   * (reason 3, "leaving"), as hostapd does on shutdown; otherwise it just falls silent, like a
   * power cut, and the stations notice the missing beacons.
   */
  switchOff(index: number, graceful = false): void {
    const a = this.aps[index];
    if (!a?.on) return;
    a.on = false;
    a.ap.shutdown(graceful);
    if (graceful) {
      // The deauthentication frames are still queued: leave the air once they are out.
      const leave = this.clock.createAlarm(() => a.ap.mac.detach(), 'ap switched off');
      leave.scheduleIn(TICKS_PER_SECOND / 10);
    } else a.ap.mac.detach();
  }

  /** Starts recording every frame on the air (radiotap pcap); `stopCapture` returns the file. */
  startCapture(options: AirCaptureOptions = {}): void {
    this.capture ??= new AirCapture(this.air, options);
  }

  /** The capture in progress, if any (its packet count, whether it hit its limit). */
  get activeCapture(): AirCapture | null {
    return this.capture;
  }

  stopCapture(): Uint8Array | null {
    const c = this.capture;
    this.capture = null;
    return c ? c.stop() : null;
  }

  /** The capture so far, without stopping it. */
  captureBytes(): Uint8Array | null {
    return this.capture ? this.capture.pcap.bytes() : null;
  }

  /** One line per AP for logs: "AP 0 home ch 6 wpa2 -50 dBm 192.168.10.0/24 …". */
  describe(): string[] {
    return this.aps.map(
      (a, i) =>
        `AP ${i} "${a.config.ssid}" ch ${a.ap.config.channel} ${a.config.passphrase ? 'wpa2' : 'open'} ` +
        `${a.config.rssi ?? DEFAULT_AP_RSSI} dBm, LAN ${formatNet(a.lan.layout.network)}/24 gateway ${formatNet(a.lan.layout.gateway)}`,
    );
  }

  stop(): void {
    for (const s of this.stations) s.stop();
    for (const b of this.boardRadios.splice(0)) b.detach();
    for (let i = 0; i < this.aps.length; i++) this.switchOff(i);
    for (const a of this.aps) a.lan.stop();
  }
}

/**
 * A world on a board's clock with the board's Wi-Fi MAC in its air: what `v8266 run --ap` and the
 * page's worker both build (src/cli/net/board-network.ts, src/worker/board-network.ts).
 */
export function worldForBoard(
  wifi: { clock: NetClock; mac: BoardWifiMac },
  config: WorldConfig,
): NetworkWorld {
  const world = new NetworkWorld(wifi.clock, config);
  world.attachBoard(wifi.mac);
  return world;
}

function formatNet(ip: number): string {
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}
