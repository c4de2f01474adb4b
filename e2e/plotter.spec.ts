import type { Page } from '@playwright/test';
import { expect, firmwareBytes, test } from './fixtures.ts';

// The serial plotter, fed by our plotter firmware (firmware/esp/plotter.c): a text line, then
// `tri:T,sq:S<TAB>n:N` every 20 ms with T = |N mod 100 − 50| and S = −10 / +10 every 25 lines.

const legend = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="plot-series"]')].map((item) => [
      item.dataset.label!,
      item.dataset.last!,
    ]),
  );

test('the serial plotter charts the numbers the firmware prints, label by label', async ({
  app,
}) => {
  const { page } = app;
  await app.open('?firmware=none');
  await page.getByTestId('toggle-plotter').check();
  await expect(page.getByTestId('serial-plotter')).toContainText('Waiting for lines of numbers');
  await page.evaluate(
    (bytes) => window.v8266!.load([{ name: 'plotter.bin', bytes }]),
    firmwareBytes('plotter.bin'),
  );
  await expect
    .poll(() => page.evaluate(() => window.v8266!.serialText()), { timeout: 60_000 })
    .toContain('v8266 plotter demo');
  const canvas = page.getByTestId('plot-canvas');
  await expect
    .poll(async () => Number(await canvas.getAttribute('data-samples')), { timeout: 60_000 })
    .toBeGreaterThan(60);

  // The banner (and the ROM's boot lines) are not data: exactly the three labels, in order.
  const shown = await legend(page);
  expect(shown.map(([label]) => label)).toEqual(['tri', 'sq', 'n']);
  // Every value shown belongs to one line the firmware printed.
  const values = Object.fromEntries(shown.map(([label, last]) => [label, Number(last)]));
  const n = values.n;
  expect(values.tri).toBe(Math.abs((n % 100) - 50));
  expect(values.sq).toBe(Math.floor(n / 25) % 2 ? 10 : -10);
  // (the ROM's ets_printf sends "\r\n" for "\n")
  expect(await page.evaluate(() => window.v8266!.serialText())).toContain(
    `tri:${values.tri},sq:${values.sq}\tn:${n}\r\n`,
  );

  // The chart is drawn: pixels of the first series' colour (#56ccf2) on the canvas.
  const traced = await canvas.evaluate((el: HTMLCanvasElement) => {
    const data = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data;
    let hits = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - 0x56) < 24 && Math.abs(data[i + 1] - 0xcc) < 24 && data[i + 2] > 0xd0)
        hits++;
    }
    return hits;
  });
  expect(traced).toBeGreaterThan(50);
  await app.screenshot('plotter');

  // Off: the chart goes; the terminal stays.
  await page.getByTestId('toggle-plotter').uncheck();
  await expect(page.getByTestId('serial-plotter')).toHaveCount(0);
  await expect(page.getByTestId('terminal')).toBeVisible();
});
