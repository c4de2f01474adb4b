/**
 * The virtual network's part of a snapshot, under its own version number: its configuration (the
 * APs, SSIDs, passphrases, channels, levels, virtual stations, services and files), so that a
 * resumed board comes back into the same network without the options being given again, and its
 * running state as the world's history (replay/world-history.ts): what reached the world from
 * the board and from the page or CLI since it was built. Resuming replays that history into a
 * world built afresh (replay/replay.ts), which then stands exactly where the saved one stood —
 * station tables, keys and packet numbers, frames in flight, DHCP leases, ARP caches, TCP
 * connections, the broker's sessions, the virtual stations' progress — so a resumed run goes on
 * byte for byte as the straight one would.
 *
 *   host.network = saveWorld(world);                            // when the snapshot is written
 *   const { config, history } = readWorld(host.child('network')); // when it is resumed
 *   worldForBoard(board.wifi, config, history);
 *
 * A world whose history cannot be replayed (a relay or a TAP brought frames from a real network,
 * the page's web bridge talked to it) is saved with the reason instead, and resumes from its
 * configuration only, like an AP and LAN that rebooted while the board slept: the board hears the
 * same BSSID beaconing, its next data frame gets a deauthentication (reason 6) and its firmware
 * joins again, as on a real network. Format 1 (configuration only) still loads that way.
 */
import {
  SnapshotError,
  type SavedState,
  type SavedValue,
  type StateReader,
} from '../board/snapshot/state.ts';
import { saveHistory, type SavedHistory } from './replay/replay.ts';
import type { CountryCode } from './wifi/regulatory.ts';
import type { NetworkWorld, WorldAccessPoint, WorldConfig, WorldEcho } from './world.ts';
import type { WorldStation } from './virtual-client.ts';

/** Bump when a field changes meaning; readWorldConfig refuses other versions by name. */
export const WORLD_SNAPSHOT_VERSION = 2;
/** Versions this code reads (1: the configuration only). */
const READABLE_VERSIONS = [1, 2];

const COUNTRIES: readonly CountryCode[] = ['CN', 'JP', 'US', 'EU'];

/** Only the fields that are set: a saved tree has no `undefined`. */
function defined(fields: Record<string, SavedValue | undefined>): SavedState {
  const out: Record<string, SavedValue> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
}

/** The world's configuration and history (or why it has none). */
export function saveWorld(world: NetworkWorld): SavedState {
  const h = saveHistory(world);
  return {
    ...saveWorldConfig(world.config),
    history:
      'unreplayable' in h
        ? { unreplayable: h.unreplayable }
        : { createdAt: h.createdAt, channel: h.channel, at: h.at, fired: h.fired, log: h.log },
  };
}

export interface SavedWorld {
  config: WorldConfig;
  /** Null: resume from the configuration (format 1, or a history that could not be kept). */
  history: SavedHistory | null;
  /** Why there is no history, for the resume's message. */
  noHistory: string | null;
}

/** A saved network (throws SnapshotError naming the field it cannot read). */
export function readWorld(s: StateReader): SavedWorld {
  const config = readWorldConfig(s);
  if (!s.has('history'))
    return { config, history: null, noHistory: 'the snapshot has only its configuration' };
  const h = s.child('history');
  if (h.has('unreplayable')) return { config, history: null, noHistory: h.string('unreplayable') };
  return {
    config,
    history: {
      createdAt: h.number('createdAt'),
      channel: h.int('channel'),
      at: h.number('at'),
      fired: h.int('fired'),
      log: h.bytes('log'),
    },
    noHistory: null,
  };
}

export function saveWorldConfig(config: WorldConfig): SavedState {
  return defined({
    version: WORLD_SNAPSHOT_VERSION,
    aps: config.aps.map((a) =>
      defined({
        ssid: a.ssid,
        passphrase: a.passphrase,
        channel: a.channel,
        rssi: a.rssi,
        hidden: a.hidden,
      }),
    ),
    stations: (config.stations ?? []).map((s) =>
      defined({ name: s.name, ssid: s.ssid, passphrase: s.passphrase, rssi: s.rssi }),
    ),
    echo: (config.echo ?? []).map((e) => ({ protocol: e.protocol, port: e.port })),
    mqtt: config.mqtt,
    tls: config.tls,
    httpFiles:
      config.httpFiles &&
      Object.fromEntries(
        Object.entries(config.httpFiles).map(([path, body]) => [
          path,
          typeof body === 'string' ? new TextEncoder().encode(body) : body.slice(),
        ]),
      ),
    country: config.country,
    epochUnixMs: config.epochUnixMs,
    leaseSeconds: config.leaseSeconds,
    seed: config.seed,
  });
}

const optional = <T>(s: StateReader, key: string, read: (key: string) => T): T | undefined =>
  s.has(key) ? read(key) : undefined;

function readAp(s: StateReader): WorldAccessPoint {
  return {
    ssid: s.string('ssid'),
    passphrase: optional(s, 'passphrase', (k) => s.string(k)),
    channel: optional(s, 'channel', (k) => s.int(k)),
    rssi: optional(s, 'rssi', (k) => s.number(k)),
    hidden: optional(s, 'hidden', (k) => s.boolean(k)),
  };
}

function readStation(s: StateReader): WorldStation {
  return {
    name: s.string('name'),
    ssid: s.string('ssid'),
    passphrase: optional(s, 'passphrase', (k) => s.string(k)),
    rssi: optional(s, 'rssi', (k) => s.number(k)),
  };
}

function readEcho(s: StateReader): WorldEcho {
  const protocol = s.string('protocol');
  if (protocol !== 'tcp' && protocol !== 'udp')
    throw new SnapshotError(`snapshot field ${s.path}.protocol: expected tcp or udp`);
  return { protocol, port: s.int('port') };
}

/** The configuration a snapshot saved (throws SnapshotError naming the field it cannot read). */
export function readWorldConfig(s: StateReader): WorldConfig {
  const version = s.int('version');
  if (!READABLE_VERSIONS.includes(version))
    throw new SnapshotError(
      `the snapshot's network is in format ${version}; this v8266 reads formats ${READABLE_VERSIONS.join(' and ')}`,
    );
  const country = optional(s, 'country', (k) => s.string(k));
  if (country !== undefined && !COUNTRIES.includes(country as CountryCode))
    throw new SnapshotError(`snapshot field ${s.path}.country: unknown country ${country}`);
  let httpFiles: Record<string, Uint8Array> | undefined;
  if (s.has('httpFiles')) {
    const files = s.child('httpFiles');
    httpFiles = {};
    for (const path of files.keys()) httpFiles[path] = files.bytes(path);
  }
  return {
    aps: s.children('aps').map(readAp),
    stations: s.children('stations').map(readStation),
    echo: s.children('echo').map(readEcho),
    mqtt: optional(s, 'mqtt', (k) => s.boolean(k)),
    tls: optional(s, 'tls', (k) => s.boolean(k)),
    httpFiles,
    country: country as CountryCode | undefined,
    epochUnixMs: optional(s, 'epochUnixMs', (k) => s.number(k)),
    leaseSeconds: optional(s, 'leaseSeconds', (k) => s.number(k)),
    seed: optional(s, 'seed', (k) => s.int(k)),
  };
}
