import type { Page } from '@playwright/test';
import { expect, firmwareBytes, test } from './fixtures.ts';

// The real ESP8266 board in the browser, running the committed demo firmware
// (firmware/esp/demo.c): blinks GPIO2 at 1 Hz, echoes serial, reports the FLASH button, and
// counts boots in RTC memory (kept across resets) and in flash (kept across power cycles).

async function dropDemo(page: Page) {
  const dataTransfer = await page.evaluateHandle((bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], 'demo.bin'));
    return dt;
  }, firmwareBytes('demo.bin'));
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
}

const terminalRows = (page: Page) => page.locator('[data-testid="terminal"] .xterm-rows');
const serialText = (page: Page) => page.evaluate(() => window.v8266!.serialText());

test('@build boots the demo: ROM banner, app output, blinking LED, echo', async ({ app }) => {
  await app.open();
  const { page } = app;
  await dropDemo(page);
  await expect(terminalRows(page)).toContainText('v8266 demo: boot 1 (flash), 1 since power-on');
  expect(await serialText(page)).toContain('rst cause:1, boot mode:(3,');
  await expect(page.getByTestId('status')).toHaveText('Running demo.bin');
  await expect(page.getByTestId('cpu-mhz')).toHaveText('80 MHz');

  // 0.5 s of simulated time per toggle: a few wall seconds when a busy machine slows the guest.
  test.setTimeout(90_000);
  const led = page.getByTestId('gpio-2');
  await expect(led).toHaveClass(/gpio-low/, { timeout: 30_000 });
  await expect(led).toHaveClass(/gpio-high/, { timeout: 30_000 });

  await page.getByTestId('terminal').click();
  await page.keyboard.type('echo me');
  await expect.poll(() => serialText(page)).toMatch(/echo me$/);
  await app.screenshot('demo');
});

test('the UI reads what the guest wrote to RTC memory, straight from shared memory', async ({
  app,
}) => {
  await app.open();
  const { page } = app;
  await dropDemo(page);
  await expect.poll(() => serialText(page)).toContain('v8266 demo');
  // demo.c stores "V826" (0x56383236) at RTC_USER_MEM = 0x60001200.
  const word = await page.evaluate(() => window.v8266!.readGuestMemory(0x60001200, 4));
  expect(word).toEqual([0x36, 0x32, 0x38, 0x56]);
});

test('reset keeps RTC memory, a power cycle keeps only flash; FLASH button reaches the guest', async ({
  app,
}) => {
  await app.open();
  const { page } = app;
  await dropDemo(page);
  await expect.poll(() => serialText(page)).toContain('boot 1 (flash), 1 since power-on (rtc)');

  await page.getByTestId('btn-reset').click();
  await expect.poll(() => serialText(page)).toContain('boot 2 (flash), 2 since power-on (rtc)');

  await page.getByTestId('btn-power').click();
  await expect(page.getByTestId('status')).toHaveText('Powered off (demo.bin)');
  await page.getByTestId('btn-power').click();
  await expect.poll(() => serialText(page)).toContain('boot 3 (flash), 1 since power-on (rtc)');

  await page.evaluate(() => window.v8266!.driveGpio(0, 0));
  await expect.poll(() => serialText(page)).toContain('FLASH button pressed');
});
