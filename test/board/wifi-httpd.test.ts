/**
 * The board's own web server (firmware/wifitest/httpd.c: a few hundred lines of ARP and TCP of
 * its own over the MAC registers) joined to a virtual AP, reached through the page's web bridge
 * (src/net/http/http-bridge.ts) from the LAN's "tab" host: what the page's frame shows.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createBoard } from '../../src/board/board.ts';
import { fromUtf8, utf8 } from '../../src/net/ip/bytes.ts';
import {
  HttpBridge,
  type BridgeRequest,
  type BridgeResponse,
} from '../../src/net/http/http-bridge.ts';
import { headerValue } from '../../src/net/http/http-codec.ts';
import { NetworkWorld } from '../../src/net/world.ts';

it('serves its page, takes a form POST, redirects with 303 and shows what was posted', () => {
  const board = createBoard({
    flash: readFileSync(new URL('../../firmware/wifitest/out/httpd.bin', import.meta.url)),
  });
  const world = new NetworkWorld(board.soc.clock, { aps: [{ ssid: 'v8266-open', channel: 1 }] });
  world.attachBoard(board.soc.wifi);
  let raw = '';
  board.listen({ uartTx: (n, b) => n === 0 && (raw += String.fromCharCode(b)) });
  board.powerOn();
  while (board.seconds < 5 && !raw.includes('serving')) board.runUntil(board.seconds + 0.01);
  expect(raw).toContain('httpd: joined "v8266-open" on channel 1, serving http://192.168.10.50/');

  const bridge = new HttpBridge(world);
  const fetch = (request: Partial<BridgeRequest>): BridgeResponse => {
    let response: BridgeResponse | undefined;
    bridge.request(
      {
        method: 'GET',
        host: '192.168.10.50',
        target: '/',
        headers: [],
        prefix: '/board-http/',
        ...request,
      },
      (r) => (response = r),
    );
    const end = board.seconds + 40;
    while (!response && board.seconds < end) board.runUntil(board.seconds + 0.001);
    expect(response, `${request.method ?? 'GET'} ${request.target ?? '/'}`).toBeDefined();
    return response!;
  };

  const page = fetch({});
  expect([page.status, page.statusText]).toEqual([200, 'OK']);
  expect(fromUtf8(page.body)).toContain('<form method="post" action="/save">');
  const post = fetch({
    method: 'POST',
    target: '/save',
    headers: [['Content-Type', 'application/x-www-form-urlencoded']],
    body: utf8('name=my+board%21'),
  });
  expect(post.status).toBe(303);
  expect(headerValue(post.headers, 'location')).toBe('/board-http/192.168.10.50/saved');
  const saved = fetch({ target: '/saved' });
  expect(fromUtf8(saved.body)).toContain('<p id="saved">name=my+board%21');
  expect(fetch({ target: '/nothing' }).status).toBe(404);
  expect(raw.replace(/\r\n/g, '\n')).toContain(
    [
      'http: GET / HTTP/1.1 from 192.168.10.250',
      'http: POST /save HTTP/1.1 from 192.168.10.250',
      'saved: 16 bytes',
      'http: GET /saved HTTP/1.1 from 192.168.10.250',
      'http: GET /nothing HTTP/1.1 from 192.168.10.250',
    ].join('\n'),
  );
});
