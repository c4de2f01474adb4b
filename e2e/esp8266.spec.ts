import type { Page } from '@playwright/test';
import { expect, firmwareBytes, test } from './fixtures.ts';

// The real ESP8266 board in the browser. The page opens on the committed demo firmware
// (firmware/esp/demo.c): ROM banner at 74880 baud, then 115200; GPIO2 blinks at 1 Hz; serial
// echo; the FLASH button (GPIO0 edge interrupt) toggles the GPIO16 LED and prints; boot counters
// in RTC memory (kept across resets) and in flash (kept across power cycles).

const terminalRows = (page: Page) => page.locator('[data-testid="terminal"] .xterm-rows');
const serialText = (page: Page) => page.evaluate(() => window.v8266!.serialText());
const READY = 'v8266 demo ready';

async function openDemo(app: { open(q?: string): Promise<void>; page: Page }) {
  await app.open();
  await expect.poll(() => serialText(app.page), { timeout: 60_000 }).toContain(READY);
}

async function dropFiles(page: Page, files: { name: string; bytes: number[] }[]) {
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
    return dt;
  }, files);
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
}

test('@build opens on the demo running: banner, baud marker, blinking LED, echo', async ({
  app,
}) => {
  // 0.5 s of simulated time per toggle: a few wall seconds when a busy machine slows the guest.
  await openDemo(app);
  const { page } = app;
  await expect(page.getByTestId('status')).toHaveText('Running demo.bin');
  await expect(terminalRows(page)).toContainText('v8266 demo: boot 1 (flash)');
  await expect(terminalRows(page)).toContainText('── 74880 baud ──');
  await expect(terminalRows(page)).toContainText('── 115200 baud ──');
  expect(await serialText(page)).toContain('rst cause:1, boot mode:(3,');
  await expect(page.getByTestId('serial-baud')).toHaveText('115200 baud');
  await expect(page.getByTestId('cpu-mhz')).toHaveText('80 MHz');

  // The module's LED follows GPIO2 (active low), lit and dark in turn.
  const led = page.getByTestId('led-gpio2');
  await expect(led).toHaveAttribute('data-lit', 'true', { timeout: 30_000 });
  await expect(led).toHaveAttribute('data-lit', 'false', { timeout: 30_000 });
  await expect(page.getByTestId('pin-D4')).toHaveAttribute('data-mode', 'output');
  await expect(page.getByTestId('pin-D3')).toHaveAttribute('data-mode', 'input');
  await expect(page.getByTestId('pin-D3')).toHaveAttribute('data-level', '1'); // pulled up

  await page.getByTestId('terminal').click();
  await page.keyboard.type('echo me');
  await expect.poll(() => serialText(page)).toMatch(/echo me$/);
  await app.screenshot('demo');
});

test('FLASH button: the demo reacts; held through RST it boots the ROM download mode', async ({
  app,
}) => {
  await openDemo(app);
  const { page } = app;
  const flash = page.getByTestId('btn-flash');
  const led16 = page.getByTestId('led-gpio16');
  const before = await led16.getAttribute('data-lit');
  await flash.click();
  await expect.poll(() => serialText(page)).toContain('FLASH button pressed (1)');
  // The demo toggles the board LED (GPIO16) on each press.
  await expect(led16).toHaveAttribute('data-lit', before === 'true' ? 'false' : 'true');
  // Released again after the click: GPIO0 back to its pull-up.
  await expect(page.getByTestId('pin-D3')).toHaveAttribute('data-level', '1');

  await flash.click({ modifiers: ['Shift'] }); // latch it down
  await expect(flash).toHaveAttribute('data-pressed', 'true');
  await page.getByTestId('btn-rst').click();
  await expect.poll(() => serialText(page)).toContain('rst cause:2, boot mode:(1,');
  await flash.click({ modifiers: ['Shift'] });
  await expect(flash).toHaveAttribute('data-pressed', 'false');
});

test('clicking a pin drives it; driving an output against the firmware shows a conflict', async ({
  app,
}) => {
  await openDemo(app);
  const { page } = app;
  // D3 is GPIO0, the demo's FLASH input with an edge interrupt: driving it low fires it.
  await page.getByTestId('pin-D3').click();
  await expect(page.getByTestId('pin-menu')).toContainText('D3 · GPIO0');
  await expect(page.getByTestId('pin-menu')).toContainText('input · HIGH');
  await page.getByTestId('pin-drive-low').click();
  await expect.poll(() => serialText(page)).toContain('FLASH button pressed');
  await expect(page.getByTestId('pin-D3')).toHaveAttribute('data-level', '0');
  await page.getByTestId('pin-release').click();
  await expect(page.getByTestId('pin-D3')).toHaveAttribute('data-level', '1');

  // D4 is GPIO2, the LED output: drive it both ways, one of them fights the firmware.
  await page.getByTestId('pin-D4').click();
  await expect(page.getByTestId('pin-menu')).toContainText('output');
  await page.getByTestId('pin-drive-low').click();
  await page.getByTestId('pin-drive-high').click();
  await expect(page.getByTestId('pin-D4')).toHaveAttribute('data-conflict', 'true', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('pin-menu-details')).toContainText('CONFLICT');
  await page.getByTestId('pin-release').click();
  await expect(page.getByTestId('pin-D4')).toHaveAttribute('data-conflict', 'false');
});

test('the send box applies the line ending; timestamps and hex views re-render', async ({
  app,
}) => {
  await openDemo(app);
  const { page } = app;
  const input = page.getByTestId('serial-input');
  await page.getByTestId('line-ending').selectOption('crlf');
  await input.fill('AT');
  await input.press('Enter');
  await expect.poll(() => serialText(page)).toMatch(/AT\r\n$/);
  await page.getByTestId('line-ending').selectOption('none');
  await input.fill('x');
  await page.getByTestId('btn-send').click();
  await expect.poll(() => serialText(page)).toMatch(/AT\r\nx$/);
  expect((await page.evaluate(() => window.v8266!.state())).uartBytesReceived).toBe(5);

  await page.getByTestId('toggle-timestamps').check();
  await expect(terminalRows(page)).toContainText(/00:00:00\.\d{3} -> v8266 demo: boot 1/);
  await page.getByTestId('toggle-hex').check();
  await expect(terminalRows(page)).toContainText('76 38 32 36 36'); // "v8266"
  await page.getByTestId('toggle-hex').uncheck();
  await page.getByTestId('toggle-timestamps').uncheck();
  await expect(terminalRows(page)).toContainText(/^── 74880 baud ──/);
  await page.getByTestId('btn-clear').click();
  await expect(terminalRows(page)).not.toContainText('v8266 demo');
});

test('a pasted block reaches the firmware whole, paced line by line', async ({ app }) => {
  await openDemo(app);
  const { page } = app;
  await page.getByTestId('terminal').click();
  const block = Array.from({ length: 12 }, (_, i) => `line ${i} of a pasted block`).join('\r');
  await page.evaluate((text) => {
    const target = document.querySelector('[data-testid="terminal"] textarea')!;
    const data = new DataTransfer();
    data.setData('text/plain', text);
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, block);
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain(block);
});

test('a corrupt or truncated image is refused and the demo keeps running', async ({ app }) => {
  await openDemo(app);
  const { page } = app;
  const demo = firmwareBytes('demo.bin');
  await dropFiles(page, [{ name: 'cut.bin', bytes: demo.slice(0, 200) }]);
  await expect(page.getByTestId('drop-error')).toHaveText(/cut\.bin is damaged/);
  await dropFiles(page, [{ name: 'photo.bin', bytes: [0x89, 0x50, 0x4e, 0x47, 1, 2, 3] }]);
  await expect(page.getByTestId('drop-error')).toHaveText(/photo\.bin is not an ESP8266/);
  await expect(page.getByTestId('status')).toHaveText('Running demo.bin');
  await page.evaluate(() => window.v8266!.clearSerial());
  await page.getByTestId('terminal').click();
  await page.keyboard.type('still alive');
  await expect.poll(() => serialText(page)).toContain('still alive');
});

test('several files open the offset table with guessed offsets that follow the flash size; Flash & run boots them', async ({
  app,
}) => {
  await openDemo(app);
  const { page } = app;
  await dropFiles(page, [
    { name: 'esp_init_data_default_v08.bin', bytes: new Array(128).fill(0xaa) },
    { name: 'hello.bin', bytes: firmwareBytes('hello.bin') },
    { name: 'data.bin', bytes: [1, 2, 3, 4] },
  ]);
  const dialog = page.getByTestId('flash-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('offset-hello.bin')).toHaveValue('0x0');
  await expect(page.getByTestId('offset-esp_init_data_default_v08.bin')).toHaveValue('0x3fc000');
  await expect(page.getByTestId('offset-data.bin')).toHaveValue('');
  await page.getByTestId('btn-flash-run').click();
  await expect(page.getByTestId('flash-dialog-error')).toHaveText(/Give data\.bin an offset/);
  await page.getByTestId('offset-data.bin').fill('0x100000');
  await page.getByTestId('flash-size').selectOption(String(0x200000));
  // The SDK's size-relative offset follows the flash size; the typed one stays.
  await expect(page.getByTestId('offset-esp_init_data_default_v08.bin')).toHaveValue('0x1fc000');
  await expect(page.getByTestId('offset-data.bin')).toHaveValue('0x100000');
  await page.getByTestId('btn-flash-run').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('status')).toHaveText('Running hello.bin +2');
  await expect.poll(() => serialText(page)).toContain('hello from v8266');
  const state = await page.evaluate(() => window.v8266!.state());
  expect(state.firmware).toMatchObject({ parts: 3, flashSize: 0x200000 });
});

test('the flash dialog writes the flash size into the image header, as esptool --flash_size does', async ({
  app,
}) => {
  // firmware/esp/flash_map.c reads the header's size code and looks for its init data at
  // size - 16 KB, as the NONOS SDK does. Shipped like Espressif's AT images (512 KB in the header)
  // onto a 1 MB flash with the init data at 0xFC000, it would look at 0x7C000 instead.
  await openDemo(app);
  const { page } = app;
  const image = firmwareBytes('flash_map.bin');
  image[3] &= 0x0f;
  await dropFiles(page, [
    { name: 'eagle.flash.bin', bytes: image },
    { name: 'esp_init_data_default.bin', bytes: [0x05, ...new Array(127).fill(0)] },
  ]);
  await expect(page.getByTestId('flash-dialog')).toBeVisible();
  await expect(page.getByTestId('header-size')).toHaveValue('keep');
  await expect(page.getByTestId('header-size').locator('option:checked')).toHaveText(
    'keep (512KB)',
  );
  await page.getByTestId('flash-size').selectOption(String(0x100000));
  await expect(page.getByTestId('offset-esp_init_data_default.bin')).toHaveValue('0xfc000');
  await expect(page.getByTestId('header-size-hint')).toContainText(
    'The image header says 512KB but the flash is 1 MB: SDK firmware will look for its init data at 0x7c000.',
  );
  await page.getByTestId('btn-header-match').click();
  await expect(page.getByTestId('header-size')).toHaveValue('2');
  await expect(page.getByTestId('header-size-hint')).toBeHidden();
  await page.evaluate(() => window.v8266!.clearSerial());
  await page.getByTestId('btn-flash-run').click();
  await expect(page.getByTestId('flash-dialog')).toBeHidden();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('DONE');
  const out = await serialText(page);
  expect(out).toContain('flash map: header size code 2, 1024 KB');
  expect(out).toContain('rf cal sector: 251');
  expect(out).toContain('init data at 0xfc000');
});

test('an esp-web-tools manifest dropped with its part is flashed at the manifest offset', async ({
  app,
}) => {
  await openDemo(app);
  const { page } = app;
  const manifest = {
    name: 'Hello',
    builds: [{ chipFamily: 'ESP8266', parts: [{ path: 'firmware/hello.bin', offset: 0 }] }],
  };
  await dropFiles(page, [
    { name: 'manifest.json', bytes: [...Buffer.from(JSON.stringify(manifest))] },
    { name: 'hello.bin', bytes: firmwareBytes('hello.bin') },
  ]);
  await expect(page.getByTestId('offset-hello.bin')).toHaveValue('0x0');
  await page.getByTestId('btn-flash-run').click();
  await expect.poll(() => serialText(page)).toContain('hello from v8266');
});

test('reset keeps RTC memory, a power cycle keeps only flash; UART1 and A0 are wired', async ({
  app,
}) => {
  await openDemo(app);
  const { page } = app;
  await expect.poll(() => serialText(page)).toContain('boot 1 (flash), 1 since power-on (rtc)');
  // demo.c stores "V826" (0x56383236) at RTC_USER_MEM = 0x60001200: read from shared memory.
  const word = await page.evaluate(() => window.v8266!.readGuestMemory(0x60001200, 4));
  expect(word).toEqual([0x36, 0x32, 0x38, 0x56]);

  await page.getByTestId('btn-rst').click();
  await expect.poll(() => serialText(page)).toContain('boot 2 (flash), 2 since power-on (rtc)');
  await page.getByTestId('btn-power').click();
  await expect(page.getByTestId('status')).toHaveText('Powered off (demo.bin)');
  await expect(page.getByTestId('led-gpio2')).toHaveAttribute('data-lit', 'false');
  await page.getByTestId('btn-power').click();
  await expect.poll(() => serialText(page)).toContain('boot 3 (flash), 1 since power-on (rtc)');

  // UART1's tab shows its own baud (the ROM sets both UARTs) and has no input.
  await page.getByTestId('serial-tab-uart1').click();
  await expect(page.getByTestId('serial-baud')).toHaveText(/baud/);
  await expect(page.getByTestId('serial-input')).toBeDisabled();
  await page.getByTestId('serial-tab-uart0').click();
  await expect(terminalRows(page)).toContainText('boot 3 (flash)');

  await page.getByTestId('a0-slider').fill('512');
  await expect(page.getByTestId('a0-value')).toHaveText('512 · 1.65 V');
  await expect.poll(() => page.evaluate(() => window.v8266!.status().a0)).toBe(512);
});

test('the speed readout is the measured rate: a factor of real time and the guest MIPS', async ({
  app,
}) => {
  await openDemo(app);
  const { page } = app;
  await expect(page.getByTestId('speed')).toHaveText(/^\d+\.\d\d× · [\d.]+ MIPS$/);
  const status = await page.evaluate(() => window.v8266!.status());
  expect(status.mips).toBeGreaterThan(0);
});
