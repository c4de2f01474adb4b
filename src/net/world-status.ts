/**
 * What a network panel shows about a `NetworkWorld` at one instant, as plain data (it crosses
 * from the worker to the page): each access point with its settings, LAN and stations (state,
 * AID, RSSI, DHCP lease), and each board radio with the MAC it uses, its mode and channel, the AP
 * it is associated with and its lease, each virtual station with its phase, address and log, and
 * each LAN's debugging tool with its sessions and latest lines.
 */
import { TICKS_PER_SECOND } from './clock.ts';
import { formatIpv4, formatMac } from './ip/bytes.ts';
import type { DhcpLease } from './ip/dhcp-server.ts';
import type { NetDebugTool, ToolLine, ToolSession } from './ip/debug-tool.ts';
import type { ClientPhase, VirtualClient } from './virtual-client.ts';
import { DEFAULT_AP_RSSI, type NetworkWorld, type WorldAp } from './world.ts';

export interface LeaseStatus {
  ip: string;
  hostname: string | null;
  /** Seconds of simulated time left. */
  expiresIn: number;
}

export interface StationStatus {
  mac: string;
  state: 'authenticated' | 'associated' | 'authorized';
  aid: number;
  /** RSSI of the last frame the AP heard from it. */
  rssi: number;
  lease: LeaseStatus | null;
}

export interface AccessPointStatus {
  index: number;
  ssid: string;
  bssid: string;
  channel: number;
  security: 'open' | 'wpa2';
  hidden: boolean;
  /** The level at which boards hear it. */
  rssi: number;
  on: boolean;
  /** "192.168.10.0/24" */
  lan: string;
  gateway: string;
  stations: StationStatus[];
}

export interface BoardRadioStatus {
  /** The address the board sends from as a station (null until it sent a station's frame). */
  stationMac: string | null;
  /** …and as a SoftAP (beacons, probe responses). */
  apMac: string | null;
  mode: 'idle' | 'station' | 'softap' | 'station+softap';
  channel: number;
  /** The AP the station is associated with (any state past open authentication). */
  association: {
    ssid: string;
    bssid: string;
    state: StationStatus['state'];
    aid: number;
    /** The level at which the board hears that AP. */
    rssi: number;
    lease: LeaseStatus | null;
  } | null;
  frames: { sent: number; received: number; ackTimeouts: number };
}

/** A virtual station (src/net/virtual-client.ts) as the panel shows it. */
export interface VirtualStationStatus {
  index: number;
  name: string;
  ssid: string;
  security: 'open' | 'wpa2';
  mac: string;
  phase: ClientPhase;
  /** The AP or board SoftAP it is associated with. */
  bssid: string | null;
  ip: string | null;
  gateway: string | null;
  /** Its last lines (join, lease, ping, GET), oldest first. */
  log: string[];
}

/** The network debugging tool on one LAN's .1 host (src/net/ip/debug-tool.ts). */
export interface DebugToolStatus {
  /** The .1 host's address. */
  host: string;
  sessions: ToolSession[];
  /** The latest TOOL_STATUS_LINES lines of its log. */
  lines: ToolLine[];
  /** Lines it has printed in all: a console knows from it whether anything is new. */
  total: number;
}

export interface NetworkStatus {
  /** Simulated seconds. */
  seconds: number;
  aps: AccessPointStatus[];
  boards: BoardRadioStatus[];
  stations: VirtualStationStatus[];
  /** One per AP, in the same order: the debugging tool on its LAN. */
  tools: DebugToolStatus[];
}

/** How many of each tool's lines the status carries. */
export const TOOL_STATUS_LINES = 200;

function toolStatus(tool: NetDebugTool, host: string): DebugToolStatus {
  return {
    host,
    sessions: tool.sessions(),
    lines: tool.log.slice(-TOOL_STATUS_LINES),
    total: tool.dropped + tool.log.length,
  };
}

/** How many log lines of each station the status carries. */
export const STATION_STATUS_LOG_LINES = 8;

function stationStatus(c: VirtualClient, index: number): VirtualStationStatus {
  return {
    index,
    name: c.config.name,
    ssid: c.config.ssid,
    security: c.config.passphrase ? 'wpa2' : 'open',
    mac: formatMac(c.mac),
    phase: c.phase,
    bssid: c.bssid ? formatMac(c.bssid) : null,
    ip: c.ip ? formatIpv4(c.ip) : null,
    gateway: c.gateway ? formatIpv4(c.gateway) : null,
    log: c.log.slice(-STATION_STATUS_LOG_LINES),
  };
}

function leaseFor(a: WorldAp, mac: string, now: number): LeaseStatus | null {
  const lease = a.lan.dhcp.leases.find((l: DhcpLease) => formatMac(l.mac) === mac);
  if (!lease) return null;
  return {
    ip: formatIpv4(lease.ip),
    hostname: lease.hostname ?? null,
    expiresIn: Math.max(0, Math.round((lease.expires - now) / TICKS_PER_SECOND)),
  };
}

function apStatus(a: WorldAp, index: number, now: number): AccessPointStatus {
  return {
    index,
    ssid: a.config.ssid,
    bssid: formatMac(a.ap.bssid),
    channel: a.ap.config.channel,
    security: a.config.passphrase ? 'wpa2' : 'open',
    hidden: a.config.hidden ?? false,
    rssi: a.config.rssi ?? DEFAULT_AP_RSSI,
    on: a.on,
    lan: `${formatIpv4(a.lan.layout.network)}/${a.lan.layout.prefixLength}`,
    gateway: formatIpv4(a.lan.layout.gateway),
    stations: [...a.ap.stations.values()].map((s) => {
      const mac = formatMac(s.mac);
      return { mac, state: s.state, aid: s.aid, rssi: s.rssi, lease: leaseFor(a, mac, now) };
    }),
  };
}

/** How long a station that is not associated still counts as one after its last frame. */
const ROLE_TICKS = 10 * TICKS_PER_SECOND;

export function networkStatus(world: NetworkWorld): NetworkStatus {
  const now = world.clock.now;
  const aps = world.aps.map((a, i) => apStatus(a, i, now));
  const boards = world.boardRadios.map((b): BoardRadioStatus => {
    const stationMac = b.seen.stationMac ? formatMac(b.seen.stationMac) : null;
    const apMac = b.seen.apMac ? formatMac(b.seen.apMac) : null;
    let association: BoardRadioStatus['association'] = null;
    for (const ap of aps) {
      const s = ap.stations.find((x) => x.mac === stationMac);
      if (ap.on && s) {
        association = {
          ssid: ap.ssid,
          bssid: ap.bssid,
          state: s.state,
          aid: s.aid,
          rssi: ap.rssi,
          lease: s.lease,
        };
        break;
      }
    }
    // A SoftAP beacons ten times a second: one silent for a second is off. A station may stay
    // quiet for long while associated, so it counts while associated or recently heard.
    const softap = b.seen.apAt >= 0 && now - b.seen.apAt < TICKS_PER_SECOND;
    const station =
      association !== null || (b.seen.stationAt >= 0 && now - b.seen.stationAt < ROLE_TICKS);
    const mode =
      station && softap ? 'station+softap' : station ? 'station' : softap ? 'softap' : 'idle';
    return {
      stationMac,
      apMac,
      mode,
      channel: b.radio.channel,
      association,
      frames: { sent: b.stats.sent, received: b.stats.received, ackTimeouts: b.stats.ackTimeouts },
    };
  });
  const stations = world.stations.map(stationStatus);
  const tools = world.aps.map((a) => toolStatus(a.lan.tool, formatIpv4(a.lan.layout.gateway)));
  return { seconds: now / TICKS_PER_SECOND, aps, boards, stations, tools };
}
