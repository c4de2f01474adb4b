import { expect, test as base, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';

/**
 * `test` with an `app` fixture: opens the page, waits until the automation API is up (after the
 * one isolation reload on a static host), and fails the test if the page logged any error.
 */

export interface AppPage {
  page: Page;
  open(query?: string): Promise<void>;
  /** Save a screenshot under e2e/artifacts/ (gitignored) for a person to look at. */
  screenshot(name: string): Promise<void>;
  /** Console errors matching `pattern` are expected by this test (e.g. a 502 it asks for). */
  allowErrors(pattern: RegExp): void;
}

export const test = base.extend<{ app: AppPage }>({
  app: async ({ page }, use, testInfo) => {
    const errors: string[] = [];
    const allowed: RegExp[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));

    const app: AppPage = {
      page,
      async open(query = '') {
        await page.goto(`./${query}`);
        // On a static host the first load registers the service worker and reloads; evaluate
        // fails while the page navigates, so poll.
        await expect
          .poll(() => page.evaluate(() => window.v8266 !== undefined).catch(() => false), {
            timeout: 60_000,
          })
          .toBe(true);
        await expect(page.getByTestId('terminal')).toBeVisible();
      },
      allowErrors(pattern) {
        allowed.push(pattern);
      },
      async screenshot(name) {
        mkdirSync('e2e/artifacts', { recursive: true });
        const path = `e2e/artifacts/${testInfo.project.name}-${name}.png`;
        await page.screenshot({ path, fullPage: true });
        await testInfo.attach(name, { path, contentType: 'image/png' });
      },
    };
    await use(app);
    const unexpected = errors.filter((e) => !allowed.some((p) => p.test(e)));
    expect(unexpected, 'the page logged errors').toEqual([]);
  },
});

export { expect };

/**
 * A small well-formed ESP8266 image of about `size` bytes (0xE9 header, one segment of filler,
 * the checksum): what the loopback board is loaded with. The ESP8266 board would not run it.
 */
export function fakeFirmware(size = 1024): number[] {
  const length = Math.max(4, (size - 24) & ~3);
  const bytes = [0xe9, 1, 0, 0x40, 0x00, 0x00, 0x10, 0x40];
  bytes.push(0x00, 0x80, 0xfe, 0x3f, length & 0xff, (length >> 8) & 0xff, (length >> 16) & 0xff, 0);
  let sum = 0xef;
  for (let i = 0; i < length; i++) {
    const b = i & 0xff;
    sum ^= b;
    bytes.push(b);
  }
  while (bytes.length % 16 !== 15) bytes.push(0);
  bytes.push(sum);
  return bytes;
}

/** A committed test firmware image (firmware/esp/out/), as plain numbers for page.evaluate. */
export function firmwareBytes(name: string): number[] {
  return [...readFileSync(`firmware/esp/out/${name}`)];
}

/**
 * Loads a committed image (a path from the repository root, e.g. firmware/wifitest/out/join.bin)
 * through the page's automation API, the serial log cleared first.
 */
export async function loadCommitted(page: Page, path: string): Promise<void> {
  await page.evaluate(
    ({ name, bytes }) => {
      window.v8266!.clearSerial();
      return window.v8266!.load([{ name, bytes }]);
    },
    { name: path.split('/').pop()!, bytes: [...readFileSync(path)] },
  );
}
