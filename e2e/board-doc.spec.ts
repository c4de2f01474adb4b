import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

// The board description: monaco (lazy, bundled), live apply, and the share link that carries it.

const serialText = (page: Page) => page.evaluate(() => window.v8266!.serialText());
const doc = (page: Page) => page.evaluate(() => window.v8266!.doc());
const READY = 'v8266 demo ready';

async function replaceEditorText(page: Page, text: string) {
  const editor = page.getByTestId('board-editor');
  // A point near the editor's top left, past the line numbers, not the text layer's centre: a
  // document on one long line puts that centre (and, scrolled sideways, the layer's start) under
  // the margin or off the page.
  await editor.locator('.monaco-editor').click({ position: { x: 90, y: 8 } });
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  // Whatever monaco closed for us (brackets, quotes) sits after the cursor: drop it.
  await page.keyboard.press('ControlOrMeta+Shift+End');
  await page.keyboard.press('Delete');
}

test('@build the editor loads on demand, validates against the schema and applies edits live', async ({
  app,
}) => {
  // The editor is a ~3 MB chunk plus its worker: on a loaded 2-core machine the dev server takes
  // minutes to serve it. The waits are on its appearing; the limits only end a hung test.
  test.setTimeout(360_000);
  const { page } = app;
  await app.open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  // Not loaded at first paint.
  await expect(page.locator('.monaco-editor')).toHaveCount(0);
  await page.getByTestId('btn-editor').click();
  const editor = page.getByTestId('board-editor');
  await expect(editor.locator('.monaco-editor')).toBeVisible({ timeout: 240_000 });
  await expect(editor).toContainText('"board": "nodemcu-v1"');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  // A bad value: not applied, the problem is named, and monaco's schema check marks it.
  const current = await doc(page);
  await replaceEditorText(page, JSON.stringify({ ...current, flashSize: '3M' }));
  await expect(page.getByTestId('doc-problems')).toContainText('flashSize: one of');
  await expect(editor.locator('.squiggly-error').first()).toBeVisible({ timeout: 60_000 });
  expect((await doc(page)).flashSize).toBe('4M');

  // A good one: the board is rebuilt on 8 MB with the same flash (the demo's flash boot counter
  // goes on: boot 2), and the new MAC.
  await page.evaluate(() => window.v8266!.clearSerial());
  await replaceEditorText(
    page,
    JSON.stringify({ ...current, flashSize: '8M', mac: '5c:cf:7f:12:34:56' }),
  );
  await expect(page.getByTestId('doc-status')).toContainText('Applied');
  await expect.poll(async () => (await doc(page)).flashSize).toBe('8M');
  await expect
    .poll(() => page.evaluate(() => window.v8266!.state().then((s) => s.firmware?.flashSize)))
    .toBe(0x800000);
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('boot 2 (flash)');

  // The pacing menu edits the document, and the editor follows.
  await page.getByTestId('pacing').selectOption('max');
  await expect(editor).toContainText('"pacing": "max"');
  await expect.poll(() => page.evaluate(() => window.v8266!.status().pacing)).toBe('max');
});

test('@build Share puts the document in the URL; opening it restores the board', async ({
  app,
}) => {
  const { page } = app;
  await app.open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  const problems = await page.evaluate(() => {
    const d = window.v8266!.doc();
    return window.v8266!.setDocText(
      JSON.stringify({
        ...d,
        flashSize: '2M',
        pacing: 'max',
        parts: [{ type: 'led', id: 'led1', pin: 'D1', color: 'green' }],
      }),
    );
  });
  expect(problems).toEqual([]);
  await page.getByTestId('btn-share').click();
  // The link carries the flash once it is read; without it, only the document.
  await expect(page.getByTestId('share-flash')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('share-flash').uncheck();
  const url = await page.getByTestId('share-url').inputValue();
  expect(url).toMatch(/#b=[A-Za-z0-9_-]+$/);
  expect(url.length).toBeLessThan(8 * 1024);
  await expect.poll(() => page.url()).toBe(url);

  await page.goto('about:blank');
  await page.goto(url);
  await expect
    .poll(() => page.evaluate(() => window.v8266 !== undefined).catch(() => false))
    .toBe(true);
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  const restored = await doc(page);
  expect(restored.flashSize).toBe('2M');
  expect(restored.pacing).toBe('max');
  expect(restored.firmware).toEqual({ kind: 'demo' });
  expect(restored.parts).toEqual([{ type: 'led', id: 'led1', pin: 'D1', color: 'green' }]);
  expect((await page.evaluate(() => window.v8266!.state())).firmware?.flashSize).toBe(0x200000);
  await expect(page.getByTestId('notice')).toHaveCount(0);
});

test('a tampered share link says so and opens the default demo board', async ({ app }) => {
  const { page } = app;
  await app.open('#b=eJyrVkrKz0lVslJQSs7PS8tMBwA1dwX');
  await expect(page.getByTestId('notice')).toContainText('could not be opened');
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  expect((await doc(page)).board).toBe('nodemcu-v1');
  expect(page.url()).not.toContain('#b=');
});

test('a shared board with the user firmware embedded runs it; without, asks for the file', async ({
  app,
}) => {
  const { page } = app;
  await app.open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  // The user's own firmware (here the demo under another name).
  await page.evaluate(async () => {
    const res = await fetch(new URL('/firmware/esp/out/demo.bin', location.href));
    const bytes = [...new Uint8Array(await res.arrayBuffer())];
    await window.v8266!.load([{ name: 'mine.bin', bytes }]);
  });
  expect((await doc(page)).firmware).toEqual({ kind: 'local', name: 'mine.bin' });
  await page.getByTestId('btn-share').click();
  await expect(page.getByTestId('share-flash')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('share-flash').uncheck();
  const plain = await page.getByTestId('share-url').inputValue();
  await page.getByTestId('share-embed').check();
  const embedded = await page.getByTestId('share-url').inputValue();
  expect(embedded.length).toBeGreaterThan(plain.length);

  await page.goto('about:blank');
  await page.goto(embedded);
  await expect
    .poll(() => page.evaluate(() => window.v8266 !== undefined).catch(() => false))
    .toBe(true);
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(READY);
  await expect(page.getByTestId('status')).toHaveText('Running mine.bin');

  await page.goto('about:blank');
  await page.goto(plain);
  await expect(page.getByTestId('notice')).toContainText(
    'mine.bin, which the link does not include',
  );
});
