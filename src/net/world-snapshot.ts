/**
 * The virtual network's part of a snapshot: its configuration, under its own version number, so
 * that a resumed board comes back into the same network (same APs, SSIDs, passphrases, channels,
 * levels, virtual stations, services and files) without the options being given again.
 *
 *   host.network = saveWorldConfig(world.config);      // when the snapshot is written
 *   const config = readWorldConfig(host.child('network'));   // when it is resumed
 *
 * What is not carried is the network's running state: the APs' station tables and keys, frames
 * on the air, DHCP leases, ARP caches, TCP connections, the broker's sessions and the virtual
 * stations' progress. The world is built afresh at the resume time, like an AP and LAN that
 * rebooted while the board slept: a board that was associated hears the same BSSID beaconing,
 * and its next data frame gets a deauthentication (reason 6, class 2 frame from a station the
 * AP does not know), after which its firmware joins again as it would on a real network
 * (test/realfw/snapshot.test.ts shows it with Espressif's AT firmware). docs/cli.md says so.
 */
import {
  SnapshotError,
  type SavedState,
  type SavedValue,
  type StateReader,
} from '../board/snapshot/state.ts';
import type { CountryCode } from './wifi/regulatory.ts';
import type { WorldAccessPoint, WorldConfig, WorldEcho } from './world.ts';
import type { WorldStation } from './virtual-client.ts';

/** Bump when a field changes meaning; readWorldConfig refuses other versions by name. */
export const WORLD_SNAPSHOT_VERSION = 1;

const COUNTRIES: readonly CountryCode[] = ['CN', 'JP', 'US', 'EU'];

/** Only the fields that are set: a saved tree has no `undefined`. */
function defined(fields: Record<string, SavedValue | undefined>): SavedState {
  const out: Record<string, SavedValue> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
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
  if (version !== WORLD_SNAPSHOT_VERSION)
    throw new SnapshotError(
      `the snapshot's network is in format ${version}; this v8266 reads format ${WORLD_SNAPSHOT_VERSION}`,
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
