/**
 * The debugging tool console's "open" form as plain data: what the user typed → the session to
 * open (src/net/ip/debug-tool.ts), or what is wrong with it.
 */
import type { DebugToolSpec } from '../../net/ip/debug-tool.ts';

export type ToolKind = DebugToolSpec['kind'];

export interface ToolForm {
  kind: ToolKind;
  /** The tool's own port (a TCP server's, a UDP socket's; 0 = any for UDP). */
  port: string;
  /** IP:PORT: where a TCP client connects, where a UDP socket sends (optional for UDP). */
  remote: string;
}

/** The characters a console adds after each line sent. */
export const LINE_ENDS = { none: '', LF: '\n', CRLF: '\r\n' } as const;
export type LineEnd = keyof typeof LINE_ENDS;

function portOf(text: string, min: number): number | null {
  const n = /^[0-9]{1,5}$/.test(text.trim()) ? Number(text) : NaN;
  return n >= min && n <= 65535 ? n : null;
}

function remoteOf(text: string): { ip: string; port: number } | null {
  const m = /^\s*(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})\s*$/.exec(text);
  if (!m || m[1].split('.').some((p) => Number(p) > 255)) return null;
  const port = portOf(m[2], 1);
  return port === null ? null : { ip: m[1], port };
}

/** The session the form asks for, or the problems (empty when there are none). */
export function toolSpecOf(form: ToolForm): { spec: DebugToolSpec } | { problems: string[] } {
  if (form.kind === 'tcp-client') {
    const remote = remoteOf(form.remote);
    return remote
      ? { spec: { kind: 'tcp-client', ...remote } }
      : { problems: ['connect to IP:PORT'] };
  }
  const port = portOf(form.port, form.kind === 'udp' ? 0 : 1);
  const problems: string[] = [];
  if (port === null) problems.push(form.kind === 'udp' ? 'port 0-65535' : 'port 1-65535');
  let remote: { ip: string; port: number } | null = null;
  if (form.kind === 'udp' && form.remote.trim() !== '') {
    remote = remoteOf(form.remote);
    if (!remote) problems.push('send to IP:PORT (or nothing: answer whoever sends)');
  }
  if (problems.length > 0 || port === null) return { problems };
  if (form.kind === 'tcp-server') return { spec: { kind: 'tcp-server', port } };
  return { spec: remote ? { kind: 'udp', port, remote } : { kind: 'udp', port } };
}
