import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../ip/bytes.ts';
import {
  encodeHttpRequest,
  headerValue,
  HttpParseError,
  HttpResponseParser,
} from './http-codec.ts';

/** Feeds `text` one byte at a time (the worst split a TCP stream can give) and returns the parser. */
function feedBytewise(parser: HttpResponseParser, text: string): boolean {
  const bytes = utf8(text);
  let done = false;
  for (let i = 0; i < bytes.length; i++) done = parser.push(bytes.subarray(i, i + 1));
  return done;
}

describe('HTTP request encoding', () => {
  it('writes the request line, the headers, a Content-Length for a body, and the body', () => {
    const bytes = encodeHttpRequest({
      method: 'POST',
      target: '/save?x=1',
      headers: [
        ['Host', '192.168.4.1'],
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['Content-Length', '999'],
      ],
      body: utf8('ssid=home&pass=a+b'),
    });
    expect(fromUtf8(bytes)).toBe(
      'POST /save?x=1 HTTP/1.1\r\nHost: 192.168.4.1\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        'Content-Length: 18\r\n\r\nssid=home&pass=a+b',
    );
  });

  it('sends no Content-Length on a GET without a body, but Content-Length: 0 on an empty POST', () => {
    expect(
      fromUtf8(encodeHttpRequest({ method: 'GET', target: '/', headers: [['Host', 'h']] })),
    ).toBe('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    expect(fromUtf8(encodeHttpRequest({ method: 'POST', target: '/', headers: [] }))).toContain(
      'Content-Length: 0\r\n\r\n',
    );
  });

  it('refuses what would break the message: CR/LF in a header, a space in the target, a bad method', () => {
    expect(() =>
      encodeHttpRequest({ method: 'GET', target: '/', headers: [['X', 'a\r\nEvil: 1']] }),
    ).toThrow(HttpParseError);
    expect(() => encodeHttpRequest({ method: 'GET', target: '/a b', headers: [] })).toThrow(
      HttpParseError,
    );
    expect(() => encodeHttpRequest({ method: 'GE T', target: '/', headers: [] })).toThrow(
      HttpParseError,
    );
    expect(() => encodeHttpRequest({ method: 'GET', target: 'http://x/', headers: [] })).toThrow(
      HttpParseError,
    );
  });
});

describe('HTTP response parsing', () => {
  it('ends a Content-Length body after exactly its bytes, keeping what follows', () => {
    const p = new HttpResponseParser();
    const done = feedBytewise(
      p,
      'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1',
    );
    expect(done).toBe(true);
    expect(p.response).toMatchObject({
      version: 'HTTP/1.1',
      status: 200,
      reason: 'OK',
      closes: false,
    });
    expect(fromUtf8(p.response!.body)).toBe('hello');
    expect(fromUtf8(p.rest)).toBe('HTTP/1.1');
    expect(headerValue(p.response!.headers, 'content-type')).toBe('text/html');
  });

  it('decodes a chunked body with extensions and trailers, split anywhere', () => {
    const text =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '4;name=v\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\n';
    const p = new HttpResponseParser();
    expect(feedBytewise(p, text)).toBe(true);
    expect(fromUtf8(p.response!.body)).toBe('Wikipedia in\r\n\r\nchunks.');
    const whole = new HttpResponseParser();
    expect(whole.push(utf8(text))).toBe(true);
    expect(fromUtf8(whole.response!.body)).toBe('Wikipedia in\r\n\r\nchunks.');
  });

  it('runs a body without length to the close, and marks the connection as closing', () => {
    const p = new HttpResponseParser();
    expect(p.push(utf8('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of '))).toBe(false);
    expect(p.push(utf8('it'))).toBe(false);
    const r = p.end();
    expect(fromUtf8(r.body)).toBe('all of it');
    expect(r.closes).toBe(true);
  });

  it('knows which responses have no body: HEAD, 204, 304; skips 100 Continue', () => {
    const head = new HttpResponseParser('HEAD');
    expect(head.push(utf8('HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n'))).toBe(true);
    expect(head.response!.body.length).toBe(0);
    const noContent = new HttpResponseParser();
    expect(noContent.push(utf8('HTTP/1.1 204 No Content\r\n\r\n'))).toBe(true);
    const interim = new HttpResponseParser('POST');
    expect(
      interim.push(
        utf8(
          'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 303 See Other\r\nLocation: /\r\nContent-Length: 0\r\n\r\n',
        ),
      ),
    ).toBe(true);
    expect(interim.response).toMatchObject({
      status: 303,
      headers: [
        ['Location', '/'],
        ['Content-Length', '0'],
      ],
    });
  });

  it('reads Connection: close on HTTP/1.1 and keep-alive on HTTP/1.0', () => {
    const close = new HttpResponseParser();
    close.push(utf8('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'));
    expect(close.response!.closes).toBe(true);
    const keep = new HttpResponseParser();
    keep.push(utf8('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n'));
    expect(keep.response!.closes).toBe(false);
  });

  it('throws on malformed input: status line, header line, chunk size, missing CRLF, conflicting lengths', () => {
    const bad = [
      'HTTP/2 200 OK\r\n\r\n',
      'HTTP/1.1 20 OK\r\n\r\n',
      'ICY 200 OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n',
      'HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd',
      'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n',
    ];
    for (const text of bad)
      expect(() => new HttpResponseParser().push(utf8(text)), text).toThrow(HttpParseError);
  });

  it('throws when the connection closes before the response or in the middle of a sized body', () => {
    expect(() => new HttpResponseParser().end()).toThrow(/before a response/);
    const cut = new HttpResponseParser();
    cut.push(utf8('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    expect(() => cut.end()).toThrow(/middle of the body/);
    const cutChunk = new HttpResponseParser();
    cutChunk.push(utf8('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab'));
    expect(() => cutChunk.end()).toThrow(/middle of the body/);
  });

  it('gives up on a head that never ends', () => {
    const p = new HttpResponseParser();
    expect(() => p.push(utf8('HTTP/1.1 200 OK\r\nX: ' + 'a'.repeat(70_000)))).toThrow(/too large/);
  });
});
