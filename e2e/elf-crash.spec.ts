import type { Page } from '@playwright/test';
import { expect, firmwareBytes, test } from './fixtures.ts';
import { crashingElf } from './tiny-elf.ts';

// An .elf dropped on the page: converted to flash parts (src/board/image/elf-to-image.ts), booted
// by our ROM, and its symbols used by the crash panel. The ELF is written byte by byte
// (e2e/tiny-elf.ts): code in IRAM that stores to address 0, so the ROM's default handler prints
// `Fatal exception (29):` and the epc1 line.

const serialText = (page: Page) => page.evaluate(() => window.v8266!.serialText());

async function dropFiles(page: Page, files: { name: string; bytes: number[] }[]) {
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
    return dt;
  }, files);
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
}

test('a dropped .elf boots from its parts and its crash is decoded with its symbols', async ({
  app,
}) => {
  await app.open('?firmware=none');
  const { page } = app;
  await dropFiles(page, [{ name: 'crash.elf', bytes: [...crashingElf()] }]);
  await expect(page.getByTestId('drop-error')).toHaveCount(0);
  await expect.poll(() => serialText(page)).toContain('load 0x40100000, len 12, room');
  await expect.poll(() => serialText(page)).toContain('load 0x3ffe8000, len 8, room');
  await expect.poll(() => serialText(page)).toContain('Fatal exception (29):');

  const panel = page.getByTestId('crash-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('crash-cause')).toHaveText('Exception 29: StoreProhibited');
  await expect(page.getByTestId('crash-explanation')).toContainText('NULL or bad pointer');
  await expect(page.getByTestId('crash-epc1')).toHaveText(/0x40100003\s*store_to_null$/);
  await expect(page.getByTestId('crash-excvaddr')).toHaveText('0x00000000');
  await expect(page.getByTestId('crash-note')).toContainText('crash.elf');
  await expect(page.getByTestId('crash-note')).toContainText('DWARF');
  expect(await page.evaluate(() => window.v8266!.symbolize(0x40210004))).toBe('user_init+0x4');
  // The document names the dropped file, not its parts.
  expect(await page.evaluate(() => window.v8266!.doc().firmware)).toEqual({
    kind: 'local',
    name: 'crash.elf',
  });
  await app.screenshot('crash-panel');

  // Closed: the ROM keeps printing the same report, the panel stays closed.
  await page.getByTestId('btn-crash-close').click();
  await expect(panel).toHaveCount(0);
  const before = (await serialText(page)).split('Fatal exception').length;
  await expect
    .poll(async () => (await serialText(page)).split('Fatal exception').length)
    .toBeGreaterThan(before + 1);
  await expect(panel).toHaveCount(0);

  // Another firmware: no ELF any more.
  await dropFiles(page, [{ name: 'demo.bin', bytes: firmwareBytes('demo.bin') }]);
  await expect.poll(() => serialText(page), { timeout: 20_000 }).toContain('v8266 demo ready');
  expect(await page.evaluate(() => window.v8266!.symbolize(0x40210004))).toBeNull();
  await expect(panel).toHaveCount(0);
});

test('an .elf must come alone; a broken one is refused with its reason', async ({ app }) => {
  await app.open('?firmware=none');
  const { page } = app;
  const elf = [...crashingElf()];
  await dropFiles(page, [
    { name: 'crash.elf', bytes: elf },
    { name: 'data.bin', bytes: [1, 2, 3, 4] },
  ]);
  await expect(page.getByTestId('drop-error')).toHaveText(/crash\.elf is an ELF: drop it alone/);
  await dropFiles(page, [{ name: 'cut.elf', bytes: elf.slice(0, 40) }]);
  await expect(page.getByTestId('drop-error')).toHaveText(/cut\.elf: file too short/);
});
