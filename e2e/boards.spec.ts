import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

// The three board drawings (src/ui/boards/): picked in the board header or by the document's
// `board` field. The demo firmware blinks GPIO2 at 1 Hz, so each board's LED on GPIO2 blinks.

const pinIds = (page: Page) =>
  page
    .getByTestId('board-svg')
    .locator('[data-testid^="pin-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));

async function ledBlinks(page: Page) {
  const led = page.getByTestId('led-gpio2');
  for (const lit of ['true', 'false', 'true']) {
    await expect(led).toHaveAttribute('data-lit', lit, { timeout: 60_000 });
  }
}

test('the picker switches between NodeMCU, D1 mini and ESP-01; the LED follows GPIO2', async ({
  app,
}) => {
  await app.open();
  const { page } = app;
  await expect
    .poll(() => page.evaluate(() => window.v8266!.serialText()))
    .toContain('v8266 demo ready');
  const picker = page.getByTestId('board-picker');
  await expect(picker).toHaveValue('nodemcu-v1');

  await picker.selectOption('d1-mini');
  await expect(page.getByTestId('board-svg')).toHaveAttribute('aria-label', 'Wemos D1 mini board');
  expect((await pinIds(page)).sort()).toEqual(
    [
      'pin-3V3',
      'pin-D8',
      'pin-D7',
      'pin-D6',
      'pin-D5',
      'pin-D0',
      'pin-A0',
      'pin-RST',
      'pin-5V',
      'pin-GND',
      'pin-D4',
      'pin-D3',
      'pin-D2',
      'pin-D1',
      'pin-RX',
      'pin-TX',
    ].sort(),
  );
  await expect(page.getByTestId('pin-D4')).toContainText('GPIO2');
  await expect(page.getByTestId('btn-rst')).toBeVisible();
  await expect(page.getByTestId('btn-flash')).toHaveCount(0);
  await expect(page.getByTestId('a0-value')).toContainText('V');
  expect(await page.evaluate(() => window.v8266!.doc().board)).toBe('d1-mini');
  await ledBlinks(page);
  await app.screenshot('d1-mini');

  await picker.selectOption('esp-01');
  await expect(page.getByTestId('board-svg')).toHaveAttribute('aria-label', 'ESP-01S board');
  expect((await pinIds(page)).sort()).toEqual(
    [
      'pin-GND',
      'pin-GPIO2',
      'pin-GPIO0',
      'pin-RX',
      'pin-TX',
      'pin-CH_PD',
      'pin-RST',
      'pin-VCC',
    ].sort(),
  );
  await expect(page.getByTestId('btn-rst')).toHaveCount(0);
  await expect(page.getByTestId('btn-flash')).toHaveCount(0);
  await expect(page.getByTestId('a0-slider')).toHaveCount(0);
  await ledBlinks(page);
  await app.screenshot('esp-01');
  // Its pins are driven like any other: GPIO0 is the demo's button input.
  await page.getByTestId('pin-GPIO0').click();
  await page.getByTestId('pin-drive-low').click();
  await expect
    .poll(() => page.evaluate(() => window.v8266!.serialText()))
    .toContain('FLASH button pressed');
  await page.getByTestId('pin-release').click();

  // The document's field does the same.
  const doc = await page.evaluate(() => window.v8266!.doc());
  const problems = await page.evaluate(
    (text) => window.v8266!.setDocText(text),
    JSON.stringify({ ...doc, board: 'nodemcu-v1' }),
  );
  expect(problems).toEqual([]);
  await expect(picker).toHaveValue('nodemcu-v1');
  await expect(page.getByTestId('board-svg')).toHaveAttribute('aria-label', 'NodeMCU v1.0 board');
  await expect(page.getByTestId('btn-flash')).toBeVisible();
  await expect(page.getByTestId('led-gpio16')).toHaveCount(1);
});
