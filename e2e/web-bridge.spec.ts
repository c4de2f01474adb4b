import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

// The board's web server in the page: the service worker (public/coi-sw.js) hands requests for
// board-http/<host>/<path> to the emulator worker, which carries them over a virtual TCP
// connection in simulated time (src/net/http/http-bridge.ts). The target here is the default
// LAN's .1 host ("gateway"), whose HTTP server serves the document's files and echoes /echo.

const FORM_PAGE =
  '<!doctype html><title>settings</title><h1>Board settings</h1>' +
  '<form method="post" action="/echo"><input name="ssid" value="my net">' +
  '<input name="pass" value="a&amp;b"><button data-testid="save">save</button></form>' +
  '<a href="/index.html?again=1" data-testid="again">again</a>' +
  '<link rel="stylesheet" href="/style.css"><p id="x">no script</p><p id="y"></p>' +
  '<script>fetch("/data.json").then((r) => r.json()).then((j) => (document.getElementById("x").textContent = j.v), (e) => (document.getElementById("x").textContent = String(e)));' +
  'fetch("https://example.com/").then(() => (document.getElementById("y").textContent = "reached"), () => (document.getElementById("y").textContent = "blocked"));</script>';

async function serveFormPage(page: Page) {
  const problems = await page.evaluate((html) => {
    const doc = window.v8266!.doc();
    return window.v8266!.setDocText(
      JSON.stringify({
        ...doc,
        network: {
          ...doc.network,
          http: {
            '/index.html': html,
            '/style.css': 'h1 { color: rgb(1, 2, 3) }',
            '/data.json': '{"v":"from json"}',
          },
        },
      }),
    );
  }, FORM_PAGE);
  expect(problems).toEqual([]);
}

test("@build the web page control shows a virtual host's page in a frame; a form POST round-trips", async ({
  app,
}) => {
  const { page } = app;
  // The page's script tries another origin: the bridged page's policy refuses it.
  app.allowErrors(/https:\/\/example\.com\/.*(violates|Content Security Policy)/);
  await app.open();
  await serveFormPage(page);
  const panel = page.getByTestId('network-panel');
  const web = panel.getByTestId('net-web');
  await web.getByTestId('net-web-host').fill('gateway');
  await web.getByTestId('net-web-path').fill('/index.html');
  await web.getByTestId('btn-net-web-open').click();

  const frame = page.frameLocator('[data-testid="net-web-frame"]');
  await expect(frame.locator('h1')).toHaveText('Board settings', { timeout: 60_000 });
  await expect(frame.locator('#x')).toHaveText('from json');
  await expect(frame.locator('#y')).toHaveText('blocked');
  await expect(frame.locator('h1')).toHaveCSS('color', 'rgb(1, 2, 3)');
  expect(await web.getByTestId('net-web-frame').getAttribute('src')).toMatch(
    /\/board-http\/gateway\/index\.html$/,
  );

  // The form posts to an absolute path of the board's ("/echo"): the worker maps it under the
  // bridge (307 keeps the method and body) and the server echoes what it received.
  await frame.getByTestId('save').click();
  const echoed = frame.locator('body');
  await expect(echoed).toContainText('POST /echo HTTP/1.1', { timeout: 60_000 });
  await expect(echoed).toContainText('Host: gateway');
  await expect(echoed).toContainText(/content-type: application\/x-www-form-urlencoded/i);
  await expect(echoed).toContainText('ssid=my+net&pass=a%26b');
  const inner = page.frames().find((f) => f.url().includes('/board-http/'));
  expect(inner?.url()).toMatch(/\/board-http\/gateway\/echo$/);

  // The same page in a new tab.
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    web.getByTestId('net-web-tab').click(),
  ]);
  await expect(tab.locator('h1')).toHaveText('Board settings', { timeout: 60_000 });
  await tab.getByTestId('again').click();
  await expect(tab).toHaveURL(/\/board-http\/gateway\/index\.html\?again=1$/);
  await expect(tab.locator('h1')).toHaveText('Board settings');
  await tab.close();

  await app.screenshot('web-bridge');
});

// Our own web server firmware (firmware/wifitest/httpd.c) joins the default open AP as
// 192.168.10.50 and serves a form; POST /save answers 303 to /saved, which shows the body.
const HTTPD = [...readFileSync('firmware/wifitest/out/httpd.bin')];

test("@build the board's own web server in the frame: its form posts, the 303 redirect stays on the board", async ({
  app,
}) => {
  const { page } = app;
  await app.open();
  await page.evaluate((bytes) => {
    window.v8266!.clearSerial();
    return window.v8266!.load([{ name: 'httpd.bin', bytes }]);
  }, HTTPD);
  await expect
    .poll(() => page.evaluate(() => window.v8266!.serialText()), { timeout: 60_000 })
    .toContain('serving http://192.168.10.50/');
  const web = page.getByTestId('net-web');
  await web.getByTestId('net-web-host').fill('192.168.10.50');
  await web.getByTestId('btn-net-web-open').click();
  const frame = page.frameLocator('[data-testid="net-web-frame"]');
  await expect(frame.locator('h1')).toHaveText('ESP8266 web server', { timeout: 60_000 });
  await frame.locator('input[name="name"]').fill('kitchen & hall');
  await frame.getByRole('button', { name: 'save' }).click();
  await expect(frame.locator('h1')).toHaveText('Saved', { timeout: 60_000 });
  await expect(frame.locator('#saved')).toHaveText('name=kitchen+%26+hall');
  const inner = page.frames().find((f) => f.url().includes('/board-http/'));
  expect(inner?.url()).toMatch(/\/board-http\/192\.168\.10\.50\/saved$/);
  const serial = (await page.evaluate(() => window.v8266!.serialText())).replace(/\r\n/g, '\n');
  expect(serial).toContain('http: GET / HTTP/1.1 from 192.168.10.250');
  expect(serial).toContain('http: POST /save HTTP/1.1 from 192.168.10.250\nsaved: 21 bytes');
  expect(serial).toContain('http: GET /saved HTTP/1.1 from 192.168.10.250');
});

test('@build the bridge refuses hosts outside the virtual network and never fetches them', async ({
  app,
}) => {
  const { page } = app;
  // The browser reports the refusals (status 502) on the console, as it does any error status.
  app.allowErrors(/status of 502 \((Unknown virtual host|Not on the virtual network)\)/);
  await app.open();
  // Nothing may leave the page for another origin (the bridge would have to fetch it).
  const outside: string[] = [];
  page.context().on('request', (r) => {
    if (!r.url().startsWith(new URL(page.url()).origin)) outside.push(r.url());
  });
  const web = page.getByTestId('net-web');
  await web.getByTestId('net-web-host').fill('example.com');
  await web.getByTestId('btn-net-web-open').click();
  const frame = page.frameLocator('[data-testid="net-web-frame"]');
  await expect(frame.locator('h1')).toHaveText('Unknown virtual host', { timeout: 60_000 });

  const answers = await page.evaluate(async () => {
    const get = async (path: string) => {
      const r = await fetch(path);
      return { status: r.status, bridge: r.headers.get('x-v8266-bridge'), text: await r.text() };
    };
    return {
      outside: await get('board-http/8.8.8.8/'),
      lan: await get('board-http/192.168.10.1/'),
    };
  });
  expect(answers.outside.status).toBe(502);
  expect(answers.outside.bridge).toBe('error');
  expect(answers.outside.text).toContain('Not on the virtual network');
  expect(answers.lan.status).toBe(200);
  expect(answers.lan.text).toContain('v8266 LAN 0');
  expect(outside).toEqual([]);
});

test('a file chosen in the network panel is served by the LAN host, byte for byte (an OTA image)', async ({
  app,
}) => {
  const { page } = app;
  // The removed file's 404 is reported on the console, as any error status is.
  app.allowErrors(/status of 404/);
  await app.open();
  // 300 KB of bytes no text round trip would survive, like a firmware image.
  const image = Buffer.alloc(300_000);
  for (let i = 0; i < image.length; i++) image[i] = (i * 7 + (i >> 8)) & 0xff;
  const panel = page.getByTestId('network-panel');
  await panel.getByTestId('net-served-input').setInputFiles({
    name: 'user2.bin',
    mimeType: 'application/octet-stream',
    buffer: image,
  });
  await expect(panel.getByTestId('net-served-file')).toContainText(
    'http://192.168.10.1/user2.bin · 300,000 bytes',
  );
  // The bridge (service worker) fetches it the way the firmware would, over virtual TCP.
  const web = page.getByTestId('net-web');
  await web.getByTestId('net-web-host').fill('gateway');
  await web.getByTestId('btn-net-web-open').click();
  const frame = page.frameLocator('[data-testid="net-web-frame"]');
  await expect(frame.locator('body')).toContainText('gateway 192.168.10.1', { timeout: 60_000 });
  const got = await page.evaluate(async () => {
    const r = await fetch('board-http/gateway/user2.bin');
    return { status: r.status, bytes: [...new Uint8Array(await r.arrayBuffer())] };
  });
  expect(got.status).toBe(200);
  expect(Buffer.from(got.bytes).equals(image)).toBe(true);
  // Removed: the host answers 404.
  await panel.getByTestId('net-served-remove').click();
  await expect(panel.getByTestId('net-served-file')).toHaveCount(0);
  const gone = await page.evaluate(
    async () => (await fetch('board-http/gateway/user2.bin')).status,
  );
  expect(gone).toBe(404);
});
