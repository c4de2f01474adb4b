import { expect, firmwareBytes, test } from './fixtures.ts';

// "Install" as esp-web-tools does it, against the virtual board: esptool-js runs in the page,
// opens UART0 and the auto-reset lines as a Web Serial port, resets the board into the ROM's
// download mode, uploads its stub, writes compressed, checks MD5, and resets into the firmware.

test('@build Install flashes a manifest through the ROM download protocol with esptool-js', async ({
  app,
}) => {
  await app.open();
  const { page } = app;
  const serialText = () => page.evaluate(() => window.v8266!.serialText());
  await expect.poll(serialText, { timeout: 60_000 }).toContain('v8266 demo ready');

  const manifest = {
    name: 'Hello',
    builds: [{ chipFamily: 'ESP8266', parts: [{ path: 'firmware/hello.bin', offset: 0 }] }],
  };
  await page.getByTestId('install-input').setInputFiles([
    { name: 'manifest.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(manifest)) },
    { name: 'hello.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(firmwareBytes('hello.bin')) },
  ]);
  await expect(page.getByTestId('install-dialog')).toBeVisible();
  const status = page.getByTestId('install-status');
  await expect(status).toHaveText(/Installed|failed/, { timeout: 150_000 });
  const failure = page.getByTestId('install-error');
  if (await failure.count()) {
    const tail = JSON.stringify((await serialText()).slice(-300));
    const state = JSON.stringify(await page.evaluate(() => window.v8266!.state?.()).catch(() => null));
    const why = `${await failure.textContent()}\n${await page.getByTestId('install-log').textContent()}\nserial: ${tail}\n${state}`;
    expect(why, 'the install failed').toBe('');
  }
  await expect(status).toHaveText('Installed: the new firmware runs.');
  await expect(page.getByTestId('install-progress')).toHaveAttribute('value', '100');
  const log = page.getByTestId('install-log');
  await expect(log).toContainText('Chip is ESP8266EX');
  await expect(log).toContainText('Crystal is 26MHz');
  await expect(log).toContainText('Stub running...');
  await expect(log).toContainText('Hash of data verified.');
  // The ROM's download-mode banner, then the new firmware after the hard reset.
  await expect.poll(serialText).toContain('boot mode:(1,');
  await expect.poll(serialText, { timeout: 60_000 }).toContain('hello from v8266');
  await app.screenshot('install');
  await page.getByTestId('btn-install-close').click();
  await expect(page.getByTestId('install-dialog')).toHaveCount(0);
});
