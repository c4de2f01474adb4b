/**
 * The board document's `network` section: the virtual access points the board can see and the
 * services on their LANs, as the network panel edits them and the share link carries them. It
 * maps one to one onto the `WorldConfig` the worker builds a `NetworkWorld` from (src/net/world.ts),
 * the same thing `v8266 run --ap … --echo … --mqtt` builds in the CLI.
 *
 * Pure: validation (the judge), the JSON schema for monaco, the default, the conversion.
 */
import type { WorldConfig } from '../../net/world.ts';

export interface AccessPointDoc {
  ssid: string;
  /** WPA2-PSK, 8–63 printable ASCII characters; an open network when absent. */
  passphrase?: string;
  /** 1–13 (default 6). */
  channel?: number;
  /** The level at which the board hears the AP, −100…0 dBm (default −50). */
  rssi?: number;
  hidden?: boolean;
}

export interface EchoDoc {
  protocol: 'tcp' | 'udp';
  port: number;
}

/** A virtual station (phone, laptop) that joins an SSID: a board's SoftAP or one of `aps`. */
export interface StationDoc {
  /** Its DHCP host name: letters, digits and '-'. */
  name: string;
  ssid: string;
  /** WPA2-PSK passphrase; open when absent. */
  passphrase?: string;
  /** The level at which it hears the board and the APs, −100…0 dBm (default −50). */
  rssi?: number;
}

export interface NetworkDoc {
  aps: AccessPointDoc[];
  /** Virtual stations; none when absent. */
  stations?: StationDoc[];
  /** Echo services on every LAN's .1 host, besides TCP/UDP 7. */
  echo?: EchoDoc[];
  /** Text files the .1 hosts serve over HTTP on port 80, by path ("/index.html"). */
  http?: Record<string, string>;
  /** The MQTT 3.1.1 broker on port 1883 of every .1 host (default on). */
  mqtt?: boolean;
  /** HTTPS on 443 (the HTTP files) and TLS echo on 4433 of every .1 host, self-signed (default on). */
  tls?: boolean;
  /** A relay (`v8266 relay`, or any v86-style one) the first AP's LAN is linked to: ws:// or wss://. */
  relay?: string;
}

export const MAX_ACCESS_POINTS = 8;
export const MAX_STATIONS = 8;
export const MAX_CHANNEL = 13;
/** The HTTP files together: they travel in the share link. */
export const MAX_HTTP_BYTES = 64 * 1024;

/** What a newcomer's board sees: an open network to join and a WPA2 one with a passphrase. */
export function defaultNetwork(): NetworkDoc {
  return {
    aps: [
      { ssid: 'v8266-open', channel: 1, rssi: -45 },
      { ssid: 'v8266-home', passphrase: 'esp8266rocks', channel: 6, rssi: -60 },
    ],
  };
}

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const AP_KEYS = new Set(['ssid', 'passphrase', 'channel', 'rssi', 'hidden']);
const PASSPHRASE_RE = /^[\x20-\x7e]{8,63}$/;

/** One access point's problems (the panel's form shows them too); [] when it is valid. */
export function accessPointProblems(ap: Json): string[] {
  const out: string[] = [];
  if (!isObject(ap)) return ['an object like { "ssid": "home" }'];
  for (const key of Object.keys(ap)) if (!AP_KEYS.has(key)) out.push(`${key}: unknown property`);
  const ssidBytes = typeof ap.ssid === 'string' ? new TextEncoder().encode(ap.ssid).length : 0;
  if (ssidBytes < 1 || ssidBytes > 32) out.push('ssid: 1-32 bytes of text');
  if (
    ap.passphrase !== undefined &&
    (typeof ap.passphrase !== 'string' || !PASSPHRASE_RE.test(ap.passphrase))
  )
    out.push('passphrase: 8-63 printable ASCII characters (leave it out for an open network)');
  if (
    ap.channel !== undefined &&
    !(
      Number.isInteger(ap.channel) &&
      (ap.channel as number) >= 1 &&
      (ap.channel as number) <= MAX_CHANNEL
    )
  )
    out.push(`channel: 1-${MAX_CHANNEL}`);
  if (ap.rssi !== undefined && !(typeof ap.rssi === 'number' && ap.rssi >= -100 && ap.rssi <= 0))
    out.push('rssi: -100..0 dBm');
  if (ap.hidden !== undefined && typeof ap.hidden !== 'boolean') out.push('hidden: true or false');
  return out;
}

const STATION_KEYS = new Set(['name', 'ssid', 'passphrase', 'rssi']);
const HOSTNAME_RE = /^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

/** One virtual station's problems (the panel's form shows them too); [] when it is valid. */
export function stationProblems(sta: Json): string[] {
  if (!isObject(sta)) return ['an object like { "name": "phone", "ssid": "ESP_123456" }'];
  const out: string[] = [];
  for (const key of Object.keys(sta))
    if (!STATION_KEYS.has(key)) out.push(`${key}: unknown property`);
  if (typeof sta.name !== 'string' || !HOSTNAME_RE.test(sta.name))
    out.push("name: a host name of 1-32 letters, digits and '-'");
  // The SSID and passphrase follow the access point's rules.
  const { ssid, passphrase, rssi } = sta;
  out.push(
    ...accessPointProblems({ ssid, passphrase, rssi }).filter((p) => !p.includes('unknown')),
  );
  return out;
}

/** Check the section, pushing problems as `network.…`; null when it is unusable. */
export function validateNetwork(value: Json, problems: string[]): NetworkDoc | null {
  const at = (msg: string) => problems.push(`network.${msg}`);
  if (!isObject(value)) {
    problems.push('network: an object like { "aps": [{ "ssid": "home" }] }');
    return null;
  }
  const before = problems.length;
  for (const key of Object.keys(value))
    if (!['aps', 'stations', 'echo', 'http', 'mqtt', 'tls', 'relay'].includes(key))
      at(`${key}: unknown property`);
  const aps = value.aps ?? [];
  if (!Array.isArray(aps)) at('aps: a list of access points');
  else {
    if (aps.length > MAX_ACCESS_POINTS) at(`aps: at most ${MAX_ACCESS_POINTS} access points`);
    aps.forEach((ap, i) => accessPointProblems(ap).forEach((p) => at(`aps[${i}].${p}`)));
  }
  const stations = value.stations;
  if (stations !== undefined) {
    if (!Array.isArray(stations)) at('stations: a list of virtual stations');
    else {
      if (stations.length > MAX_STATIONS) at(`stations: at most ${MAX_STATIONS} stations`);
      stations.forEach((s, i) => stationProblems(s).forEach((p) => at(`stations[${i}].${p}`)));
    }
  }
  const echo = value.echo;
  if (echo !== undefined) {
    if (!Array.isArray(echo)) at('echo: a list of { "protocol": "tcp", "port": 2323 }');
    else
      echo.forEach((e, i) => {
        if (!isObject(e) || (e.protocol !== 'tcp' && e.protocol !== 'udp'))
          at(`echo[${i}].protocol: "tcp" or "udp"`);
        else if (!Number.isInteger(e.port) || (e.port as number) < 1 || (e.port as number) > 65535)
          at(`echo[${i}].port: 1-65535`);
      });
  }
  const http = value.http;
  if (http !== undefined) {
    if (!isObject(http)) at('http: an object of "/path": "file text"');
    else {
      let bytes = 0;
      for (const [path, text] of Object.entries(http)) {
        if (!path.startsWith('/')) at(`http["${path}"]: a path starts with /`);
        if (typeof text !== 'string') at(`http["${path}"]: the file's text`);
        else bytes += text.length;
      }
      if (bytes > MAX_HTTP_BYTES) at(`http: at most ${MAX_HTTP_BYTES} characters in all`);
    }
  }
  if (value.mqtt !== undefined && typeof value.mqtt !== 'boolean') at('mqtt: true or false');
  if (value.tls !== undefined && typeof value.tls !== 'boolean') at('tls: true or false');
  if (
    value.relay !== undefined &&
    !(typeof value.relay === 'string' && RELAY_URL.test(value.relay))
  )
    at('relay: a ws:// or wss:// URL (v8266 relay: ws://127.0.0.1:8265/)');
  if (problems.length > before) return null;
  const out: NetworkDoc = { aps: (aps as AccessPointDoc[]).map((ap) => ({ ...ap })) };
  if (stations !== undefined) out.stations = (stations as StationDoc[]).map((s) => ({ ...s }));
  if (echo !== undefined)
    out.echo = (echo as EchoDoc[]).map((e) => ({ protocol: e.protocol, port: e.port }));
  if (http !== undefined) out.http = { ...(http as Record<string, string>) };
  if (value.mqtt !== undefined) out.mqtt = value.mqtt as boolean;
  if (value.tls !== undefined) out.tls = value.tls as boolean;
  if (value.relay !== undefined) out.relay = value.relay as string;
  return out;
}

/** ws:// or wss://, a host, an optional path: what the relay field and the document accept. */
export const RELAY_URL = /^wss?:\/\/[^\s/?#]+(\/[^\s]*)?$/;

/** What the worker builds the world from, and the relay it links the first LAN to. */
export function worldConfigOf(network: NetworkDoc): WorldConfig & { relay?: string } {
  return {
    ...(network.relay !== undefined ? { relay: network.relay } : {}),
    aps: network.aps.map((ap) => ({ ...ap })),
    stations: network.stations?.map((s) => ({ ...s })),
    echo: network.echo?.map((e) => ({ ...e })),
    mqtt: network.mqtt ?? true,
    tls: network.tls ?? true,
    httpFiles: network.http ? { ...network.http } : undefined,
  };
}

/** The section's JSON schema (monaco's completion and squiggles; `validateNetwork` judges). */
export function networkSchema(): object {
  return {
    type: 'object',
    description: 'The virtual Wi-Fi networks the board can see (the network panel edits them)',
    additionalProperties: false,
    properties: {
      aps: {
        type: 'array',
        maxItems: MAX_ACCESS_POINTS,
        description:
          'Access point n bridges to the LAN 192.168.(10+n).0/24; its .1 is the gateway, DHCP, DNS and the services',
        items: {
          type: 'object',
          required: ['ssid'],
          additionalProperties: false,
          properties: {
            ssid: { type: 'string', minLength: 1, maxLength: 32, description: 'Network name' },
            passphrase: {
              type: 'string',
              pattern: PASSPHRASE_RE.source,
              description:
                'WPA2-PSK passphrase (8-63 characters); leave it out for an open network',
            },
            channel: {
              type: 'integer',
              minimum: 1,
              maximum: MAX_CHANNEL,
              description: 'Channel (default 6)',
            },
            rssi: {
              type: 'number',
              minimum: -100,
              maximum: 0,
              description: 'Level the board hears it at, dBm (default -50)',
            },
            hidden: {
              type: 'boolean',
              description: 'Beacons carry no SSID; only directed probes find it',
            },
          },
          defaultSnippets: [
            { label: 'Open AP', body: { ssid: '${1:cafe}', channel: 1 } },
            {
              label: 'WPA2 AP',
              body: { ssid: '${1:home}', passphrase: '${2:secret123}', channel: 6 },
            },
          ],
        },
      },
      stations: {
        type: 'array',
        maxItems: MAX_STATIONS,
        description:
          "Virtual stations (phones, laptops) that join an SSID - the board's SoftAP or an AP above -, take a DHCP lease and ping or fetch pages from the network panel",
        items: {
          type: 'object',
          required: ['name', 'ssid'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', pattern: HOSTNAME_RE.source, description: 'DHCP host name' },
            ssid: { type: 'string', minLength: 1, maxLength: 32, description: 'Network to join' },
            passphrase: {
              type: 'string',
              pattern: PASSPHRASE_RE.source,
              description: 'WPA2-PSK passphrase; leave it out for an open network',
            },
            rssi: {
              type: 'number',
              minimum: -100,
              maximum: 0,
              description: 'Level the board hears it at, dBm (default -50)',
            },
          },
          defaultSnippets: [
            { label: 'Phone on the SoftAP', body: { name: '${1:phone}', ssid: '${2:ESP_123456}' } },
          ],
        },
      },
      echo: {
        type: 'array',
        description: 'Echo services on every .1 host, besides TCP and UDP port 7',
        items: {
          type: 'object',
          required: ['protocol', 'port'],
          properties: {
            protocol: { enum: ['tcp', 'udp'] },
            port: { type: 'integer', minimum: 1, maximum: 65535 },
          },
        },
      },
      http: {
        type: 'object',
        description: 'Text files the .1 hosts serve on port 80, by path',
        additionalProperties: { type: 'string' },
      },
      mqtt: { type: 'boolean', description: 'MQTT 3.1.1 broker on port 1883 (default true)' },
      tls: {
        type: 'boolean',
        description: 'HTTPS on 443 (the http files) and TLS echo on 4433, self-signed test certificate (default true)',
      },
      relay: {
        type: 'string',
        pattern: '^wss?://',
        description:
          "Link the first AP's LAN to a relay in v86's framing: `npx v8266 relay` listens on ws://127.0.0.1:8265/",
      },
    },
  };
}
