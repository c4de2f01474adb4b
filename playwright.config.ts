import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in Debian's Chromium (never a downloaded browser).
 *
 * Three ways of serving the app, one project each:
 *   dev          the Vite dev server (COOP/COEP headers from vite.config.ts): every test;
 *   preview      the production build under `vite preview` (same headers): tests tagged @build;
 *   static-host  the production build from a server that sends no special headers, so the page
 *                must isolate itself with public/coi-sw.js: tests tagged @build.
 */

// Several checkouts on one machine (git worktrees) each run their own servers: an offset keeps
// them apart, since reuseExistingServer would otherwise test another checkout's code.
const PORT_OFFSET = Number(process.env.V8266_E2E_PORT_OFFSET ?? 0);
const DEV_PORT = 5273 + PORT_OFFSET;
const PREVIEW_PORT = 4273 + PORT_OFFSET;
const STATIC_PORT = 4373 + PORT_OFFSET;

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  // Every wait is on a condition (output seen, state reached); these limits only end a test that
  // will never pass, so they are generous: a loaded 2-core CI machine runs the browser at a
  // fraction of its speed (load averages of 25 were seen while other checkouts built and tested).
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: true,
  // Time-based tests (pacing) need CPU: one browser per core is plenty.
  workers: 2,
  forbidOnly: !!process.env.CI,
  // Timing-sensitive tests on a shared 2-core machine: one retry in CI, reported as "flaky" in the
  // list output so a test that needs it is still seen.
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: [
    {
      command: `npx vite --port ${DEV_PORT} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${DEV_PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: 'node e2e/serve-build.mjs',
      url: `http://127.0.0.1:${STATIC_PORT}/`,
      env: { PREVIEW_PORT: String(PREVIEW_PORT), STATIC_PORT: String(STATIC_PORT) },
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
    },
  ],
  projects: [
    { name: 'dev', use: { baseURL: `http://127.0.0.1:${DEV_PORT}/` } },
    { name: 'preview', use: { baseURL: `http://127.0.0.1:${PREVIEW_PORT}/` }, grep: /@build/ },
    { name: 'static-host', use: { baseURL: `http://127.0.0.1:${STATIC_PORT}/` }, grep: /@build/ },
  ],
});
