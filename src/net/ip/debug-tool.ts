/**
 * The "network debugging tool" of Espressif's guides (a PC program that opens or listens on a TCP
 * or UDP port and shows and sends data), as an object on a virtual host that a console drives:
 *
 *   tool.tcpListen(8080); tool.tcpConnect('192.168.10.100', 333); tool.udpOpen(1025);
 *   tool.send(1, 'hello\r\n'); tool.sendTo(2, '192.168.10.100', 1025, 'ping'); tool.close(1);
 *   tool.log → ['[1] tcp listening on 8080', '[3] tcp 192.168.10.100:51000 connected', '[3] < hi', …]
 *
 * Every session has a number; received bytes are shown as text with non-printable bytes as \xNN.
 */
import { formatIpv4, parseIpv4, utf8 } from './bytes';
import type { IpHost, TcpListener, UdpSocket } from './host';
import type { TcpConnection } from './tcp';

type Session =
  | { id: number; kind: 'tcp-listen'; listener: TcpListener }
  | { id: number; kind: 'tcp'; conn: TcpConnection }
  | { id: number; kind: 'udp'; socket: UdpSocket; peer?: { ip: number; port: number } };

export class NetDebugTool {
  readonly log: string[] = [];
  /** Called with every new log line (a console, a terminal pane). */
  onLine: ((line: string) => void) | null = null;
  private readonly sessions = new Map<number, Session>();
  private nextId = 1;

  constructor(private readonly host: IpHost) {}

  /** Listen on a TCP port; each accepted connection becomes a session of its own. */
  tcpListen(port: number): number {
    const id = this.nextId++;
    const listener = this.host.tcpListen(port, (conn) => {
      const cid = this.nextId++;
      this.sessions.set(cid, { id: cid, kind: 'tcp', conn });
      this.watch(cid, conn);
      this.print(cid, `tcp ${formatIpv4(conn.remoteIp)}:${conn.remotePort} connected`);
    });
    this.sessions.set(id, { id, kind: 'tcp-listen', listener });
    this.print(id, `tcp listening on ${port}`);
    return id;
  }

  tcpConnect(ip: string | number, port: number): number {
    const id = this.nextId++;
    const conn = this.host.tcpConnect(typeof ip === 'string' ? parseIpv4(ip) : ip, port);
    this.sessions.set(id, { id, kind: 'tcp', conn });
    conn.onConnect = () => this.print(id, `tcp connected to ${formatIpv4(conn.remoteIp)}:${port}`);
    this.watch(id, conn);
    return id;
  }

  /** Open a UDP port (0: any); `send` goes to `remote` or to whoever sent last. */
  udpOpen(localPort = 0, remoteIp?: string, remotePort?: number): number {
    const id = this.nextId++;
    const socket = this.host.udpBind(localPort);
    const session: Session = { id, kind: 'udp', socket };
    if (remoteIp && remotePort) session.peer = { ip: parseIpv4(remoteIp), port: remotePort };
    socket.onMessage = (m) => {
      session.peer ??= { ip: m.src, port: m.srcPort };
      if (!remoteIp) session.peer = { ip: m.src, port: m.srcPort };
      this.print(id, `< ${formatIpv4(m.src)}:${m.srcPort} ${printable(m.data)}`);
    };
    this.sessions.set(id, session);
    this.print(id, `udp open on ${socket.port}`);
    return id;
  }

  send(id: number, data: string | Uint8Array): boolean {
    const s = this.sessions.get(id);
    const bytes = typeof data === 'string' ? utf8(data) : data;
    if (s?.kind === 'tcp') {
      s.conn.send(bytes);
    } else if (s?.kind === 'udp' && s.peer) {
      s.socket.send(s.peer.ip, s.peer.port, bytes);
    } else {
      this.print(id, 'nothing to send to');
      return false;
    }
    this.print(id, `> ${printable(bytes)}`);
    return true;
  }

  sendTo(id: number, ip: string, port: number, data: string | Uint8Array): boolean {
    const s = this.sessions.get(id);
    if (s?.kind !== 'udp') return false;
    s.peer = { ip: parseIpv4(ip), port };
    return this.send(id, data);
  }

  close(id: number): void {
    const s = this.sessions.get(id);
    if (!s) return;
    if (s.kind === 'tcp-listen') s.listener.close();
    else if (s.kind === 'tcp') s.conn.end();
    else s.socket.close();
    this.sessions.delete(id);
    this.print(id, 'closed');
  }

  /** One line per open session. */
  list(): string[] {
    return [...this.sessions.values()].map((s) => {
      if (s.kind === 'tcp-listen') return `[${s.id}] tcp listening on ${s.listener.port}`;
      if (s.kind === 'tcp') return `[${s.id}] tcp ${formatIpv4(s.conn.remoteIp)}:${s.conn.remotePort} ${s.conn.state}`;
      return `[${s.id}] udp ${s.socket.port}${s.peer ? ` → ${formatIpv4(s.peer.ip)}:${s.peer.port}` : ''}`;
    });
  }

  private watch(id: number, conn: TcpConnection): void {
    conn.onData = (d) => this.print(id, `< ${printable(d)}`);
    conn.onEnd = () => this.print(id, 'peer closed');
    conn.onClose = (error) => {
      this.print(id, error ? `tcp ${error}` : 'tcp closed');
      this.sessions.delete(id);
    };
  }

  private print(id: number, text: string): void {
    const line = `[${id}] ${text}`;
    this.log.push(line);
    this.onLine?.(line);
  }
}

function printable(b: Uint8Array): string {
  let s = '';
  for (const c of b) {
    if (c === 0x0d) s += '\\r';
    else if (c === 0x0a) s += '\\n';
    else if (c >= 0x20 && c < 0x7f && c !== 0x5c) s += String.fromCharCode(c);
    else s += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s;
}
