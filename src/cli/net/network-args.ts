/**
 * The virtual-network options `v8266 run` and `v8266 serve` share (docs/cli.md, "Virtual
 * network"): access points, services on their LANs, a capture of the air, a TAP bridge.
 * Reads no files.
 */
import type { WorldAccessPoint, WorldEcho } from '../../net/world.ts';
import { UsageError } from '../errors.ts';
import type { OptionSpec } from '../options.ts';
import { applyToolOption, TOOL_OPTIONS, type ToolStep } from './tool-args.ts';

export const NETWORK_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'ap',
    value: 'SPEC',
    repeatable: true,
    help: 'a virtual access point SSID[:PASSPHRASE][@CHANNEL][,rssi=DBM] (WPA2-PSK with a passphrase; channel 6, -50 dBm by default; repeatable; AP n bridges to 192.168.(10+n).0/24)',
  },
  {
    name: 'client',
    value: 'SSID[:PASSPHRASE]',
    repeatable: true,
    help: "a virtual station (a phone or laptop) that joins the network SSID — the board's SoftAP or an --ap — takes a DHCP lease and answers ping; it retries every 5 s until it is in (repeatable)",
  },
  {
    name: 'echo',
    value: 'PROTO:PORT',
    repeatable: true,
    help: 'an echo service (tcp:PORT or udp:PORT) on each LAN gateway .1, besides TCP/UDP 7 (repeatable)',
  },
  {
    name: 'http',
    value: 'DIR',
    help: "serve DIR's files over HTTP on port 80 of each LAN gateway .1",
  },
  { name: 'mqtt', help: 'run an MQTT 3.1.1 broker on port 1883 of each LAN gateway .1' },
  {
    name: 'tls',
    help: "run HTTPS on port 443 (the --http files) and a TLS echo on 4433 of each LAN gateway .1 (TLS 1.0, RSA with AES-CBC-SHA, v8266's self-signed test certificate)",
  },
  {
    name: 'pcap',
    value: 'FILE',
    help: 'write every frame on the air to FILE (pcap, radiotap + 802.11; tshark/Wireshark decrypt WPA2 with the passphrase)',
  },
  ...TOOL_OPTIONS,
];

export const TAP_OPTION: OptionSpec = {
  name: 'tap',
  value: 'IFNAME',
  help: "put a Linux TAP interface (created if absent; needs root and socat) on the first AP's LAN as a wired host",
};

/** A `--client`: the network it joins (it becomes one of the world's virtual stations). */
export interface ClientRequest {
  ssid: string;
  passphrase?: string;
}

export interface NetworkRequest {
  aps: WorldAccessPoint[];
  clients: ClientRequest[];
  echo: WorldEcho[];
  httpDir: string | null;
  mqtt: boolean;
  /** `--tls`: HTTPS on 443 and TLS echo on 4433. */
  tls: boolean;
  pcapPath: string | null;
  tapIfname: string | null;
  /** `--tool` and `--tool-send` in command-line order (tool-args.ts). */
  tool: ToolStep[];
}

export function emptyNetworkRequest(): NetworkRequest {
  return {
    aps: [],
    clients: [],
    echo: [],
    httpDir: null,
    mqtt: false,
    tls: false,
    pcapPath: null,
    tapIfname: null,
    tool: [],
  };
}

/** Whether any option asked for a virtual network. */
export function wantsNetwork(n: NetworkRequest): boolean {
  return n.aps.length > 0 || n.clients.length > 0;
}

/** `home:secret pass@11,rssi=-70` → an access point. */
export function parseApSpec(spec: string): WorldAccessPoint {
  let rest = spec;
  const ap: WorldAccessPoint = { ssid: '' };
  const rssi = /,rssi=(-?[0-9]+)$/.exec(rest);
  if (rssi) {
    ap.rssi = Number(rssi[1]);
    if (ap.rssi > 0 || ap.rssi < -100)
      throw new UsageError(`--ap "${spec}": rssi ${ap.rssi} is not between -100 and 0 dBm`);
    rest = rest.slice(0, rssi.index);
  }
  const channel = /@([0-9]+)$/.exec(rest);
  if (channel) {
    ap.channel = Number(channel[1]);
    if (ap.channel < 1 || ap.channel > 14)
      throw new UsageError(`--ap "${spec}": channel ${ap.channel} is not 1-14`);
    rest = rest.slice(0, channel.index);
  }
  return { ...ap, ...parseNetworkName(rest, `--ap "${spec}"`) };
}

/** `DEMO_AP:12345678` → a client that joins DEMO_AP with WPA2; `cafe` → one that joins an open network. */
export function parseClientSpec(spec: string): ClientRequest {
  return parseNetworkName(spec, `--client "${spec}"`);
}

/** `SSID[:PASSPHRASE]`: only the first colon splits, so a passphrase may hold colons and @. */
function parseNetworkName(text: string, what: string): { ssid: string; passphrase?: string } {
  const colon = text.indexOf(':');
  const name: { ssid: string; passphrase?: string } = {
    ssid: colon < 0 ? text : text.slice(0, colon),
  };
  if (colon >= 0) {
    const pass = text.slice(colon + 1);
    if (pass.length < 8 || pass.length > 63)
      throw new UsageError(`${what}: a WPA2 passphrase has 8-63 characters`);
    name.passphrase = pass;
  }
  const bytes = new TextEncoder().encode(name.ssid).length;
  if (bytes < 1 || bytes > 32) throw new UsageError(`${what}: the SSID needs 1-32 bytes`);
  return name;
}

function parseEcho(text: string): WorldEcho {
  const m = /^(tcp|udp):([0-9]+)$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port >= 1 && port <= 65535))
    throw new UsageError(`bad --echo "${text}" (tcp:PORT or udp:PORT)`);
  return { protocol: m[1] as 'tcp' | 'udp', port };
}

/** Applies one network option to `into`; false when `name` is not one of them. */
export function applyNetworkOption(into: NetworkRequest, name: string, text: string): boolean {
  if (applyToolOption(into.tool, name, text)) return true;
  switch (name) {
    case 'ap':
      into.aps.push(parseApSpec(text));
      return true;
    case 'client':
      into.clients.push(parseClientSpec(text));
      return true;
    case 'echo':
      into.echo.push(parseEcho(text));
      return true;
    case 'http':
      if (text === '') throw new UsageError('--http needs a DIR');
      into.httpDir = text;
      return true;
    case 'mqtt':
      into.mqtt = true;
      return true;
    case 'tls':
      into.tls = true;
      return true;
    case 'pcap':
      if (text === '') throw new UsageError('--pcap needs a FILE name');
      into.pcapPath = text;
      return true;
    case 'tap':
      if (!/^[A-Za-z0-9_.-]{1,15}$/.test(text))
        throw new UsageError(`bad --tap "${text}" (an interface name)`);
      into.tapIfname = text;
      return true;
  }
  return false;
}

/** The options that only make sense with an access point (a capture also with a client). */
export function checkNetworkRequest(n: NetworkRequest): void {
  for (const step of n.tool)
    if (step.kind === 'open' && (step.lan ?? 0) > 0 && step.lan! >= n.aps.length)
      throw new UsageError(
        `--tool "${step.text}": there is no AP ${step.lan} (give ${step.lan! + 1} --ap)`,
      );
  if (n.aps.length > 0) return;
  const orphan = [
    n.echo.length > 0 && '--echo',
    n.httpDir !== null && '--http',
    n.mqtt && '--mqtt',
    n.tls && '--tls',
    n.pcapPath !== null && n.clients.length === 0 && '--pcap',
    n.tapIfname !== null && '--tap',
    n.tool.length > 0 && '--tool',
  ].filter(Boolean);
  if (orphan.length > 0)
    throw new UsageError(`${orphan.join(', ')} need a virtual network: add --ap SSID`);
}
