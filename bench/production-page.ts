/**
 * The app as users get it, for the page benchmarks (page-fps.ts, page-boot.ts): the production
 * build served by Vite's preview server, opened in Debian's Chromium.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview } from 'vite';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Builds and serves the app and starts Chromium for `use`; all of it is gone afterwards. */
export async function withProductionBuild<T>(
  use: (browser: Browser, url: string) => Promise<T>,
): Promise<T> {
  const outDir = mkdtempSync(join(tmpdir(), 'v8266-bench-page-'));
  await build({ logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    logLevel: 'silent',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1' },
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // CHROMIUM_EXTRA adds switches, e.g. "--js-flags=--prof --no-zygote" to have V8 write a
    // tick log per isolate (the worker's too) into the working directory for `node --prof-process`.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      ...(process.env.CHROMIUM_EXTRA?.split(' ').filter(Boolean) ?? []),
    ],
  });
  try {
    return await use(browser, server.resolvedUrls!.local[0]);
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** The app in a fresh context (no saved boards), once its automation API is up. */
export async function openApp(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.v8266 !== undefined, null, { timeout: 60_000 });
  return page;
}
