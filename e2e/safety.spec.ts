import { deflateSync, strToU8 } from 'fflate';
import type { Page } from '@playwright/test';
import { expect, loadCommitted, test } from './fixtures.ts';

// Crafted links and names: refused with a message, nothing runs, the default board opens.

const serialText = (page: Page) => page.evaluate(() => window.v8266!.serialText());
const READY = 'v8266 demo ready';

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

function linkFor(doc: unknown): string {
  return `#b=${b64url(deflateSync(strToU8(JSON.stringify(doc)), { level: 9 }))}`;
}

const baseDoc = {
  version: 1,
  board: 'nodemcu-v1',
  flashSize: '4M',
  mac: '18:fe:34:a1:b2:c3',
  pacing: 'realtime',
  parts: [],
};

test('a link whose embedded firmware inflates to 256 MB is refused while it inflates', async ({
  app,
}) => {
  const { page } = app;
  const bomb = deflateSync(new Uint8Array(256 << 20), { level: 9 });
  const link = linkFor({
    ...baseDoc,
    firmware: {
      kind: 'embedded',
      name: 'bomb.bin',
      parts: [{ offset: '0x0', data: b64url(bomb) }],
    },
  });
  expect(link.length).toBeLessThan(16 * 1024);
  await app.open(link);
  await expect(page.getByTestId('drop-error')).toContainText('too much data');
  // Nothing was flashed: the page's own heap never held the inflated bytes.
  expect(await page.evaluate(() => window.v8266!.state().then((s) => s.firmware))).toBeNull();
});

test('a link naming //host firmware is refused and the default board opens', async ({ app }) => {
  const { page } = app;
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await app.open(linkFor({ ...baseDoc, firmware: { kind: 'url', url: '//evil.example/fw.bin' } }));
  await expect(page.getByTestId('notice')).toContainText('absolute https');
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  expect(requests.filter((u) => u.includes('evil.example'))).toEqual([]);
});

test('file names and serial text stay text', async ({ app }) => {
  const { page } = app;
  const name = '<img src=x onerror="window.__pwned=1">.bin';
  await app.open(linkFor({ ...baseDoc, firmware: { kind: 'local', name } }));
  await expect(page.getByTestId('notice')).toContainText(name);
  await page.evaluate(() => window.v8266!.typeSerial('<img src=y onerror="window.__pwned=2">'));
  // A name that is not an image at all is refused, with the name shown as written.
  await page
    .evaluate((n) => window.v8266!.load([{ name: n, bytes: [1, 2, 3, 4] }]), name)
    .catch(() => undefined);
  await expect(page.getByTestId('drop-error')).toBeVisible();
  expect(await page.locator('img[src="x"], img[src="y"]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBe(
    undefined,
  );
});

test('SSIDs from a link stay text: the panel, the board joining, a station, the packet list', async ({
  app,
}) => {
  const { page } = app;
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const joined = '<img src=x onerror=alert(1)>';
  const other = '<svg onload=alert(2)>';
  await app.open(
    linkFor({
      ...baseDoc,
      network: {
        aps: [
          { ssid: joined, channel: 1 },
          { ssid: other, passphrase: 'esp8266rocks', channel: 6 },
        ],
        stations: [{ name: 'phone', ssid: joined }],
      },
    }),
  );
  const panel = page.getByTestId('network-panel');
  await expect(panel.getByTestId('net-ap').nth(0)).toContainText(joined);
  await expect(panel.getByTestId('net-ap').nth(1)).toContainText(other);
  // Our station firmware joins the first open AP that answers its probe (firmware/wifitest/join.c).
  await loadCommitted(page, 'firmware/wifitest/out/join.bin');
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('done');
  await expect(panel.getByTestId('net-board-assoc')).toContainText(`associated to "${joined}"`);
  await expect(panel.getByTestId('net-sta').getByTestId('net-sta-log')).toContainText(
    `joined "${joined}"`,
    { timeout: 60_000 },
  );
  await expect(panel.getByTestId('net-packets')).toContainText(`Association request "${joined}"`);
  expect(await page.locator('img[src="x"], svg[onload]').count()).toBe(0);
  expect(dialogs).toEqual([]);
});

test('a board file the link names is not fetched through a redirect: it says so, nothing comes from elsewhere', async ({
  app,
}) => {
  const { page } = app;
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.route('**/shared/board.v8266', (route) =>
    route.fulfill({ status: 302, headers: { Location: 'https://evil.example/board.v8266' } }),
  );
  await app.open(`${linkFor(baseDoc)}&fh=${'ab'.repeat(32)}&fu=%2Fshared%2Fboard.v8266`);
  await expect(page.getByTestId('notice')).toContainText(
    "/shared/board.v8266 redirects elsewhere, and a link's file is fetched only from the address the link names",
  );
  await expect(page.getByTestId('notice')).toContainText('open board file');
  expect(requests.filter((u) => u.includes('evil.example'))).toEqual([]);
});

test('@build the production page runs under a strict Content-Security-Policy', async ({
  app,
}, info) => {
  test.skip(
    info.project.name === 'dev',
    'the dev server sends no policy (React refresh is inline)',
  );
  const { page } = app;
  await app.open();
  const policy = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  expect(policy).toContain("script-src 'self'");
  expect(policy).not.toMatch(/script-src[^;]*unsafe/);
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  // The lazily loaded editor (monaco, its JSON worker, its styles) works under the policy; any
  // violation would be a console error, which fails the test.
  await page.getByTestId('btn-editor').click();
  await expect(page.getByTestId('board-editor').locator('.monaco-editor')).toBeVisible({
    timeout: 60_000,
  });
});
