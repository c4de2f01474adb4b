import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

// Parts from the board document (@wokwi/elements), wired to the demo board's pins.

const serialText = (page: Page) => page.evaluate(() => window.v8266!.serialText());

async function openWithParts(page: Page, open: () => Promise<void>, parts: unknown[]) {
  await open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('v8266 demo ready');
  const problems = await page.evaluate(
    (list) => window.v8266!.setDocText(JSON.stringify({ ...window.v8266!.doc(), parts: list })),
    parts,
  );
  expect(problems).toEqual([]);
}

test('@build an LED follows its GPIO, either way round', async ({ app }) => {
  const { page } = app;
  await openWithParts(page, () => app.open(), [
    { type: 'led', id: 'up', pin: 'D4', color: 'green' },
    { type: 'led', id: 'down', pin: 'D4', wiring: 'cathode' },
  ]);
  // The demo blinks GPIO2 (D4): an anode-wired LED is lit while it is high, a cathode-wired
  // one while it is low.
  const up = page.getByTestId('led-up');
  await expect(page.getByTestId('part-up')).toContainText('up → D4 (GPIO2)');
  // The LEDs are redrawn once per animation frame from the status block, so a sample taken right
  // at a blink edge can see the pin and the drawing a frame apart: poll until they agree.
  const snapshot = () =>
    page.evaluate(() => {
      const get = (id: string) =>
        document.querySelector(`[data-testid="${id}"]`) as
          (HTMLElement & { value: boolean }) | null;
      const upEl = get('led-up')!;
      const downEl = get('led-down')!;
      return {
        level: window.v8266!.gpio()[2],
        up: upEl.getAttribute('data-lit'),
        down: downEl.getAttribute('data-lit'),
        upValue: upEl.value,
      };
    });
  for (const lit of ['true', 'false']) {
    await expect(up).toHaveAttribute('data-lit', lit, { timeout: 60_000 });
    await expect
      .poll(snapshot)
      .toEqual(
        lit === 'true'
          ? { level: 1, up: 'true', down: 'false', upValue: true }
          : { level: 0, up: 'false', down: 'true', upValue: false },
      );
  }
});

test('a push button on D3 pulls GPIO0 low while pressed: the demo interrupt fires', async ({
  app,
}) => {
  const { page } = app;
  await openWithParts(page, () => app.open(), [{ type: 'button', id: 'btn1', pin: 'D3' }]);
  const button = page.getByTestId('button-btn1');
  await button.hover();
  await page.mouse.down();
  await expect(button).toHaveAttribute('data-pressed', 'true');
  await expect(page.getByTestId('pin-D3')).toHaveAttribute('data-level', '0');
  await expect.poll(() => serialText(page)).toContain('FLASH button pressed (1)');
  await page.mouse.up();
  await expect(button).toHaveAttribute('data-pressed', 'false');
  await expect(page.getByTestId('pin-D3')).toHaveAttribute('data-level', '1'); // pull-up
  await expect(page.getByTestId('pin-D3')).toHaveAttribute('data-host', 'none');
});

test('a slide switch ties its pin high or low; removing it releases the pin', async ({ app }) => {
  const { page } = app;
  await openWithParts(page, () => app.open(), [{ type: 'switch', id: 'sw1', pin: 'D5', value: 1 }]);
  const pin = page.getByTestId('pin-D5');
  await expect(pin).toHaveAttribute('data-host', '1');
  await expect(pin).toHaveAttribute('data-level', '1');
  await page.getByTestId('switch-sw1').click();
  await expect(page.getByTestId('switch-sw1')).toHaveAttribute('data-value', '0');
  await expect(pin).toHaveAttribute('data-host', '0');
  await expect(pin).toHaveAttribute('data-level', '0');
  await page.evaluate(() =>
    window.v8266!.setDocText(JSON.stringify({ ...window.v8266!.doc(), parts: [] })),
  );
  await expect(page.getByTestId('parts')).toHaveCount(0);
  await expect(pin).toHaveAttribute('data-host', 'none');
});

test('a potentiometer sets A0', async ({ app }) => {
  const { page } = app;
  await openWithParts(page, () => app.open(), [
    { type: 'potentiometer', id: 'pot1', pin: 'A0', value: 300 },
  ]);
  await expect.poll(() => page.evaluate(() => window.v8266!.status().a0)).toBe(300);
  // Turn it with the keyboard, as a user can.
  const pot = page.getByTestId('pot-pot1');
  await pot.click(); // focuses its range input
  await page.keyboard.press('End');
  await expect(pot).toHaveAttribute('data-value', '1023');
  await expect.poll(() => page.evaluate(() => window.v8266!.status().a0)).toBe(1023);
  // The A0 slider under the board shows the same input.
  await expect(page.getByTestId('a0-value')).toHaveText('1023 · 3.30 V');
});
