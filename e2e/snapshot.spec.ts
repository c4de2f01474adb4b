import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, loadCommitted, test } from './fixtures.ts';

// Snapshots in the page: "save snapshot" downloads the whole machine, "restore snapshot" (or a
// drop) puts it back, and it carries on from there — flash included (the demo's boot counter),
// RAM and peripherals included (the serial echo and the blinking LED go on).

const serialText = (page: Page) => page.evaluate(() => window.v8266!.serialText());
const simSeconds = (page: Page) =>
  page.evaluate(() => window.v8266!.state().then((s) => s.simSeconds));
const count = (text: string, part: string) => text.split(part).length - 1;

test('save a snapshot, change the board, restore it: it carries on from the saved state', async ({
  app,
}) => {
  test.setTimeout(300_000);
  const { page } = app;
  await app.open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('v8266 demo ready');
  expect(await serialText(page)).toContain('boot 1 (flash)');

  const downloading = page.waitForEvent('download');
  await page.getByTestId('btn-snapshot-save').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^demo\.bin-\d+\.\d{3}s\.v8266snap$/);
  const file = readFileSync((await download.path())!);
  expect(file.subarray(0, 8).toString('latin1')).toBe('V8266SNP');
  const savedAt = await simSeconds(page);

  // The board moves on: a reset writes boot 2 into flash.
  await page.evaluate(() => window.v8266!.reset());
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('boot 2 (flash)');
  await expect.poll(() => simSeconds(page)).toBeGreaterThan(savedAt + 1);

  await page.getByTestId('snapshot-input').setInputFiles({
    name: download.suggestedFilename(),
    mimeType: 'application/octet-stream',
    buffer: file,
  });
  // Back at the saved time (less than a second of the new run is allowed for the poll).
  await expect.poll(() => simSeconds(page)).toBeLessThan(savedAt + 1);
  await expect(page.getByTestId('status')).toContainText(/running/i);

  // RAM, UART and interrupts came back: the demo's echo answers.
  await page.evaluate(() => window.v8266!.typeSerial('echo after restore\r'));
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('echo after restore');
  // The flash came back: it holds boot 1 again, so the next reset is boot 2 a second time.
  await page.evaluate(() => window.v8266!.reset());
  await expect
    .poll(async () => count(await serialText(page), 'boot 2 (flash)'), { timeout: 60_000 })
    .toBe(2);
  expect(count(await serialText(page), 'boot 3 (flash)')).toBe(0);
});

test('a snapshot brings the network back where it was, in the same network; another one starts afresh', async ({
  app,
}) => {
  test.setTimeout(300_000);
  const { page } = app;
  await app.open();
  const panel = page.getByTestId('network-panel');
  // Our station firmware joins the default open AP, ARPs the gateway, prints "done" and idles.
  await loadCommitted(page, 'firmware/wifitest/out/join.bin');
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('done');
  await expect(panel.getByTestId('net-board-assoc')).toContainText('associated to "v8266-open"');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('btn-snapshot-save').click();
  const file = readFileSync((await (await downloading).path())!);
  const restore = () =>
    page.getByTestId('snapshot-input').setInputFiles({
      name: 'join.v8266snap',
      mimeType: 'application/octet-stream',
      buffer: file,
    });

  // Restored in the same network, the AP still has the board (join.bin will not join again).
  await restore();
  await expect(panel.getByTestId('net-restored')).toHaveText(
    'Restored from a snapshot: the network carried on where it was saved.',
  );
  await expect(panel.getByTestId('net-board-assoc')).toContainText('associated to "v8266-open"');

  // In another network (the open AP renamed) the saved one does not apply.
  const problems = await page.evaluate(() => {
    const doc = window.v8266!.doc();
    const aps = doc.network.aps.map((a, i) => (i === 0 ? { ...a, ssid: 'elsewhere' } : a));
    return window.v8266!.setDocText(JSON.stringify({ ...doc, network: { ...doc.network, aps } }));
  });
  expect(problems).toEqual([]);
  await restore();
  await expect(panel.getByTestId('net-restored')).toHaveText(
    'Restored from a snapshot: the network started afresh (the snapshot was saved in another network).',
  );
  await expect(panel.getByTestId('net-board-assoc')).toHaveText('not associated');
});

test('a damaged snapshot is refused with a message and the board keeps running', async ({
  app,
}) => {
  test.setTimeout(300_000);
  const { page } = app;
  await app.open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('v8266 demo ready');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('btn-snapshot-save').click();
  const file = readFileSync((await (await downloading).path())!);
  const before = await simSeconds(page);
  await page.getByTestId('snapshot-input').setInputFiles({
    name: 'cut.v8266snap',
    mimeType: 'application/octet-stream',
    buffer: file.subarray(0, file.length - 100),
  });
  await expect(page.getByTestId('drop-error')).toContainText('snapshot corrupt or truncated');
  await expect.poll(() => simSeconds(page)).toBeGreaterThan(before + 0.5);
  expect(await page.evaluate(() => window.v8266!.state().then((s) => s.firmware?.name))).toBe(
    'demo.bin',
  );
});

test('a snapshot kept with the saved board outlives a reload and restores from the Boards menu', async ({
  app,
}) => {
  test.setTimeout(300_000);
  const { page } = app;
  await app.open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('v8266 demo ready');
  expect(await serialText(page)).toContain('boot 1 (flash)');
  await page.getByTestId('btn-boards').click();
  await expect(page.getByTestId('boards-menu')).toContainText('None yet');
  await page.getByTestId('btn-snapshot-keep').click();
  await expect(page.getByTestId('saved-snapshot')).toHaveCount(1);
  await expect(page.getByTestId('saved-snapshot')).toContainText('demo.bin at');
  await page.keyboard.press('Escape');

  // The board moves on and is saved (boot 2 in flash), then the page reloads (boot 3).
  await page.evaluate(() => window.v8266!.reset());
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('boot 2 (flash)');
  await page.evaluate(() => window.v8266!.persistNow());
  await page.reload();
  await expect
    .poll(() => page.evaluate(() => window.v8266 !== undefined).catch(() => false), {
      timeout: 60_000,
    })
    .toBe(true);
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('boot 3 (flash)');

  // Still listed; restoring it brings back the machine of boot 1, flash and RAM.
  await page.getByTestId('btn-boards').click();
  await expect(page.getByTestId('saved-snapshot')).toHaveCount(1);
  await page.getByTestId('saved-snapshot-restore').click();
  await page.keyboard.press('Escape');
  await page.evaluate(() => window.v8266!.typeSerial('echo after restore\r'));
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('echo after restore');
  await page.evaluate(() => window.v8266!.reset());
  await expect
    .poll(async () => count(await serialText(page), 'boot 2 (flash)'), { timeout: 60_000 })
    .toBe(1);
  expect(await serialText(page)).not.toContain('boot 4 (flash)');

  // Deleted, it is gone from the list.
  await page.getByTestId('btn-boards').click();
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('saved-snapshot-delete').click();
  await expect(page.getByTestId('saved-snapshot')).toHaveCount(0);
});
