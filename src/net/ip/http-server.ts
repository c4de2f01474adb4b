/**
 * An HTTP/1.1 file server (RFC 9112) on a virtual host: GET and HEAD of files held in memory,
 * persistent connections (HTTP/1.1 default; HTTP/1.0 with "Connection: keep-alive"), pipelined
 * requests answered in order, Content-Length or chunked transfer coding, 404 for unknown paths,
 * 501 for other methods, 400 for requests it cannot parse. `/echo` (unless a file is published
 * there) answers any method with what it received — request line, headers, body — as text, like
 * httpbin's /anything: a target for firmware that posts data, and for forms.
 */
import { TICKS_PER_SECOND } from '../clock';
import { concatBytes, utf8 } from './bytes';
import type { IpHost, TcpListener } from './host';
import type { ByteStream } from './byte-stream';

export interface HttpFile {
  body: Uint8Array;
  contentType: string;
  /** Send with Transfer-Encoding: chunked instead of Content-Length. */
  chunked?: boolean;
}

export interface HttpServerOptions {
  port?: number;
  /** The wall time that simulated t = 0 stands for (for the Date header). */
  epochUnixMs?: number;
  /** Bytes per chunk of a chunked response (default 16 KiB). */
  chunkSize?: number;
}

const MAX_HEADER = 16 * 1024;
/** The path that echoes requests back. */
export const ECHO_PATH = '/echo';
const decoder = new TextDecoder('latin1');

export class HttpFileServer {
  readonly files = new Map<string, HttpFile>();
  /** Request lines served, for logs and tests. */
  readonly log: string[] = [];
  private readonly listener: TcpListener;
  private readonly epochUnixMs: number;
  private readonly chunkSize: number;

  constructor(
    private readonly host: IpHost,
    options: HttpServerOptions = {},
  ) {
    this.epochUnixMs = options.epochUnixMs ?? Date.UTC(2026, 0, 1);
    this.chunkSize = options.chunkSize ?? 16 * 1024;
    this.listener = host.tcpListen(options.port ?? 80, (c) => this.serve(c));
  }

  /** Publish `body` at `path` ("/index.html"). */
  addFile(path: string, body: Uint8Array | string, contentType = guessType(path), options: { chunked?: boolean } = {}): void {
    this.files.set(path, { body: typeof body === 'string' ? utf8(body) : body, contentType, chunked: options.chunked });
  }

  stop(): void {
    this.listener.close();
  }

  /** Answer requests on `c`: a TCP connection of its own listener, or another stream (HTTPS). */
  serve(c: ByteStream): void {
    let buffered: Uint8Array = new Uint8Array(0);
    let closing = false;
    c.onData = (d) => {
      if (closing) return;
      buffered = buffered.length ? concatBytes([buffered, d]) : d;
      for (;;) {
        const end = findHeaderEnd(buffered);
        if (end < 0) {
          if (buffered.length > MAX_HEADER) {
            this.respond(c, 'HTTP/1.1', 400, 'Bad Request', false, null, 'GET');
            closing = true;
            c.end();
          }
          return;
        }
        const head = decoder.decode(buffered.subarray(0, end));
        const request = parseRequest(head);
        const bodyLength = request ? Number(request.headers.get('content-length') ?? 0) || 0 : 0;
        if (buffered.length < end + 4 + bodyLength) return;
        const body = buffered.slice(end + 4, end + 4 + bodyLength);
        buffered = buffered.subarray(end + 4 + bodyLength);
        const keepAlive = this.handle(c, request, head, body);
        if (!keepAlive) {
          closing = true;
          c.end();
          return;
        }
      }
    };
    c.onEnd = () => c.end();
  }

  /** Answer one request; false when the connection must close after it. */
  private handle(c: ByteStream, request: ReturnType<typeof parseRequest>, head: string, body: Uint8Array): boolean {
    if (!request) {
      this.respond(c, 'HTTP/1.1', 400, 'Bad Request', false, null, 'GET');
      return false;
    }
    const { method, target, version, headers } = request;
    this.log.push(`${method} ${target} ${version}`);
    const connection = (headers.get('connection') ?? '').toLowerCase();
    const keepAlive = version === 'HTTP/1.1' ? !connection.includes('close') : connection.includes('keep-alive');
    if (target.split('?')[0] === ECHO_PATH && !this.files.has(ECHO_PATH)) {
      const text = concatBytes([utf8(head.replace(/^(\r\n)+/, '') + '\r\n\r\n'), body]);
      this.respond(c, version, 200, 'OK', keepAlive, { body: text, contentType: 'text/plain; charset=utf-8' }, method);
      return keepAlive;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      this.respond(c, version, 501, 'Not Implemented', keepAlive, null, method);
      return keepAlive;
    }
    let path: string;
    try {
      path = decodeURIComponent(target.split('?')[0]);
    } catch {
      this.respond(c, version, 400, 'Bad Request', false, null, method);
      return false;
    }
    const file = this.files.get(path);
    if (!file) this.respond(c, version, 404, 'Not Found', keepAlive, null, method);
    else this.respond(c, version, 200, 'OK', keepAlive, file, method);
    return keepAlive;
  }

  private respond(
    c: ByteStream,
    version: string,
    status: number,
    reason: string,
    keepAlive: boolean,
    file: HttpFile | null,
    method: string,
  ): void {
    const body = file ?? { body: utf8(`${status} ${reason}\n`), contentType: 'text/plain; charset=utf-8' };
    // Chunked coding needs an HTTP/1.1 client.
    const chunked = file?.chunked === true && version === 'HTTP/1.1';
    const date = new Date(this.epochUnixMs + (this.host.clock.now / TICKS_PER_SECOND) * 1000).toUTCString();
    const lines = [
      `HTTP/1.1 ${status} ${reason}`,
      `Date: ${date}`,
      'Server: v8266',
      `Content-Type: ${body.contentType}`,
      chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.body.length}`,
      `Connection: ${keepAlive ? 'keep-alive' : 'close'}`,
    ];
    if (status === 501) lines.push('Allow: GET, HEAD');
    c.send(utf8(lines.join('\r\n') + '\r\n\r\n'));
    if (method === 'HEAD') return;
    if (!chunked) {
      c.send(body.body);
      return;
    }
    for (let o = 0; o < body.body.length; o += this.chunkSize) {
      const part = body.body.subarray(o, o + this.chunkSize);
      c.send(concatBytes([utf8(`${part.length.toString(16)}\r\n`), part, utf8('\r\n')]));
    }
    c.send(utf8('0\r\n\r\n'));
  }
}

function findHeaderEnd(b: Uint8Array): number {
  for (let i = 0; i + 3 < b.length; i++) {
    if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) return i;
  }
  return -1;
}

function parseRequest(head: string): { method: string; target: string; version: string; headers: Map<string, string> } | null {
  const lines = head.split('\r\n');
  // RFC 9112 2.2: ignore empty lines before the request line.
  while (lines.length && lines[0] === '') lines.shift();
  const m = /^([A-Z]+) (\S+) (HTTP\/1\.[01])$/.exec(lines[0] ?? '');
  if (!m) return null;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) return null;
    headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  if (m[3] === 'HTTP/1.1' && !headers.has('host')) return null;
  return { method: m[1], target: m[2], version: m[3], headers };
}

function guessType(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  const types: Record<string, string> = {
    html: 'text/html; charset=utf-8',
    txt: 'text/plain; charset=utf-8',
    json: 'application/json',
    js: 'text/javascript',
    css: 'text/css',
    png: 'image/png',
    bin: 'application/octet-stream',
  };
  return types[ext] ?? 'application/octet-stream';
}
