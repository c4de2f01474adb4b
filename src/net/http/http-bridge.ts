/**
 * The page's way into the virtual network's web servers: one HTTP request from the browser (the
 * Service Worker hands it over, public/coi-sw.js) becomes an HTTP/1.1 exchange over a virtual TCP
 * connection in simulated time, from a host of the virtual world, to a board or virtual host.
 *
 * Who asks: on a world AP's LAN (192.168.(10+n).0/24) a wired host "tab" at .250, created on
 * first use; for any other network (a board's SoftAP, 192.168.4.0/24) a virtual station of the
 * world that holds a lease on it (the page's `network.stations`). Nothing else is reachable:
 * an address on no virtual network is refused, so the bridge never leaves the simulation.
 *
 * Connections are kept alive and reused (at most MAX_CONNECTIONS per server, more requests
 * wait); a reused connection the server closed before answering is retried once on a new one.
 */
import { TICKS_PER_SECOND } from '../clock.ts';
import { formatIpv4, formatMac, parseIpv4, utf8 } from '../ip/bytes.ts';
import { IpHost } from '../ip/host.ts';
import type { TcpConnection } from '../ip/tcp.ts';
import type { Timer } from '../ip/timers.ts';
import type { NetworkWorld } from '../world.ts';
import {
  encodeHttpRequest,
  headerValue,
  HttpParseError,
  HttpResponseParser,
  type HttpHeaders,
} from './http-codec.ts';

/** The path segment under the app's folder that the Service Worker hands to the bridge. */
export const BRIDGE_PATH = 'board-http';

export interface BridgeRequest {
  method: string;
  /** As in the URL: "192.168.4.1", "192.168.10.100:8080", "board", "gateway", "phone.lan". */
  host: string;
  /** origin-form: "/path?query" */
  target: string;
  headers: HttpHeaders;
  body?: Uint8Array | null;
  /** The absolute path the bridge's URLs start with ("/board-http/"); redirects are mapped under it. */
  prefix: string;
}

export interface BridgeResponse {
  status: number;
  statusText: string;
  headers: HttpHeaders;
  body: Uint8Array;
}

/** Simulated seconds a request may take from connect to the response's last byte. */
export const BRIDGE_TIMEOUT_SECONDS = 30;
/** Idle kept-alive connections are closed after this many simulated seconds. */
const IDLE_SECONDS = 5;
const MAX_CONNECTIONS = 4;
/** The tab's address on LAN n: 192.168.(10+n).250. */
const TAB_HOST_OCTET = 250;

/** Request headers that belong to the browser's own connection, not to the one we open. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'accept-encoding',
]);

interface Endpoint {
  key: string;
  from: IpHost;
  ip: number;
  port: number;
  idle: { conn: TcpConnection; timer: Timer }[];
  busy: number;
  waiting: (() => void)[];
}

export class HttpBridge {
  private readonly tabHosts = new Map<number, IpHost>();
  private readonly endpoints = new Map<string, Endpoint>();
  private stopped = false;

  constructor(private readonly world: NetworkWorld) {}

  /** Sends `request`; `done` gets the server's response, or a page saying why there is none. */
  request(request: BridgeRequest, done: (response: BridgeResponse) => void): void {
    if (this.stopped)
      return done(errorPage(503, 'The virtual network was rebuilt', 'Reload the page.'));
    const target = this.resolve(request.host);
    if ('error' in target) return done(target.error);
    let bytes: Uint8Array;
    try {
      const headers: HttpHeaders = [['Host', request.host]];
      for (const [n, v] of request.headers)
        if (!HOP_BY_HOP.has(n.toLowerCase())) headers.push([n, v]);
      bytes = encodeHttpRequest({
        method: request.method,
        target: request.target,
        headers,
        body: request.body,
      });
    } catch (e) {
      return done(errorPage(400, 'Bad request', e instanceof Error ? e.message : String(e)));
    }
    const endpoint = this.endpoint(target.from, target.ip, target.port);
    const finish = (response: BridgeResponse) =>
      done({ ...response, headers: mapLocation(response.headers, request.host, request.prefix) });
    const start = () => this.exchange(endpoint, request.method, bytes, true, request.host, finish);
    if (endpoint.busy < MAX_CONNECTIONS) start();
    else endpoint.waiting.push(start);
  }

  /** Closes every connection and takes the tab's hosts off the LANs. */
  stop(): void {
    this.stopped = true;
    for (const e of this.endpoints.values())
      for (const { conn, timer } of e.idle.splice(0)) {
        timer.cancel();
        conn.abort();
      }
    for (const h of this.tabHosts.values()) h.detach();
  }

  /** The host name or address of a URL → who connects, and to which address and port. */
  private resolve(
    hostPort: string,
  ): { from: IpHost; ip: number; port: number } | { error: BridgeResponse } {
    const m = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(hostPort);
    const port = m?.[2] ? Number(m[2]) : 80;
    if (!m || port < 1 || port > 65535)
      return {
        error: errorPage(
          400,
          'Bad host',
          `"${hostPort}" is not a host name or IPv4 address with an optional port.`,
        ),
      };
    const name = m[1].toLowerCase();
    const ip = /^\d+\.\d+\.\d+\.\d+$/.test(name) ? safeParseIpv4(name) : this.lookup(name);
    if (ip === null)
      return {
        error: errorPage(
          502,
          'Unknown virtual host',
          `No host of the virtual network is called "${name}" (try "board", "gateway", a DHCP host name or an address).`,
        ),
      };
    const from = this.sourceFor(ip);
    if (!from)
      return {
        error: errorPage(
          502,
          'Not on the virtual network',
          `${formatIpv4(ip)} is on none of the virtual networks the page can reach: the access points' LANs ` +
            `(192.168.10.0/24, …) or a network a virtual station holds a lease on (a board's SoftAP). ` +
            `The bridge never leaves the simulation.`,
        ),
      };
    return { from, ip, port };
  }

  private lookup(name: string): number | null {
    if (name === 'board') return this.boardAddress();
    for (const a of this.world.aps) {
      const ip = a.lan.dns.lookup(name) ?? a.lan.dns.lookup(name.replace(/\.lan$/, ''));
      if (ip !== undefined) return ip;
    }
    return null;
  }

  /** The board's address: its lease on a world AP, else the gateway of a station on its SoftAP. */
  private boardAddress(): number | null {
    for (const b of this.world.boardRadios) {
      const sta = b.seen.stationMac && formatMac(b.seen.stationMac);
      for (const a of this.world.aps) {
        const lease = a.lan.dhcp.leases.find((l) => formatMac(l.mac) === sta);
        if (lease) return lease.ip;
      }
      const ap = b.seen.apMac && formatMac(b.seen.apMac);
      const client = this.world.stations.find((s) => s.ip && s.bssid && formatMac(s.bssid) === ap);
      if (client) return client.gateway;
    }
    return null;
  }

  private sourceFor(ip: number): IpHost | null {
    for (const [index, a] of this.world.aps.entries()) {
      const { network, netmask } = a.lan.layout;
      if ((ip & netmask) >>> 0 !== network) continue;
      let tab = this.tabHosts.get(index);
      if (!tab) {
        tab = new IpHost(this.world.clock, {
          name: 'tab',
          mac: Uint8Array.of(0x02, 0x82, 0x66, 0x00, index, TAB_HOST_OCTET),
          ip: network + TAB_HOST_OCTET,
          netmask,
          gateway: a.lan.layout.gateway,
          seed: 0x7ab + index,
        });
        tab.attachTo(a.lan.segment);
        this.tabHosts.set(index, tab);
      }
      return tab;
    }
    for (const s of this.world.stations) {
      const mask = s.host.netmask;
      if (s.ip && (s.ip & mask) >>> 0 === (ip & mask) >>> 0) return s.host;
    }
    return null;
  }

  private endpoint(from: IpHost, ip: number, port: number): Endpoint {
    const key = `${from.name}|${formatIpv4(from.ip)}|${formatIpv4(ip)}:${port}`;
    let e = this.endpoints.get(key);
    if (!e) {
      e = { key, from, ip, port, idle: [], busy: 0, waiting: [] };
      this.endpoints.set(key, e);
    }
    return e;
  }

  /** One request on a kept-alive connection if there is one (`mayReuse`), else a new one. */
  private exchange(
    e: Endpoint,
    method: string,
    request: Uint8Array,
    mayReuse: boolean,
    host: string,
    done: (response: BridgeResponse) => void,
  ): void {
    e.busy++;
    const reused = mayReuse ? e.idle.pop() : undefined;
    reused?.timer.cancel();
    let conn: TcpConnection;
    try {
      conn = reused?.conn ?? e.from.tcpConnect(e.ip, e.port);
    } catch (err) {
      return this.settle(e, done, errorPage(502, 'Cannot connect', String(err)));
    }
    const parser = new HttpResponseParser(method);
    let received = 0;
    let settled = false;
    const timeout = e.from.timers.after(BRIDGE_TIMEOUT_SECONDS * TICKS_PER_SECOND, () =>
      fail(
        504,
        'No answer',
        `${host} did not answer within ${BRIDGE_TIMEOUT_SECONDS} s of simulated time.`,
        true,
      ),
    );
    const detach = () => {
      conn.onConnect = conn.onData = conn.onEnd = null;
      conn.onClose = null;
    };
    const fail = (status: number, title: string, detail: string, abort = false) => {
      if (settled) return;
      settled = true;
      timeout.cancel();
      detach();
      if (abort) conn.abort();
      this.settle(e, done, errorPage(status, title, detail));
    };
    const complete = (closed: boolean) => {
      if (settled) return;
      settled = true;
      timeout.cancel();
      detach();
      const r = parser.response;
      if (!r) return;
      if (closed || r.closes || parser.rest.length) {
        if (!closed) conn.end();
        conn.onEnd = () => conn.end();
      } else this.park(e, conn);
      this.settle(e, done, {
        status: r.status,
        statusText: r.reason,
        headers: r.headers,
        body: r.body,
      });
    };
    /** A kept-alive connection the server had closed: try once more on a fresh one. */
    const retryFresh = () => {
      settled = true;
      timeout.cancel();
      detach();
      conn.abort();
      e.busy--;
      this.exchange(e, method, request, false, host, done);
    };
    conn.onConnect = () => conn.send(request);
    conn.onData = (bytes) => {
      received += bytes.length;
      try {
        if (parser.push(bytes)) complete(false);
      } catch (err) {
        fail(
          502,
          'Bad response',
          `${host} sent a response the bridge cannot read: ${(err as Error).message}.`,
          true,
        );
      }
    };
    conn.onEnd = () => {
      if (reused && received === 0) return retryFresh();
      try {
        parser.end();
        complete(true);
      } catch (err) {
        fail(
          502,
          'Bad response',
          `${host}: ${err instanceof HttpParseError ? err.message : String(err)}.`,
        );
      }
      conn.end();
    };
    conn.onClose = (error) => {
      if (settled) return;
      if (reused && received === 0) return retryFresh();
      fail(
        502,
        error === 'connection refused' ? 'Connection refused' : 'Connection failed',
        `${host}: ${error ?? 'closed'}.`,
      );
    };
    if (reused) conn.send(request);
  }

  private park(e: Endpoint, conn: TcpConnection): void {
    const entry = {
      conn,
      timer: e.from.timers.after(IDLE_SECONDS * TICKS_PER_SECOND, () => {
        e.idle.splice(e.idle.indexOf(entry), 1);
        conn.onEnd = () => conn.end();
        conn.end();
      }),
    };
    // A server closing an idle connection: forget it (answering with our FIN).
    conn.onEnd = () => {
      const i = e.idle.indexOf(entry);
      if (i >= 0) e.idle.splice(i, 1);
      entry.timer.cancel();
      conn.end();
    };
    conn.onClose = () => {
      const i = e.idle.indexOf(entry);
      if (i >= 0) e.idle.splice(i, 1);
      entry.timer.cancel();
    };
    e.idle.push(entry);
  }

  private settle(e: Endpoint, done: (r: BridgeResponse) => void, response: BridgeResponse): void {
    e.busy--;
    done(response);
    const next = e.waiting.shift();
    if (next) next();
  }
}

/**
 * A Location pointing at the board (an absolute path, or an absolute URL of a host) is mapped
 * under the bridge's prefix, so a redirect stays inside the simulation: "/" → "/board-http/
 * 192.168.4.1/"; "http://192.168.4.1/x" → "/board-http/192.168.4.1/x". Any other host's URL is
 * mapped the same way, where the bridge then refuses it if it is not virtual. Relative
 * references are left alone (they resolve under the prefix already).
 */
export function bridgeLocation(location: string, host: string, prefix: string): string {
  const absolute = /^(?:https?:)?\/\/([^/?#]+)(.*)$/i.exec(location);
  if (absolute) {
    const rest =
      absolute[2] === '' || !absolute[2].startsWith('/') ? `/${absolute[2]}` : absolute[2];
    return `${prefix}${absolute[1]}${rest}`;
  }
  if (location.startsWith('/')) return `${prefix}${host}${location}`;
  return location;
}

function mapLocation(headers: HttpHeaders, host: string, prefix: string): HttpHeaders {
  return headers.map(([n, v]) =>
    ['location', 'content-location'].includes(n.toLowerCase())
      ? [n, bridgeLocation(v, host, prefix)]
      : [n, v],
  );
}

function safeParseIpv4(text: string): number | null {
  try {
    return parseIpv4(text);
  } catch {
    return null;
  }
}

/** What the frame shows instead of a page the bridge could not get. */
export function errorPage(status: number, title: string, detail: string): BridgeResponse {
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html =
    `<!doctype html><meta charset="utf-8"><title>${escape(title)}</title>` +
    `<body style="font-family:sans-serif"><h1>${escape(title)}</h1><p>${escape(detail)}</p>` +
    `<p><small>v8266 board web bridge</small></p></body>\n`;
  return {
    status,
    statusText: title,
    headers: [
      ['Content-Type', 'text/html; charset=utf-8'],
      ['X-V8266-Bridge', 'error'],
    ],
    body: utf8(html),
  };
}

export { headerValue };
