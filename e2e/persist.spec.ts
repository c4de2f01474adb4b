import type { Page } from '@playwright/test';
import { expect, firmwareBytes, test } from './fixtures.ts';

// Saved boards (IndexedDB): what the firmware wrote survives a reload, commits are atomic, and
// the boards can be listed, opened, renamed and deleted.

const serialText = (page: Page) => page.evaluate(() => window.v8266!.serialText());
const READY = 'v8266 demo ready';
/** Poll every 100 ms rather than backing off to once a second: the kill test's rounds wait a lot. */
const QUICK = [100];

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
      intervals: QUICK,
    })
    .toBe(true);
}

test('@build what the firmware wrote to flash survives a reload', async ({ app }) => {
  test.setTimeout(300_000);
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
  test.setTimeout(300_000);
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
  test.setTimeout(300_000);
  const { page } = app;
  await app.open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  // Make the first board recognisable, then start a second one.
  await page.evaluate(() => {
    const d = window.v8266!.doc();
    return window.v8266!.setDocText(JSON.stringify({ ...d, mac: '5c:cf:7f:00:00:01' }));
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
 * Killing the tab in the middle of flash writes never loses or tears a commit. The board runs our
 * firmware/esp/flash_writer.c, which writes generation after generation of a checkable pattern
 * into a 64 KB region (sector by sector: erase, program, the generation number last) and, at
 * boot, checks the whole region: each sector holds the newest generation that belongs to it,
 * the one being written may be part-way (test/board/flash-writer.test.ts shows the check fails
 * on a lost sector, a torn one or one stray bit). Each round opens the saved board in a fresh tab
 * (it boots the saved flash), reads the firmware's verdict and the generation it found (never
 * older than the last commit acknowledged before the kill), compares every byte outside the
 * region with the chip as loaded, lets the firmware write while the page commits in a loop, and
 * crashes the renderer (CDP Page.crash) part-way. Browser, context and server live through all
 * rounds; only the tab dies. The issue asks for 100 rounds, best against the built page (an edit
 * under src/ cannot reload it mid-run):
 * `V8266_KILL_ROUNDS=100 npx playwright test persist -g killed --project preview`; CI runs 2 in
 * each of the three servings.
 */
const KILL_ROUNDS = Number(process.env.V8266_KILL_ROUNDS ?? 2);
const REGION = 0x300000;
const REGION_BYTES = 0x10000;

/** SHA-256 of the whole chip with the writer's region blanked (it changes; the rest must not). */
function chipOutsideRegion(page: Page) {
  return page.evaluate((blank) => window.v8266!.flashSha256(blank), {
    offset: REGION,
    length: REGION_BYTES,
  });
}

/** The writer's boot verdict: the generation it found, or the failure it printed. */
async function verdict(page: Page): Promise<number> {
  await expect
    .poll(() => serialText(page), { timeout: 120_000, intervals: QUICK })
    .toMatch(/flash writer: check (ok, generation \d+|FAILED[^\n]*)\r\n/);
  const text = await serialText(page);
  expect(text).not.toContain('FAILED');
  return Number(/check ok, generation (\d+)/.exec(text)![1]);
}

test('@build a tab killed during flash writes loses nothing committed and tears nothing', async ({
  app,
  context,
}) => {
  test.setTimeout(180_000 + KILL_ROUNDS * 90_000);
  const { page } = app;
  await app.open('');
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('btn-erase').click();
  await expect
    .poll(() => page.evaluate(() => window.v8266!.state().then((s) => s.firmware?.name)))
    .toBe('erased flash');
  await page.evaluate(
    (bytes) => window.v8266!.load([{ name: 'flash_writer.bin', bytes }]),
    firmwareBytes('flash_writer.bin'),
  );
  expect(await verdict(page)).toBe(0);
  const outside = await chipOutsideRegion(page);
  await page.evaluate(() => window.v8266!.persistNow());
  const url = page.url();
  await page.close();

  let acknowledged = 0;
  const seen: number[] = [];
  for (let round = 0; round < KILL_ROUNDS; round++) {
    const started = Date.now();
    const tab = await context.newPage();
    await tab.goto(url);
    await waitForApp(tab);
    const found = await verdict(tab);
    seen.push(found);
    expect(found, `round ${round}: the generation the saved flash holds`).toBeGreaterThanOrEqual(
      acknowledged,
    );
    expect(await chipOutsideRegion(tab), `round ${round}: bytes outside the region`).toBe(outside);
    // Commit in a loop; a commit acknowledges every generation printed before it started.
    await tab.evaluate(() => {
      const w = window as unknown as { acked: number };
      w.acked = 0;
      void (async () => {
        for (;;) {
          const text = window.v8266!.serialText();
          const printed = [...text.slice(-200).matchAll(/g=(\d+)\r\n/g)].at(-1);
          await window.v8266!.persistNow();
          if (printed) w.acked = Number(printed[1]);
        }
      })();
    });
    // Kill it after a few commits of this round's writes (a varying number).
    const target = found + 1 + (round % 5) * 7;
    await expect
      .poll(() => tab.evaluate(() => (window as unknown as { acked: number }).acked), {
        timeout: 120_000,
        intervals: QUICK,
      })
      .toBeGreaterThanOrEqual(target);
    acknowledged = await tab.evaluate(() => (window as unknown as { acked: number }).acked);
    const cdp = await context.newCDPSession(tab);
    void cdp.send('Page.crash').catch(() => undefined);
    await tab.waitForEvent('crash').catch(() => undefined);
    await tab.close().catch(() => undefined);
    console.log(
      `kill round ${round + 1}/${KILL_ROUNDS}: reopened at g=${found}, killed after g=${acknowledged} was committed (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
  console.log(
    `kill test: ${KILL_ROUNDS} rounds, generations found at each reopen: ${seen.join(' ')}`,
  );
});
