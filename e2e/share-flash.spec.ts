import type { Browser, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures.ts';

// Share links and board files carry the flash contents and the hand-driven pins.

const serialText = (page: Page) => page.evaluate(() => window.v8266!.serialText());
const READY = 'v8266 demo ready';
const sha = (page: Page) => page.evaluate(() => window.v8266!.flashSha256());

/**
 * The demo counts its boots in flash, so a board opened from a link or file rewrites that sector
 * while it boots: tests compare flash after one boot on both sides. Resets the sender (boot 1 so
 * far) and returns its flash digest once it printed boot 2.
 */
async function flashAfterOneMoreBoot(page: Page, before: string | null): Promise<string | null> {
  await page.evaluate(() => window.v8266!.reset());
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('boot 2 (flash)');
  const after = await sha(page);
  expect(after).not.toBe(before);
  return after;
}

async function openFresh(browser: Browser, baseURL: string, url: string) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  return { context, page, go: () => page.goto(url) };
}

async function waitForApp(page: Page) {
  await expect
    .poll(() => page.evaluate(() => window.v8266 !== undefined).catch(() => false), {
      timeout: 60_000,
    })
    .toBe(true);
}

async function shareUrl(page: Page): Promise<string> {
  await page.getByTestId('btn-share').click();
  await expect(page.getByTestId('share-flash')).toBeEnabled({ timeout: 30_000 });
  return page.getByTestId('share-url').inputValue();
}

test('@build a share link carries the flash and the hand-driven pins to a fresh browser', async ({
  app,
  browser,
}, info) => {
  test.setTimeout(300_000);
  const { page } = app;
  await app.open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  // What a firmware would have written, far from the image.
  await page.evaluate(() => window.v8266!.pokeFlash(0x3f0000, [0x76, 0x38, 0x32, 0x36, 0x36]));
  await page.evaluate(() => window.v8266!.driveGpio(5, 1));
  const digest = await sha(page);
  const url = await shareUrl(page);
  expect(url).toMatch(/#b=[\w-]+&f=[\w-]+&p=5h$/);
  expect(url.length).toBeLessThan(16 * 1024);
  // Esc closes the popover; the address bar keeps the link.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('share-popover')).toHaveCount(0);
  // The demo counts its boots in flash: any board opened from this link rewrites that sector as it
  // boots, so both sides are compared after one boot (polling for the pre-boot digest races it).
  const digestAfterBoot = await flashAfterOneMoreBoot(page, digest);

  const fresh = await openFresh(browser, String(info.project.use.baseURL), url);
  await fresh.go();
  await waitForApp(fresh.page);
  // The demo boots from the shared flash: its boot counter goes on from the sender's.
  await expect.poll(() => serialText(fresh.page), { timeout: 60_000 }).toContain('boot 2 (flash)');
  await expect.poll(() => sha(fresh.page), { timeout: 60_000 }).toBe(digestAfterBoot);
  await expect
    .poll(() => fresh.page.evaluate(() => window.v8266!.status().gpioHostDrive[5]))
    .toBe(1);
  // It is saved in the fresh browser: a reload keeps it (and does not make another copy).
  await fresh.page.evaluate(() => window.v8266!.persistNow());
  await fresh.page.reload();
  await waitForApp(fresh.page);
  await expect.poll(() => serialText(fresh.page), { timeout: 60_000 }).toContain('boot 3 (flash)');
  expect(await fresh.page.evaluate(() => window.v8266!.savedBoards().then((b) => b.length))).toBe(
    1,
  );
  await fresh.context.close();
});

test('too big for a link: the link names the board file by SHA-256 and URL; a wrong file is refused', async ({
  app,
  browser,
}, info) => {
  test.setTimeout(300_000);
  const { page } = app;
  await app.open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  // 2 MB of incompressible data.
  await page.evaluate(async () => {
    let x = 12345;
    const bytes = new Array<number>(0x200000);
    for (let i = 0; i < bytes.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      bytes[i] = x >>> 24;
    }
    await window.v8266!.pokeFlash(0x101000, bytes); // past the demo's boot-counter sector
  });
  const digest = await sha(page);
  await page.getByTestId('btn-share').click();
  await expect(page.getByTestId('share-flash')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('share-popover')).toContainText('too big for a link');
  const download = page.waitForEvent('download');
  await page.getByTestId('share-download').click();
  const file = await (await download).path();
  await page.getByTestId('share-file-url').fill('/shared/board.v8266');
  const url = await page.getByTestId('share-url').inputValue();
  expect(url).toMatch(/&fh=[0-9a-f]{64}&fu=%2Fshared%2Fboard\.v8266/);
  expect(url.length).toBeLessThan(8 * 1024);
  const { readFileSync } = await import('node:fs');
  const bytes = readFileSync(file);
  const digestAfterBoot = await flashAfterOneMoreBoot(page, digest);

  // The file where the link says: used once its SHA-256 matches.
  const fresh = await openFresh(browser, String(info.project.use.baseURL), url);
  await fresh.context.route('**/shared/board.v8266', (route) =>
    route.fulfill({ body: bytes, headers: { 'Cross-Origin-Resource-Policy': 'same-origin' } }),
  );
  await fresh.go();
  await waitForApp(fresh.page);
  await expect.poll(() => serialText(fresh.page), { timeout: 60_000 }).toContain('boot 2 (flash)');
  await expect.poll(() => sha(fresh.page), { timeout: 60_000 }).toBe(digestAfterBoot);
  await fresh.context.close();

  // Another file at that URL: refused with a message; the board runs its firmware instead.
  const other = await openFresh(browser, String(info.project.use.baseURL), url);
  const altered = Buffer.from(bytes);
  altered[altered.length - 1] ^= 1;
  await other.context.route('**/shared/board.v8266', (route) =>
    route.fulfill({ body: altered, headers: { 'Cross-Origin-Resource-Policy': 'same-origin' } }),
  );
  await other.go();
  await waitForApp(other.page);
  await expect(other.page.getByTestId('notice')).toContainText('SHA-256');
  await other.context.close();
});

test('a link with altered flash contents shows the error and the default board', async ({
  app,
}) => {
  const { page } = app;
  await app.open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  const url = await shareUrl(page);
  const broken = url.replace(/&f=([\w-]{10})/, '&f=AAAAAAAAAA');
  await page.goto('about:blank');
  await page.goto(broken);
  await waitForApp(page);
  await expect(page.getByTestId('notice')).toContainText('could not be opened');
  await expect(page.getByTestId('notice')).toContainText('flash contents');
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
});

test('download board file, then open board file in a fresh browser', async ({
  app,
  browser,
}, info) => {
  const { page } = app;
  await app.open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  await page.evaluate(() => window.v8266!.pokeFlash(0x200000, [1, 2, 3]));
  const digest = await sha(page);
  await page.getByTestId('btn-share').click();
  await expect(page.getByTestId('share-flash')).toBeEnabled({ timeout: 60_000 });
  const download = page.waitForEvent('download');
  await page.getByTestId('share-download').click();
  const { readFileSync } = await import('node:fs');
  const bytes = readFileSync(await (await download).path());
  const digestAfterBoot = await flashAfterOneMoreBoot(page, digest);
  // "Open board file": the downloaded file in a fresh browser, no link needed.
  const opener = await openFresh(browser, String(info.project.use.baseURL), './');
  await opener.go();
  await waitForApp(opener.page);
  const loaded = opener.page.waitForEvent('load', { timeout: 60_000 });
  await opener.page.getByTestId('file-input').setInputFiles({
    name: 'lesson.v8266',
    mimeType: 'application/octet-stream',
    buffer: bytes,
  });
  await loaded;
  await waitForApp(opener.page);
  await expect.poll(() => serialText(opener.page), { timeout: 60_000 }).toContain('boot 2 (flash)');
  await expect.poll(() => sha(opener.page), { timeout: 60_000 }).toBe(digestAfterBoot);
  expect(
    await opener.page.evaluate(() => window.v8266!.savedBoards().then((b) => b.map((x) => x.name))),
  ).toContain('lesson');
  await opener.context.close();
});

test('a link with the running machine opens it where it was, without booting again', async ({
  app,
  browser,
}, info) => {
  test.setTimeout(300_000);
  const { page } = app;
  await app.open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  await page.evaluate(() => window.v8266!.pokeFlash(0x3f0000, [0x76, 0x38, 0x32, 0x36, 0x36]));
  await page.getByTestId('btn-share').click();
  const machine = page.getByTestId('share-snapshot');
  await expect(machine).toBeEnabled({ timeout: 30_000 });
  await machine.check();
  const url = await page.getByTestId('share-url').inputValue();
  expect(url).toMatch(/#b=[\w-]+&s=[\w-]+$/);
  expect(url).not.toContain('&f=');
  await page.keyboard.press('Escape');

  const fresh = await openFresh(browser, String(info.project.use.baseURL), url);
  await fresh.go();
  await waitForApp(fresh.page);
  await expect
    .poll(() => fresh.page.evaluate(() => window.v8266!.state().then((s) => s.runState)), {
      timeout: 60_000,
    })
    .toBe('running');
  // It carries on: the demo's echo answers, and nothing booted (no ROM banner, no boot line).
  await fresh.page.evaluate(() => window.v8266!.typeSerial('echo from the link\r'));
  await expect
    .poll(() => serialText(fresh.page), { timeout: 60_000 })
    .toContain('echo from the link');
  const text = await serialText(fresh.page);
  expect(text).not.toContain('ets Jan');
  expect(text).not.toContain('boot 1 (flash)');
  // The flash came with it (the poke and the demo's boot count 1: a reset is boot 2).
  expect(await fresh.page.evaluate(() => window.v8266!.readFlash(0x3f0000, 5))).toEqual([
    0x76, 0x38, 0x32, 0x36, 0x36,
  ]);
  await fresh.page.evaluate(() => window.v8266!.reset());
  await expect.poll(() => serialText(fresh.page), { timeout: 60_000 }).toContain('boot 2 (flash)');
  await fresh.context.close();
});

test('a link whose machine is altered shows the error and opens the default board', async ({
  app,
}) => {
  test.setTimeout(300_000);
  const { page } = app;
  await app.open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  await page.getByTestId('btn-share').click();
  await expect(page.getByTestId('share-snapshot')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('share-snapshot').check();
  const url = await page.getByTestId('share-url').inputValue();
  // Flip one character inside the snapshot.
  const at = url.indexOf('&s=') + 200;
  const altered = url.slice(0, at) + (url[at] === 'A' ? 'B' : 'A') + url.slice(at + 1);
  // A new tab: in this one only the fragment would change, which does not reload the page.
  const other = await page.context().newPage();
  await other.goto(altered);
  await waitForApp(other);
  await expect(other.getByTestId('notice')).toContainText("the link's machine");
  await expect(other.getByTestId('notice')).toContainText('default demo board');
  await expect.poll(() => serialText(other), { timeout: 60_000 }).toContain(READY);
  await other.close();
});

test('a link naming its board file without a URL asks for the file, and takes only that one', async ({
  app,
  browser,
}, info) => {
  test.setTimeout(300_000);
  const { page } = app;
  await app.open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  await page.evaluate(() => window.v8266!.pokeFlash(0x200000, [4, 5, 6]));
  const digest = await sha(page);
  const url = await shareUrl(page);
  const download = page.waitForEvent('download');
  await page.getByTestId('share-download').click();
  const { readFileSync } = await import('node:fs');
  const { createHash } = await import('node:crypto');
  const bytes = readFileSync(await (await download).path());
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // What the page writes when the user gives no URL: the SHA-256 alone in place of the flash.
  const link = url.replace(/&f=[\w-]+/, `&fh=${sha256}`);
  expect(link).toContain(`&fh=${sha256}`);
  expect(link).not.toContain('&fu=');
  const digestAfterBoot = await flashAfterOneMoreBoot(page, digest);

  const fresh = await openFresh(browser, String(info.project.use.baseURL), link);
  await fresh.go();
  await waitForApp(fresh.page);
  await expect(fresh.page.getByTestId('notice')).toContainText('open board file');
  await expect(fresh.page.getByTestId('notice')).toContainText(sha256.slice(0, 16));
  // Meanwhile the document's firmware runs (a load clears the file error line when it ends).
  await expect.poll(() => serialText(fresh.page), { timeout: 60_000 }).toContain(READY);
  // Another (valid) board file is refused, saying why; the page stays as it is.
  const other = Buffer.from(bytes);
  const mac = other.indexOf('18:fe:34:a1:b2:c3');
  expect(mac).toBeGreaterThan(0);
  other[mac + 16] = '4'.charCodeAt(0);
  await fresh.page.getByTestId('file-input').setInputFiles({
    name: 'other.v8266',
    mimeType: 'application/octet-stream',
    buffer: other,
  });
  await expect(fresh.page.getByTestId('drop-error')).toContainText(
    'is not the board file the link names',
  );
  // The named one opens: its flash boots.
  const loaded = fresh.page.waitForEvent('load', { timeout: 60_000 });
  await fresh.page.getByTestId('file-input').setInputFiles({
    name: 'lesson.v8266',
    mimeType: 'application/octet-stream',
    buffer: bytes,
  });
  await loaded;
  await waitForApp(fresh.page);
  await expect.poll(() => serialText(fresh.page), { timeout: 60_000 }).toContain('boot 2 (flash)');
  await expect.poll(() => sha(fresh.page), { timeout: 60_000 }).toBe(digestAfterBoot);
  await fresh.context.close();
});

test('a firmware loaded while the page is still starting waits for it: the start-up does not load the demo over it', async ({
  app,
  browser,
}, info) => {
  const { page } = app;
  await app.open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  // A link whose flash is a board file elsewhere: the page's start-up waits for that fetch, which
  // the test holds, while the automation (like a drop) is already there.
  const url = (await shareUrl(page)).replace(/&f=[^&]*/, `&fh=${'0'.repeat(64)}&fu=%2Fheld.v8266`);
  expect(url).toContain('&fu=');
  const fresh = await openFresh(browser, String(info.project.use.baseURL), url);
  let release: () => void = () => undefined;
  const requested = new Promise<void>((resolve) => {
    void fresh.context.route('**/held.v8266', async (route) => {
      resolve();
      await new Promise<void>((r) => (release = r));
      await route.fulfill({ status: 404, body: 'not here' });
    });
  });
  await fresh.go();
  await waitForApp(fresh.page);
  await requested;
  const httpd = [...readFileSync('firmware/wifitest/out/httpd.bin')];
  const loaded = fresh.page.evaluate((bytes) => {
    (window as unknown as { loadIssued: boolean }).loadIssued = true;
    return window.v8266!.load([{ name: 'httpd.bin', bytes }]);
  }, httpd);
  await expect
    .poll(() =>
      fresh.page.evaluate(() => (window as unknown as { loadIssued?: boolean }).loadIssued),
    )
    .toBe(true);
  release();
  await loaded;
  await expect
    .poll(() => serialText(fresh.page), { timeout: 60_000 })
    .toContain('serving http://192.168.10.50/');
  // Whatever booted before it, nothing boots after the loaded firmware.
  const serial = await serialText(fresh.page);
  expect(serial.slice(serial.lastIndexOf('serving http://'))).not.toContain(READY);
  expect(await fresh.page.evaluate(() => window.v8266!.doc().firmware)).toMatchObject({
    name: 'httpd.bin',
  });
  await fresh.context.close();
});
