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
import type { DebugToolSpec } from './ip/debug-tool.ts';
import { BoardMacTap } from './replay/board-mac-tap.ts';
import { replayHistory, type SavedHistory } from './replay/replay.ts';
import { WorldClock } from './replay/world-clock.ts';
import { WorldHistory, type WorldInput } from './replay/world-history.ts';

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
  /**
   * What reached this world from outside since it was built (replay/world-history.ts), when it
   * runs on a WorldClock (`worldForBoard`); null for a world built directly (tests, tools).
   */
  history: WorldHistory | null = null;
  /** Board tick the world was built at (its history starts there). */
  readonly createdAt: number;

  constructor(
    readonly clock: NetClock,
    readonly config: WorldConfig,
  ) {
    this.createdAt = clock.now;
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

  // What the page and the CLI ask of the world goes through these methods, so that the world's
  // history (replay/world-history.ts) has it and a resumed world replays it (`apply`).

  /** Virtual station `index` pings its gateway. */
  stationPing(index: number): void {
    this.record({ op: 'stationPing', station: index });
    this.stations[index]?.ping();
  }

  /** Virtual station `index` fetches `path` from its gateway's port 80. */
  stationGet(index: number, path: string): void {
    this.record({ op: 'stationGet', station: index, path });
    this.stations[index]?.httpGet(path);
  }

  /** Opens a debugging-tool session on LAN `lan` (null: no such LAN). */
  toolOpen(lan: number, spec: DebugToolSpec): number | null {
    this.record({ op: 'toolOpen', lan, spec });
    return this.aps[lan]?.lan.tool.open(spec) ?? null;
  }

  toolSend(lan: number, session: number, data: string | Uint8Array): boolean {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    this.record({ op: 'toolSend', lan, session, data: bytes });
    return this.aps[lan]?.lan.tool.send(session, bytes) ?? false;
  }

  toolClose(lan: number, session: number): void {
    this.record({ op: 'toolClose', lan, session });
    this.aps[lan]?.lan.tool.close(session);
  }

  /** Serves `data` at `path` on every .1 host from now on (null: no longer). */
  serveFile(path: string, data: Uint8Array | null): void {
    this.record({ op: 'serveFile', path, data });
    for (const a of this.aps) {
      if (data) a.lan.http.addFile(path, data);
      else a.lan.http.files.delete(path);
    }
  }

  /** Switches access point `index` off (see `switchOff`), as an input of the history. */
  powerOff(index: number, graceful = false): void {
    this.record({ op: 'switchOff', ap: index, graceful });
    this.switchOff(index, graceful);
  }

  private record(input: WorldInput): void {
    if (this.history && this.clock instanceof WorldClock)
      this.history.input(this.clock.now, this.clock.fired, input);
  }

  /** @internal the replay's way in: does what the input did (the history is not recording). */
  apply(input: WorldInput): void {
    switch (input.op) {
      case 'stationPing':
        return this.stationPing(input.station);
      case 'stationGet':
        return this.stationGet(input.station, input.path);
      case 'toolOpen':
        this.toolOpen(input.lan, input.spec as DebugToolSpec);
        return;
      case 'toolSend':
        this.toolSend(input.lan, input.session, input.data);
        return;
      case 'toolClose':
        return this.toolClose(input.lan, input.session);
      case 'serveFile':
        return this.serveFile(input.path, input.data);
      case 'switchOff':
        return this.powerOff(input.ap, input.graceful);
    }
  }

  /** Something reached the world that its history cannot carry (a relay, a TAP, the page's bridge). */
  notReplayable(reason: string): void {
    this.history?.giveUp(reason);
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
  resume: SavedHistory | null = null,
): NetworkWorld {
  if (resume) return replayHistory(wifi, config, resume);
  const clock = WorldClock.live(wifi.clock);
  const world = new NetworkWorld(clock, config);
  const history = new WorldHistory();
  clock.onLate = (fired, ticks) => history.late(fired, ticks);
  world.history = history;
  world.attachBoard(new BoardMacTap(clock, history, wifi.mac, wifi.mac.channel));
  return world;
}

function formatNet(ip: number): string {
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}
