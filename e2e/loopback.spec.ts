import { expect, fakeFirmware, test } from './fixtures.ts';
import type { Page } from '@playwright/test';

// The whole host path with the loopback stand-in board: worker run loop and pacing, the UART
// ring into xterm, typing back through the worker, the controls, GPIO levels on the page.

async function loadLoopback(page: Page) {
  await page.evaluate(
    (bytes) => window.v8266!.load([{ name: 'echo.bin', bytes }]),
    fakeFirmware(4096),
  );
}

const simSeconds = (page: Page) => page.evaluate(() => window.v8266!.status().simSeconds);

test('@build the guest prints to the terminal and echoes what is typed', async ({ app }) => {
  await app.open('?board=loopback');
  const { page } = app;
  await loadLoopback(page);
  const rows = page.locator('[data-testid="terminal"] .xterm-rows');
  await expect(rows).toContainText('loopback board: 4194304 bytes of flash');
  await expect(page.getByTestId('status')).toHaveText('Running echo.bin');

  await page.getByTestId('terminal').click();
  await page.keyboard.type('hello, guest');
  await expect(rows).toContainText('hello, guest');
  expect(await page.evaluate(() => window.v8266!.serialText())).toMatch(/hello, guest$/);
  expect((await page.evaluate(() => window.v8266!.state())).uartBytesSent).toBeGreaterThan(12);
  await app.screenshot('running');
});

test('simulated time never runs ahead of the wall clock in real time', async ({ app }) => {
  await app.open('?board=loopback');
  const { page } = app;
  await loadLoopback(page);
  // Conditions, not budgets: wait for two seconds of simulated time, then the wall clock must have
  // moved at least as far (the pacer never runs ahead; how far behind is the machine's load,
  // which only \`npm run bench\` measures).
  // The wall clock is read before the first sample and after the last, so it spans at least
  // the time between them however slowly the page answers.
  const startWall = Date.now();
  const startSim = await simSeconds(page);
  await expect.poll(() => simSeconds(page), { timeout: 120_000 }).toBeGreaterThan(startSim + 2);
  const sim = (await simSeconds(page)) - startSim;
  const wall = (Date.now() - startWall) / 1000;
  expect(sim / wall).toBeLessThan(1.1);
  // The readout is the measured factor of real time ("1.00×", plus MIPS where the board counts
  // instructions): a number, never ahead of real time either.
  await expect(page.getByTestId('speed')).toHaveText(/^\d+\.\d\d×/);
  const text = (await page.getByTestId('speed').textContent()) ?? '';
  expect(Number(text.split('×')[0])).toBeLessThan(1.15);
  await expect(page.getByTestId('sim-time')).not.toHaveText('0:00.000');
});

test('"as fast as possible" runs ahead of real time', async ({ app }) => {
  await app.open('?board=loopback');
  const { page } = app;
  await loadLoopback(page);
  await page.getByTestId('pacing').selectOption('max');
  const startWall = Date.now();
  await expect.poll(() => simSeconds(page), { timeout: 120_000 }).toBeGreaterThan(5);
  // Five simulated seconds in less wall time than that, and a readout above real time (the
  // loopback guest alone runs thousands of times faster; a starved worker still beats 1×).
  expect((Date.now() - startWall) / 1000).toBeLessThan(5);
  await expect
    .poll(() => page.evaluate(() => window.v8266!.status().speedPercent), { timeout: 60_000 })
    .toBeGreaterThan(100);
});

test('pause, resume, reset and power work from the toolbar', async ({ app }) => {
  await app.open('?board=loopback');
  const { page } = app;
  await loadLoopback(page);
  await expect.poll(() => simSeconds(page)).toBeGreaterThan(0.3);

  await page.getByTestId('btn-pause').click();
  await expect(page.getByTestId('status')).toHaveText('Paused (echo.bin)');
  const pausedAt = await simSeconds(page);
  // Two round trips to the worker: a time slice still in flight has published by then.
  await page.evaluate(() => window.v8266!.state());
  await page.evaluate(() => window.v8266!.state());
  expect(await simSeconds(page)).toBe(pausedAt);
  await expect(page.getByTestId('speed')).toHaveText('–');

  await page.getByTestId('btn-pause').click();
  await expect(page.getByTestId('status')).toHaveText('Running echo.bin');
  await expect.poll(() => simSeconds(page)).toBeGreaterThan(pausedAt + 0.1);

  // Reset while running boots again and keeps running.
  await page.evaluate(() => window.v8266!.clearSerial());
  await page.getByTestId('btn-reset').click();
  await expect.poll(() => page.evaluate(() => window.v8266!.serialText())).toContain('loopback');
  await expect(page.getByTestId('status')).toHaveText('Running echo.bin');

  // Reset while paused boots again, restarts the clock and stays paused: the clock reads exactly
  // zero (a running board's clock after a reset depends on how slowly the page is polled).
  await page.getByTestId('btn-pause').click();
  await expect(page.getByTestId('status')).toHaveText('Paused (echo.bin)');
  await page.evaluate(() => window.v8266!.clearSerial());
  await page.getByTestId('btn-reset').click();
  await expect.poll(() => page.evaluate(() => window.v8266!.serialText())).toContain('loopback');
  await expect.poll(() => simSeconds(page)).toBe(0);
  await expect(page.getByTestId('status')).toHaveText('Paused (echo.bin)');
  await page.getByTestId('btn-pause').click();
  await expect(page.getByTestId('status')).toHaveText('Running echo.bin');
  await expect.poll(() => simSeconds(page)).toBeGreaterThan(0);

  await page.getByTestId('btn-power').click();
  await expect(page.getByTestId('status')).toHaveText('Powered off (echo.bin)');
  await expect(page.getByTestId('btn-pause')).toBeDisabled();
  await page.getByTestId('btn-power').click();
  await expect(page.getByTestId('status')).toHaveText('Running echo.bin');
});

test('GPIO levels reach the page: the loopback LED on GPIO2 blinks', async ({ app }) => {
  await app.open('?board=loopback');
  const { page } = app;
  await loadLoopback(page);
  // The LED on GPIO2 is active low: lit while the pad is low.
  const led = page.getByTestId('led-gpio2');
  await expect(led).toHaveAttribute('data-lit', 'false');
  await expect(led).toHaveAttribute('data-lit', 'true', { timeout: 60_000 });
  await expect(led).toHaveAttribute('data-lit', 'false', { timeout: 60_000 });
  await expect(page.getByTestId('pin-D4')).toHaveAttribute('data-level', '1');
});

test('a guest too slow for real time never keeps the worker from answering', async ({ app }) => {
  // loopback-busy spends 4 ms of CPU per simulated ms: it runs at about 25 % of real time, and
  // the worker is busy all the time. Commands must still be answered between time slices.
  await app.open('?board=loopback-busy');
  const { page } = app;
  await loadLoopback(page);
  await expect.poll(() => simSeconds(page), { timeout: 60_000 }).toBeGreaterThan(0.05);
  // A worker that never yielded between slices would not answer at all: the condition is that
  // every call returns (the test's timeout is the hang guard), not how fast, which a loaded
  // machine decides.
  const answered = await page.evaluate(async () => {
    let n = 0;
    for (let i = 0; i < 10; i++) if (await window.v8266!.state()) n++;
    return n;
  });
  expect(answered).toBe(10);
  // About 25 % on an idle machine; less when other processes take the CPU. Never more.
  await expect
    .poll(() => page.evaluate(() => window.v8266!.status().speedPercent), { timeout: 60_000 })
    .toBeGreaterThan(0);
  expect(await page.evaluate(() => window.v8266!.status().speedPercent)).toBeLessThan(30);
  await page.getByTestId('terminal').click();
  await page.keyboard.type('still here');
  await expect(page.locator('[data-testid="terminal"] .xterm-rows')).toContainText('still here');
});
