/**
 * The "network debugging tool" of Espressif's guides (a PC program that opens or listens on a TCP
 * or UDP port and shows and sends data), as an object on a virtual host that a console drives —
 * the CLI's `--tool` (src/cli/net/tool-args.ts) and the page's network panel:
 *
 *   tool.tcpListen(8080); tool.tcpConnect('192.168.10.100', 333); tool.udpOpen(1025);
 *   tool.send(1, 'hello\r\n'); tool.sendTo(2, '192.168.10.100', 1025, 'ping'); tool.close(1);
 *   tool.log → [{ seconds: 0, line: '[1] tcp listening on 8080' },
 *               { seconds: 2.5, line: '[2] tcp 192.168.10.100:51000 connected' },
 *               { seconds: 2.6, line: '[2] < 192.168.10.100:51000 (4 bytes) hi\r\n' }, …]
 *
 * Every session has a number; a connection a listener accepts gets its own. Received and sent
 * bytes are shown with the peer, their count, and as text with \r, \n and \xNN escapes (every
 * other byte outside printable ASCII, and the backslash itself, as \xNN), so binary data reads as
 * hex. Failures (a port in use, no address yet) become log lines, not exceptions: a console
 * shows them.
 */
import { TICKS_PER_SECOND } from '../clock';
import { formatIpv4, parseIpv4, utf8 } from './bytes';
import type { IpHost, TcpListener, UdpSocket } from './host';
import type { TcpConnection } from './tcp';

/** A log entry: when (simulated seconds) and what. */
export interface ToolLine {
  seconds: number;
  line: string;
}

/** What a console lists: one open session. */
export interface ToolSession {
  id: number;
  kind: 'tcp-server' | 'tcp' | 'udp';
  /** "tcp listening on 8080 (2 clients)", "tcp 192.168.10.100:51000 ESTABLISHED", "udp 1025 → …" */
  label: string;
  /** Whether `send(id, …)` has somewhere to go now. */
  canSend: boolean;
}

type Session =
  | { id: number; kind: 'tcp-listen'; listener: TcpListener; accepted: TcpConnection[] }
  | { id: number; kind: 'tcp'; conn: TcpConnection }
  | { id: number; kind: 'udp'; socket: UdpSocket; peer?: { ip: number; port: number } };

/** A session to open, as the CLI's `--tool` and the page's console describe it. */
export type DebugToolSpec =
  | { kind: 'tcp-server'; port: number }
  | { kind: 'tcp-client'; ip: number | string; port: number }
  | { kind: 'udp'; port: number; remote?: { ip: number | string; port: number } };

/** The log keeps this many entries; older ones are dropped (`dropped` counts them). */
export const TOOL_LOG_LIMIT = 1000;

export class NetDebugTool {
  readonly log: ToolLine[] = [];
  /** Entries dropped from the front of `log` so far: `dropped + log.length` lines were printed. */
  dropped = 0;
  /** Called with every new log entry (a console, a terminal). */
  onLine: ((entry: ToolLine) => void) | null = null;
  private readonly sessionsById = new Map<number, Session>();
  private nextId = 1;

  constructor(private readonly host: IpHost) {}

  /** Opens the session `spec` describes; its number. */
  open(spec: DebugToolSpec): number {
    if (spec.kind === 'tcp-server') return this.tcpListen(spec.port);
    if (spec.kind === 'tcp-client') return this.tcpConnect(spec.ip, spec.port);
    return this.udpOpen(spec.port, spec.remote?.ip, spec.remote?.port);
  }

  /** Listen on a TCP port; each accepted connection becomes a session of its own. */
  tcpListen(port: number): number {
    const id = this.nextId++;
    let listener: TcpListener;
    const accepted: TcpConnection[] = [];
    try {
      listener = this.host.tcpListen(port, (conn) => {
        const cid = this.nextId++;
        accepted.push(conn);
        this.sessionsById.set(cid, { id: cid, kind: 'tcp', conn });
        this.watch(cid, conn, () => accepted.splice(accepted.indexOf(conn), 1));
        this.print(cid, `tcp ${peerOf(conn)} connected (to port ${port}, session ${id})`);
      });
    } catch (error) {
      this.print(id, `cannot listen on tcp ${port}: ${(error as Error).message}`);
      return id;
    }
    this.sessionsById.set(id, { id, kind: 'tcp-listen', listener, accepted });
    this.print(id, `tcp listening on ${port}`);
    return id;
  }

  /** Connect to `ip:port`; the session prints "connected", or why it failed. */
  tcpConnect(ip: string | number, port: number): number {
    const id = this.nextId++;
    const dst = typeof ip === 'string' ? parseIpv4(ip) : ip;
    let conn: TcpConnection;
    try {
      conn = this.host.tcpConnect(dst, port);
    } catch (error) {
      this.print(id, `cannot connect to ${formatIpv4(dst)}:${port}: ${(error as Error).message}`);
      return id;
    }
    this.sessionsById.set(id, { id, kind: 'tcp', conn });
    this.print(id, `tcp connecting to ${formatIpv4(dst)}:${port}`);
    conn.onConnect = () =>
      this.print(id, `tcp connected to ${peerOf(conn)} from port ${conn.localPort}`);
    this.watch(id, conn);
    return id;
  }

  /**
   * Open a UDP port (0: any). With `remote` it sends there; without, to whoever sent last (as
   * the guides' tool answers the board).
   */
  udpOpen(localPort = 0, remoteIp?: string | number, remotePort?: number): number {
    const id = this.nextId++;
    let socket: UdpSocket;
    try {
      socket = this.host.udpBind(localPort);
    } catch (error) {
      this.print(id, `cannot open udp ${localPort}: ${(error as Error).message}`);
      return id;
    }
    const fixed =
      remoteIp !== undefined && remotePort
        ? { ip: typeof remoteIp === 'string' ? parseIpv4(remoteIp) : remoteIp, port: remotePort }
        : undefined;
    const session: Session = { id, kind: 'udp', socket, peer: fixed };
    socket.onMessage = (m) => {
      if (!fixed) session.peer = { ip: m.src, port: m.srcPort };
      this.print(id, `< ${formatIpv4(m.src)}:${m.srcPort} ${shown(m.data)}`);
    };
    this.sessionsById.set(id, session);
    this.print(
      id,
      `udp open on ${socket.port}${fixed ? `, sending to ${formatIpv4(fixed.ip)}:${fixed.port}` : ''}`,
    );
    return id;
  }

  /**
   * Send on session `id`: a TCP connection; a listener's newest open connection; a UDP socket's
   * peer. False (and a log line) when there is nowhere to send to yet.
   */
  send(id: number, data: string | Uint8Array): boolean {
    const target = this.target(id);
    const bytes = typeof data === 'string' ? utf8(data) : data;
    if (!target) {
      this.print(id, 'nothing to send to');
      return false;
    }
    if ('conn' in target) {
      target.conn.send(bytes);
      this.print(target.id, `> ${peerOf(target.conn)} ${shown(bytes)}`);
    } else {
      target.socket.send(target.peer.ip, target.peer.port, bytes);
      this.print(id, `> ${formatIpv4(target.peer.ip)}:${target.peer.port} ${shown(bytes)}`);
    }
    return true;
  }

  /** Whether `send(id, …)` would go somewhere now. */
  canSend(id: number): boolean {
    return this.target(id) !== null;
  }

  sendTo(id: number, ip: string, port: number, data: string | Uint8Array): boolean {
    const s = this.sessionsById.get(id);
    if (s?.kind !== 'udp') return false;
    s.peer = { ip: parseIpv4(ip), port };
    return this.send(id, data);
  }

  /**
   * Close a session: a listener stops listening (its connections stay), a UDP port closes, a
   * connection sends FIN and stays listed until the peer has closed too ("tcp closed").
   */
  close(id: number): void {
    const s = this.sessionsById.get(id);
    if (!s) return;
    if (s.kind === 'tcp') {
      s.conn.end();
      this.print(id, 'closing (FIN sent)');
      return;
    }
    if (s.kind === 'tcp-listen') s.listener.close();
    else s.socket.close();
    this.sessionsById.delete(id);
    this.print(id, 'closed');
  }

  /** Closes every session (a console going away). */
  closeAll(): void {
    for (const id of [...this.sessionsById.keys()]) this.close(id);
  }

  /** The open sessions, oldest first. */
  sessions(): ToolSession[] {
    return [...this.sessionsById.values()].map((s) => {
      if (s.kind === 'tcp-listen') {
        const n = s.accepted.length;
        return {
          id: s.id,
          kind: 'tcp-server',
          label: `tcp listening on ${s.listener.port} (${n} client${n === 1 ? '' : 's'})`,
          canSend: this.canSend(s.id),
        };
      }
      if (s.kind === 'tcp')
        return {
          id: s.id,
          kind: 'tcp',
          label: `tcp ${peerOf(s.conn)} ${s.conn.state}`,
          canSend: this.canSend(s.id),
        };
      const to = s.peer ? ` → ${formatIpv4(s.peer.ip)}:${s.peer.port}` : '';
      return {
        id: s.id,
        kind: 'udp',
        label: `udp ${s.socket.port}${to}`,
        canSend: this.canSend(s.id),
      };
    });
  }

  /** One line per open session: "[1] tcp listening on 8080 (0 clients)". */
  list(): string[] {
    return this.sessions().map((s) => `[${s.id}] ${s.label}`);
  }

  private target(
    id: number,
  ):
    | { id: number; conn: TcpConnection }
    | { socket: UdpSocket; peer: { ip: number; port: number } }
    | null {
    const s = this.sessionsById.get(id);
    if (!s) return null;
    if (s.kind === 'udp') return s.peer ? { socket: s.socket, peer: s.peer } : null;
    const conn = s.kind === 'tcp' ? s.conn : s.accepted.at(-1);
    if (!conn || !canCarry(conn)) return null;
    if (s.kind === 'tcp') return { id, conn };
    const cid = [...this.sessionsById.values()].find(
      (t) => t.kind === 'tcp' && t.conn === conn,
    )?.id;
    return { id: cid ?? id, conn };
  }

  private watch(id: number, conn: TcpConnection, gone?: () => void): void {
    conn.onData = (d) => this.print(id, `< ${peerOf(conn)} ${shown(d)}`);
    // As the guides' tool (and most socket consoles) do: the peer's FIN closes ours too.
    conn.onEnd = () => {
      this.print(id, 'peer closed (FIN); closing');
      conn.end();
    };
    conn.onClose = (error) => {
      this.print(id, error ? `tcp ${error}` : 'tcp closed');
      this.sessionsById.delete(id);
      gone?.();
    };
  }

  private print(id: number, text: string): void {
    const entry = { seconds: this.host.clock.now / TICKS_PER_SECOND, line: `[${id}] ${text}` };
    this.log.push(entry);
    if (this.log.length > TOOL_LOG_LIMIT) {
      this.log.shift();
      this.dropped++;
    }
    this.onLine?.(entry);
  }
}

/** A connection that is open for sending (a console's data never waits on a handshake that may fail). */
function canCarry(conn: TcpConnection): boolean {
  return conn.state === 'ESTABLISHED' || conn.state === 'CLOSE_WAIT';
}

function peerOf(conn: TcpConnection): string {
  return `${formatIpv4(conn.remoteIp)}:${conn.remotePort}`;
}

/** "(4 bytes) hi\r\n": the count, then the bytes as text with escapes. */
function shown(b: Uint8Array): string {
  return `(${b.length} byte${b.length === 1 ? '' : 's'}) ${printable(b)}`;
}

/** Printable ASCII as itself; \r and \n as such; every other byte (and \) as \xNN. */
export function printable(b: Uint8Array): string {
  let s = '';
  for (const c of b) {
    if (c === 0x0d) s += '\\r';
    else if (c === 0x0a) s += '\\n';
    else if (c >= 0x20 && c < 0x7f && c !== 0x5c) s += String.fromCharCode(c);
    else s += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s;
}
