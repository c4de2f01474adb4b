import { expect, test } from '@playwright/test';

// Only meaningful where the page must isolate itself: the header-less static host.
test.describe('@build without service workers on a header-less host', () => {
  test.use({ serviceWorkers: 'block' });

  test('explains why it cannot start, and does not reload in a loop', async ({ page }, info) => {
    test.skip(info.project.name !== 'static-host', 'the other servers send the headers');
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
    await page.goto('./');
    await expect(page.getByText('v8266 cannot start')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('alert')).toContainText('not cross-origin isolated');
    await page.waitForTimeout(1000);
    expect(navigations).toBeLessThanOrEqual(2); // the first load, at most one reload
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(false);
  });
});
