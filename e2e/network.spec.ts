import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, loadCommitted, test } from './fixtures.ts';

// The network panel against our own station firmware (firmware/wifitest/join.c): it scans
// channels 1-13 with probe requests, joins the first open AP that answers, and ARPs the gateway.

const serialText = (page: Page) => page.evaluate(() => window.v8266!.serialText());

/** Waits for join.c's last line (clear the serial text before starting it). */
async function joinOutput(page: Page) {
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('done');
  return (await serialText(page)).replace(/\r\n/g, '\n');
}

async function loadJoin(page: Page) {
  await loadCommitted(page, 'firmware/wifitest/out/join.bin');
  return joinOutput(page);
}

async function resetAndJoin(page: Page) {
  await page.evaluate(() => {
    window.v8266!.clearSerial();
    return window.v8266!.reset();
  });
  return joinOutput(page);
}

test('@build the panel shows the board joining the default open AP and its frames', async ({
  app,
}) => {
  const { page } = app;
  await app.open();
  const panel = page.getByTestId('network-panel');
  // The newcomer's default: an open and a WPA2 access point.
  await expect(panel.getByTestId('net-ap')).toHaveCount(2);
  await expect(panel.getByTestId('net-ap').nth(0)).toContainText('v8266-open');
  await expect(panel.getByTestId('net-ap').nth(0)).toContainText('open · ch 1');
  await expect(panel.getByTestId('net-ap').nth(1)).toContainText('WPA2 · ch 6');

  const first = await loadJoin(page);
  expect(first).toContain('ch 1: "v8266-open" 02:82:66:00:00:00 rssi -45');
  expect(first).toContain('assoc status 0 aid 1');
  expect(first).toContain('arp reply op 2: 192.168.10.1 is at 02:82:66:00:00:01');

  // The board, associated to the AP we configured, on its channel.
  await expect(panel.getByTestId('net-board-mode')).toHaveText('station');
  await expect(panel.getByTestId('net-board-channel')).toHaveText('1');
  await expect(panel.getByTestId('net-board-assoc')).toContainText(
    'associated to "v8266-open" (02:82:66:00:00:00), AID 1, -45 dBm',
  );
  const mac = (await panel.getByTestId('net-board-mac').textContent())!;
  expect(mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  await expect(panel.getByTestId('net-ap').nth(0).getByTestId('net-station')).toContainText(
    `${mac} authorized · AID 1`,
  );
  // Its probe, authentication, association and ARP in the packet list.
  const list = panel.getByTestId('net-packets');
  for (const text of [
    'Probe request (wildcard)',
    'Probe response "v8266-open"',
    'Authentication seq 1 status 0',
    'Authentication seq 2 status 0',
    'Association request "v8266-open"',
    'Association response status 0 aid 1',
    'Who has 192.168.10.1? Tell 192.168.10.50',
    '192.168.10.1 is at 02:82:66:00:00:01',
  ])
    await expect(list).toContainText(text);
  await expect(
    list.getByTestId('net-packet').filter({ hasText: 'Association request' }),
  ).toContainText(mac);
  // Beacons are listed once the filter is off.
  await panel.getByTestId('net-hide-noise').uncheck();
  await expect(list).toContainText('Beacon "v8266-home"');

  // The capture downloads as a pcap with radiotap frames.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByTestId('btn-net-pcap').click(),
  ]);
  expect(download.suggestedFilename()).toBe('v8266-air.pcap');
  const pcap = readFileSync((await download.path())!);
  expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
  expect(pcap.readUInt32LE(20)).toBe(127);
  expect(pcap.length).toBeGreaterThan(1000);
  await app.screenshot('network-panel');
});

test('@build editing the access points changes what the firmware finds after a reset', async ({
  app,
}) => {
  const { page } = app;
  await app.open();
  const panel = page.getByTestId('network-panel');
  expect(await loadJoin(page)).toContain('ch 1: "v8266-open"');

  // Edit: the WPA2 AP goes, the open one moves to channel 11 and is heard at -70 dBm.
  await panel.getByTestId('net-ap').nth(1).getByTestId('net-ap-remove').click();
  await panel.getByTestId('net-ap').nth(0).getByTestId('net-ap-edit').click();
  const form = panel.getByTestId('net-ap-form');
  await form.getByTestId('net-ap-channel').selectOption('11');
  await form.getByTestId('net-ap-rssi').fill('-70');
  await form.getByTestId('net-ap-save').click();
  await expect(panel.getByTestId('net-ap')).toHaveCount(1);
  await expect(panel.getByTestId('net-ap')).toContainText('open · ch 11 · -70 dBm');
  expect((await page.evaluate(() => window.v8266!.doc())).network).toEqual({
    aps: [{ ssid: 'v8266-open', channel: 11, rssi: -70 }],
  });
  const moved = await resetAndJoin(page);
  expect(moved).toContain('ch 11: "v8266-open" 02:82:66:00:00:00 rssi -70');
  await expect(panel.getByTestId('net-board-channel')).toHaveText('11');
  await expect(panel.getByTestId('net-board-assoc')).toContainText('associated to "v8266-open"');

  // A form with a bad passphrase cannot be saved.
  await panel.getByTestId('btn-net-add-ap').click();
  await form.getByTestId('net-ap-pass').fill('short');
  await expect(form.getByTestId('net-ap-problems')).toContainText('passphrase: 8-63');
  await expect(form.getByTestId('net-ap-save')).toBeDisabled();
  await form.getByTestId('net-ap-cancel').click();

  // No AP at all: the firmware finds nothing.
  await panel.getByTestId('net-ap-remove').click();
  await expect(panel.getByTestId('net-ap')).toHaveCount(0);
  expect(await resetAndJoin(page)).toContain('no network');
  await expect(panel.getByTestId('net-board')).toHaveCount(0);
});

test('@build the network survives a share link round trip', async ({ app }) => {
  const { page } = app;
  await app.open();
  await loadJoin(page);
  const network = {
    aps: [
      { ssid: 'far', channel: 9, rssi: -80 },
      { ssid: 'shared-lab', channel: 3, rssi: -62, hidden: true },
      { ssid: 'secure', passphrase: 'sharedsecret', channel: 13 },
    ],
    echo: [{ protocol: 'udp', port: 5000 }],
    mqtt: false,
  };
  const problems = await page.evaluate(
    (n) => window.v8266!.setDocText(JSON.stringify({ ...window.v8266!.doc(), network: n })),
    network,
  );
  expect(problems).toEqual([]);
  await expect(page.getByTestId('net-ap')).toHaveCount(3);
  await page.getByTestId('btn-share').click();
  await expect(page.getByTestId('share-flash')).toBeEnabled({ timeout: 30_000 });
  const url = await page.getByTestId('share-url').inputValue();
  expect(url).toContain('#b=');

  await page.goto('about:blank');
  await page.goto(url);
  await expect
    .poll(() => page.evaluate(() => window.v8266 !== undefined).catch(() => false))
    .toBe(true);
  await expect
    .poll(() => page.evaluate(() => window.v8266!.doc().network), { timeout: 60_000 })
    .toEqual(network);
  const panel = page.getByTestId('network-panel');
  await expect(panel.getByTestId('net-ap')).toHaveCount(3);
  await expect(panel.getByTestId('net-ap').nth(1)).toContainText('open · ch 3 · -62 dBm · hidden');
  // The link carried the flash: join.bin boots again; the hidden AP on channel 3 ignores its
  // wildcard probes, so the first answer comes from "far" on channel 9.
  await expect(panel.getByTestId('net-board-assoc')).toContainText('associated to "far"', {
    timeout: 60_000,
  });
  await expect(panel.getByTestId('net-board-channel')).toHaveText('9');
});

test('a virtual station added in the panel joins an AP, takes a lease, pings and fetches a page', async ({
  app,
}) => {
  // A phone in the air: what a board's SoftAP would see join it; here it joins the default open
  // AP, whose LAN's .1 host answers ping and serves a page on port 80.
  const { page } = app;
  await app.open();
  const panel = page.getByTestId('network-panel');
  await panel.getByTestId('btn-net-add-sta').click();
  const form = panel.getByTestId('net-sta-form');
  await form.getByTestId('net-sta-name').fill('my phone');
  await expect(form.getByTestId('net-sta-problems')).toContainText('name: a host name');
  await expect(form.getByTestId('net-sta-save')).toBeDisabled();
  await form.getByTestId('net-sta-name').fill('phone');
  await form.getByTestId('net-sta-ssid').fill('v8266-open');
  await form.getByTestId('net-sta-save').click();
  expect((await page.evaluate(() => window.v8266!.doc())).network.stations).toEqual([
    { name: 'phone', ssid: 'v8266-open' },
  ]);

  const sta = panel.getByTestId('net-sta');
  await expect(sta).toHaveCount(1);
  await expect(sta.getByTestId('net-sta-meta')).toContainText('online · 192.168.10.100', {
    timeout: 60_000,
  });
  await expect(sta.getByTestId('net-sta-log')).toContainText(
    'joined "v8266-open" 02:82:66:00:00:00 (AID 1)',
  );
  // The AP lists it with its lease and host name.
  await expect(panel.getByTestId('net-ap').nth(0).getByTestId('net-station')).toContainText(
    '02:82:66:5a:00:00 authorized · AID 1',
  );
  await expect(panel.getByTestId('net-ap').nth(0).getByTestId('net-station')).toContainText(
    '192.168.10.100 (phone)',
  );
  await sta.getByTestId('net-sta-ping').click();
  await expect(sta.getByTestId('net-sta-log')).toContainText(
    /ping 192\.168\.10\.1: reply in [0-9.]+ ms/,
  );
  await sta.getByTestId('net-sta-get').click();
  await expect(sta.getByTestId('net-sta-log')).toContainText('GET / → HTTP/1.1 200 OK');
  // Its DHCP and join are in the packet list too.
  await expect(panel.getByTestId('net-packets')).toContainText('Association request "v8266-open"');

  await sta.getByTestId('net-sta-remove').click();
  await expect(panel.getByTestId('net-sta')).toHaveCount(0);
  expect((await page.evaluate(() => window.v8266!.doc())).network.stations).toBeUndefined();
});
