/**
 * A phone or laptop in the virtual air: a Wi-Fi station that joins an access point by SSID —
 * typically the board's own SoftAP — takes a DHCP lease on it and then answers ping and ARP like
 * any host. It tries again a few seconds after a failed attempt or after the AP drops it, as a
 * device that remembers the network does, so it does not matter whether the firmware starts its
 * SoftAP before or after the client appears.
 *
 *   const client = new WifiClient(world.air, clock, { ssid: 'DEMO_AP', passphrase: '12345678' }, 0);
 *   client.onEvent = (line) => console.log(line);   // "joined …", "got 192.168.4.2 …"
 */
import { TICKS_PER_SECOND, type Alarm, type NetClock } from './clock.ts';
import type { EthernetSegment } from './ethernet.ts';
import { DhcpClient } from './ip/dhcp-client.ts';
import { IpHost } from './ip/host.ts';
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

  private readonly retry: Alarm;
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
      this.host.configure({ ip: 0, netmask: 0 });
      this.event(`dropped by the AP (reason ${reason})`);
      this.scheduleJoin();
    };
    this.retry = clock.createAlarm(() => this.join(), `client ${index} join`);
    this.retry.scheduleIn(1);
  }

  get mac(): MacAddress {
    return this.station.config.mac;
  }

  stop(): void {
    this.state = 'stopped';
    this.retry.cancel();
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
        if (result.reason !== this.lastFailure) this.event(`cannot join "${ssid}": ${result.reason}`);
        this.lastFailure = result.reason;
        this.scheduleJoin();
        return;
      }
      this.lastFailure = '';
      this.state = 'associated';
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
