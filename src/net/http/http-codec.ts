/**
 * HTTP/1.1 messages on a byte stream, for a client (RFC 9112): a request written out, and an
 * incremental response parser that knows where a response ends — after Content-Length bytes,
 * after the last chunk of a chunked body, or when the server closes the connection — so a
 * connection can be reused or closed at the right moment. Interim 1xx responses are skipped.
 * Pure: no sockets here (src/net/http/http-bridge.ts feeds it from a virtual TCP connection).
 */
import { concatBytes } from '../ip/bytes.ts';

export type HttpHeaders = [name: string, value: string][];

export interface HttpRequest {
  method: string;
  /** origin-form: "/path?query" */
  target: string;
  headers: HttpHeaders;
  body?: Uint8Array | null;
}

export interface HttpResponse {
  version: string;
  status: number;
  reason: string;
  /** In the order received, names as the server spelled them. */
  headers: HttpHeaders;
  body: Uint8Array;
  /** The server will not take another request on this connection. */
  closes: boolean;
}

export class HttpParseError extends Error {}

/** Past these the parser gives up (a board serves pages, not downloads of this size). */
export const MAX_HEAD_BYTES = 64 * 1024;
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

const latin1 = new TextDecoder('latin1');
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The request as bytes: request line, headers (a Content-Length for a body), blank line, body. */
export function encodeHttpRequest(request: HttpRequest): Uint8Array {
  if (!TOKEN.test(request.method)) throw new HttpParseError(`bad method ${request.method}`);
  if (!/^\/[^\s]*$/.test(request.target)) throw new HttpParseError(`bad target ${request.target}`);
  const body = request.body ?? new Uint8Array(0);
  const lines = [`${request.method} ${request.target} HTTP/1.1`];
  for (const [name, value] of request.headers) {
    if (!TOKEN.test(name) || /[\r\n]/.test(value)) throw new HttpParseError(`bad header ${name}`);
    if (name.toLowerCase() === 'content-length') continue;
    lines.push(`${name}: ${value}`);
  }
  if (body.length > 0 || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(request.method))
    lines.push(`Content-Length: ${body.length}`);
  const head = new Uint8Array(
    [...(lines.join('\r\n') + '\r\n\r\n')].map((c) => c.charCodeAt(0) & 0xff),
  );
  return body.length ? concatBytes([head, body]) : head;
}

/** The value of header `name` (case-insensitive; repeated headers joined with ", "). */
export function headerValue(headers: HttpHeaders, name: string): string | undefined {
  const want = name.toLowerCase();
  const values = headers.filter(([n]) => n.toLowerCase() === want).map(([, v]) => v);
  return values.length ? values.join(', ') : undefined;
}

type BodyMode =
  | { kind: 'none' }
  | { kind: 'length'; remaining: number }
  | { kind: 'chunked' }
  | { kind: 'close' };

/**
 * Feed it what the connection delivers (`push`), and `end()` when the server closed; `push`
 * returns true once a whole response has arrived (`response`, and `rest`: bytes after it).
 * Malformed input throws `HttpParseError`.
 */
export class HttpResponseParser {
  response: HttpResponse | null = null;
  /** Bytes received after the response (a pipelining server's next answer). */
  rest: Uint8Array = new Uint8Array(0);

  private buffer: Uint8Array = new Uint8Array(0);
  private head: Omit<HttpResponse, 'body'> | null = null;
  private mode: BodyMode = { kind: 'none' };
  private readonly body: Uint8Array[] = [];
  private bodyBytes = 0;
  /** Chunked: bytes of the current chunk still to come (−1: at a chunk-size line; −2: trailers). */
  private chunkLeft = -1;

  /** `method`: the request's (a HEAD response has no body whatever it says). */
  constructor(private readonly method = 'GET') {}

  push(bytes: Uint8Array): boolean {
    if (this.response) {
      this.rest = concatBytes([this.rest, bytes]);
      return true;
    }
    this.buffer = this.buffer.length ? concatBytes([this.buffer, bytes]) : bytes;
    return this.advance();
  }

  /** The server closed its side: completes a close-delimited body, else the response was cut. */
  end(): HttpResponse {
    if (this.response) return this.response;
    if (this.head && this.mode.kind === 'close') {
      this.finish();
      return this.response as unknown as HttpResponse;
    }
    throw new HttpParseError(
      this.head
        ? 'the connection closed in the middle of the body'
        : 'the connection closed before a response',
    );
  }

  private advance(): boolean {
    while (!this.head) {
      const end = indexOfBlankLine(this.buffer);
      if (end < 0) {
        if (this.buffer.length > MAX_HEAD_BYTES)
          throw new HttpParseError('response head too large');
        return false;
      }
      const head = parseHead(latin1.decode(this.buffer.subarray(0, end)));
      this.buffer = this.buffer.subarray(end + 4);
      if (head.status >= 100 && head.status < 200 && head.status !== 101) continue; // interim
      this.head = head;
      this.mode = this.bodyMode(head);
    }
    switch (this.mode.kind) {
      case 'none':
        return this.finish();
      case 'length': {
        const take = Math.min(this.mode.remaining, this.buffer.length);
        this.addBody(this.buffer.subarray(0, take));
        this.buffer = this.buffer.subarray(take);
        this.mode.remaining -= take;
        return this.mode.remaining === 0 ? this.finish() : false;
      }
      case 'close':
        this.addBody(this.buffer);
        this.buffer = new Uint8Array(0);
        return false;
      case 'chunked':
        return this.advanceChunks();
    }
  }

  private advanceChunks(): boolean {
    for (;;) {
      if (this.chunkLeft > 0) {
        const take = Math.min(this.chunkLeft, this.buffer.length);
        this.addBody(this.buffer.subarray(0, take));
        this.buffer = this.buffer.subarray(take);
        this.chunkLeft -= take;
        if (this.chunkLeft > 0) return false;
        this.chunkLeft = 0; // now the CRLF after the data
      }
      const eol = indexOfCrlf(this.buffer);
      if (eol < 0) {
        if (this.buffer.length > MAX_HEAD_BYTES) throw new HttpParseError('chunk line too long');
        return false;
      }
      const line = latin1.decode(this.buffer.subarray(0, eol));
      this.buffer = this.buffer.subarray(eol + 2);
      if (this.chunkLeft === 0) {
        if (line !== '') throw new HttpParseError('no CRLF after chunk data');
        this.chunkLeft = -1;
      } else if (this.chunkLeft === -1) {
        // chunk-size [; extensions]
        const m = /^([0-9A-Fa-f]{1,8})[ \t]*(;.*)?$/.exec(line);
        if (!m) throw new HttpParseError(`bad chunk size line "${line.slice(0, 40)}"`);
        const size = parseInt(m[1], 16);
        if (this.bodyBytes + size > MAX_BODY_BYTES) throw new HttpParseError('body too large');
        this.chunkLeft = size === 0 ? -2 : size;
      } else if (line === '') {
        return this.finish(); // the blank line after the (ignored) trailer fields
      }
    }
  }

  private bodyMode(head: Omit<HttpResponse, 'body'>): BodyMode {
    const { status, headers } = head;
    if (this.method === 'HEAD' || status === 204 || status === 304 || status < 200)
      return { kind: 'none' };
    const te = headerValue(headers, 'transfer-encoding');
    if (te !== undefined) {
      const codings = te
        .toLowerCase()
        .split(',')
        .map((c) => c.trim());
      // RFC 9112 6.3: chunked last means chunked; otherwise the body runs to the close.
      if (codings[codings.length - 1] === 'chunked') return { kind: 'chunked' };
      head.closes = true;
      return { kind: 'close' };
    }
    const lengths = headers
      .filter(([n]) => n.toLowerCase() === 'content-length')
      .flatMap(([, v]) => v.split(','));
    if (lengths.length) {
      const values = new Set(lengths.map((v) => v.trim()));
      const [only] = values;
      if (values.size !== 1 || !/^\d{1,10}$/.test(only))
        throw new HttpParseError('bad Content-Length');
      const length = Number(only);
      if (length > MAX_BODY_BYTES) throw new HttpParseError('body too large');
      return length === 0 ? { kind: 'none' } : { kind: 'length', remaining: length };
    }
    head.closes = true;
    return { kind: 'close' };
  }

  private addBody(bytes: Uint8Array): void {
    if (!bytes.length) return;
    this.bodyBytes += bytes.length;
    if (this.bodyBytes > MAX_BODY_BYTES) throw new HttpParseError('body too large');
    this.body.push(Uint8Array.from(bytes));
  }

  private finish(): boolean {
    const head = this.head as Omit<HttpResponse, 'body'>;
    this.response = { ...head, body: concatBytes(this.body) };
    this.rest = this.buffer;
    this.buffer = new Uint8Array(0);
    return true;
  }
}

function parseHead(text: string): Omit<HttpResponse, 'body'> {
  const lines = text.split('\r\n');
  const m = /^(HTTP\/1\.[01]) (\d{3})(?: (.*))?$/.exec(lines[0]);
  if (!m) throw new HttpParseError(`bad status line "${lines[0].slice(0, 60)}"`);
  const headers: HttpHeaders = [];
  for (const line of lines.slice(1)) {
    if (/^[ \t]/.test(line) && headers.length) {
      // obsolete line folding (RFC 9112 5.2): a space in place of the fold
      headers[headers.length - 1][1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!TOKEN.test(name)) throw new HttpParseError(`bad header line "${line.slice(0, 60)}"`);
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  const version = m[1];
  const connection = (headerValue(headers, 'connection') ?? '').toLowerCase();
  const closes =
    version === 'HTTP/1.1' ? /\bclose\b/.test(connection) : !/\bkeep-alive\b/.test(connection);
  return { version, status: Number(m[2]), reason: m[3] ?? '', headers, closes };
}

function indexOfBlankLine(b: Uint8Array): number {
  for (let i = 0; i + 3 < b.length; i++)
    if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) return i;
  return -1;
}

function indexOfCrlf(b: Uint8Array): number {
  for (let i = 0; i + 1 < b.length; i++) if (b[i] === 13 && b[i + 1] === 10) return i;
  return -1;
}
