import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

// Saved boards (IndexedDB): what the firmware wrote survives a reload, commits are atomic, and
// the boards can be listed, opened, renamed and deleted.

const serialText = (page: Page) => page.evaluate(() => window.v8266!.serialText());
const READY = 'v8266 demo ready';

/** Click something that reloads the page, and wait for the new page's app. */
async function clickAndReload(page: Page, click: () => Promise<void>) {
  const loaded = page.waitForEvent('load', { timeout: 60_000 });
  await click();
  await loaded;
  await waitForApp(page);
}

async function waitForApp(page: Page) {
  await expect
    .poll(() => page.evaluate(() => window.v8266 !== undefined).catch(() => false), {
      timeout: 60_000,
    })
    .toBe(true);
}

test('@build what the firmware wrote to flash survives a reload', async ({ app }) => {
  test.setTimeout(180_000);
  const { page } = app;
  await app.open();
  // The demo counts its boots in flash.
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('boot 1 (flash)');
  await page.evaluate(() => window.v8266!.reset());
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('boot 2 (flash)');
  await page.evaluate(() => window.v8266!.persistNow());
  const before = await page.evaluate(() => window.v8266!.savedBoards());
  expect(before).toHaveLength(1);
  expect(before[0]).toMatchObject({ current: true, flashSize: 0x400000 });

  await page.reload();
  await waitForApp(page);
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('boot 3 (flash)');
  expect(await serialText(page)).not.toContain('boot 1 (flash)');
  expect(await page.evaluate(() => window.v8266!.savedBoards())).toHaveLength(1);
});

test('erase flash is explicit and is saved; the saved flash is byte-exact', async ({ app }) => {
  test.setTimeout(180_000);
  const { page } = app;
  await app.open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('btn-erase').click();
  await expect
    .poll(() => page.evaluate(() => window.v8266!.state().then((s) => s.firmware?.name)))
    .toBe('erased flash');
  await page.evaluate(() => window.v8266!.pokeFlash(0x123456, [1, 2, 3, 0, 0xff, 7]));
  await page.evaluate(() => window.v8266!.persistNow());
  const digest = await page.evaluate(() => window.v8266!.flashSha256());
  await page.reload();
  await waitForApp(page);
  await expect.poll(() => page.evaluate(() => window.v8266!.flashSha256())).toBe(digest);
  expect(await page.evaluate(() => window.v8266!.readFlash(0x123455, 8))).toEqual([
    0xff, 1, 2, 3, 0, 0xff, 7, 0xff,
  ]);
});

test('saved boards: new, rename, open, delete, forget; the menu closes on Esc and outside', async ({
  app,
}) => {
  test.setTimeout(180_000);
  const { page } = app;
  await app.open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  // Make the first board recognisable, then start a second one.
  await page.evaluate(() => {
    const d = window.v8266!.doc();
    window.v8266!.setDocText(JSON.stringify({ ...d, mac: '5c:cf:7f:00:00:01' }));
  });
  await page.evaluate(() => window.v8266!.persistNow());

  const menu = page.getByTestId('boards-menu');
  await page.getByTestId('btn-boards').click();
  await expect(menu).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await page.getByTestId('btn-boards').click();
  await expect(menu).toBeVisible();
  await page.getByTestId('terminal').click({ position: { x: 5, y: 5 } });
  await expect(menu).toHaveCount(0);

  await page.getByTestId('btn-boards').click();
  page.once('dialog', (d) => void d.accept('Lesson 1'));
  await page.getByTestId('saved-board-rename').click();
  await expect(page.getByTestId('saved-board-open')).toHaveText('Lesson 1');

  await clickAndReload(page, () => page.getByTestId('btn-new-board').click());
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  expect((await page.evaluate(() => window.v8266!.doc())).mac).toBe('18:fe:34:a1:b2:c3');
  await expect
    .poll(() => page.evaluate(() => window.v8266!.savedBoards().then((b) => b.length)))
    .toBe(2);

  // Open the first again: its document comes back.
  await page.getByTestId('btn-boards').click();
  await clickAndReload(page, () =>
    page.getByTestId('saved-board-open').filter({ hasText: 'Lesson 1' }).click(),
  );
  await expect.poll(() => page.evaluate(() => window.v8266!.doc().mac)).toBe('5c:cf:7f:00:00:01');

  // Delete the other one, then forget this one: a fresh board opens.
  await page.getByTestId('btn-boards').click();
  const other = page.getByTestId('saved-board').filter({ hasNotText: 'Lesson 1' });
  page.once('dialog', (d) => void d.accept());
  await other.getByTestId('saved-board-delete').click();
  await expect(page.getByTestId('saved-board')).toHaveCount(1);
  page.once('dialog', (d) => void d.accept());
  await clickAndReload(page, () => page.getByTestId('btn-forget-board').click());
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('boot 1 (flash)');
  const boards = await page.evaluate(() => window.v8266!.savedBoards());
  expect(boards.map((b) => b.name)).not.toContain('Lesson 1');
});

/**
 * Killing the tab in the middle of writes never loses or tears a commit. Each round opens a fresh
 * page on the saved board, checks every byte of the flash against the last generation it wrote
 * (sixteen 4 KB sectors, all of one generation, the rest erased), then writes and commits new
 * generations in a loop and crashes the renderer (CDP Page.crash) part-way. The issue asks for
 * 100 rounds: `V8266_KILL_ROUNDS=100 npx playwright test persist -g killed` (about 10 minutes
 * on a loaded 2-core machine); CI runs 4.
 */
const KILL_ROUNDS = Number(process.env.V8266_KILL_ROUNDS ?? 4);
const SECTORS = 16;
const BASE = 0x100000;

test('a tab killed during writes loses nothing committed and tears nothing', async ({
  app,
  context,
}) => {
  test.setTimeout(120_000 + KILL_ROUNDS * 30_000);
  const { page } = app;
  await app.open('');
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('btn-erase').click();
  await expect
    .poll(() => page.evaluate(() => window.v8266!.state().then((s) => s.firmware?.name)))
    .toBe('erased flash');
  await page.evaluate(() => window.v8266!.persistNow());
  const url = page.url();
  await page.close();

  let acknowledged = 0;
  for (let round = 0; round < KILL_ROUNDS; round++) {
    const tab = await context.newPage();
    await tab.goto(url);
    await waitForApp(tab);
    await expect
      .poll(() => tab.evaluate(() => window.v8266!.state().then((s) => s.firmware?.flashSize)))
      .toBe(0x400000);
    // Every byte: the test sectors hold one generation g >= the last acknowledged commit, the
    // rest of the chip is erased.
    const check = await tab.evaluate(
      async ({ base, sectors }) => {
        const all = await window.v8266!.readFlash(0, 0x400000);
        // 0xFFFF: still erased (generation 0).
        const g = (all[base + 2] | (all[base + 3] << 8)) % 0xffff;
        let bad = 0;
        for (let i = 0; i < all.length; i++) {
          const inTest = i >= base && i < base + sectors * 4096;
          let want = 0xff;
          if (inTest && g > 0) {
            const k = i - base;
            want = k % 4096 === 2 ? g & 0xff : k % 4096 === 3 ? g >> 8 : (k * 7 + g) & 0xff;
          }
          if (all[i] !== want) bad++;
        }
        return { g, bad };
      },
      { base: BASE, sectors: SECTORS },
    );
    expect(check.bad, `round ${round}: bytes that differ from generation ${check.g}`).toBe(0);
    expect(check.g, `round ${round}`).toBeGreaterThanOrEqual(acknowledged);
    // Write new generations until killed.
    await tab.evaluate(
      ({ base, sectors, from }) => {
        const w = window as unknown as { acked: number };
        w.acked = from;
        void (async () => {
          for (let g = from + 1; ; g++) {
            const bytes = new Array<number>(sectors * 4096);
            for (let k = 0; k < bytes.length; k++) {
              bytes[k] = k % 4096 === 2 ? g & 0xff : k % 4096 === 3 ? g >> 8 : (k * 7 + g) & 0xff;
            }
            await window.v8266!.pokeFlash(base, bytes);
            await window.v8266!.persistNow();
            w.acked = g;
          }
        })();
      },
      { base: BASE, sectors: SECTORS, from: check.g },
    );
    const target = check.g + 1 + (round % 4);
    await expect
      .poll(() => tab.evaluate(() => (window as unknown as { acked: number }).acked))
      .toBeGreaterThanOrEqual(target);
    acknowledged = await tab.evaluate(() => (window as unknown as { acked: number }).acked);
    const cdp = await context.newCDPSession(tab);
    void cdp.send('Page.crash').catch(() => undefined);
    await tab.waitForEvent('crash').catch(() => undefined);
    await tab.close().catch(() => undefined);
  }
});
