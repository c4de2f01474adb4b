import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

// The network panel's debugging tool console against our own firmware (firmware/wifitest/
// sockets.c): it joins the default open AP as 192.168.10.50 and does the seed guide's 3.3.1 (UDP
// echo on 1200), 3.3.2 (TCP client of 192.168.10.1:1001) and 3.3.3 (TCP server on 1002), each
// waiting up to 120 simulated seconds for the tool.

const SOCKETS = [...readFileSync('firmware/wifitest/out/sockets.bin')];
const serialText = async (page: Page) =>
  (await page.evaluate(() => window.v8266!.serialText())).replace(/\r\n/g, '\n');

test('the debugging tool console talks UDP and TCP both ways with the firmware', async ({
  app,
}) => {
  test.setTimeout(360_000); // three exchanges, each a few round trips through the page
  const { page } = app;
  await app.open();
  await page.evaluate((bytes) => {
    window.v8266!.clearSerial();
    return window.v8266!.load([{ name: 'sockets.bin', bytes }]);
  }, SOCKETS);
  const tool = page.getByTestId('net-tool');
  const log = tool.getByTestId('net-tool-log');
  const open = async (kind: string, fields: { port?: string; remote?: string }) => {
    await tool.getByTestId('net-tool-kind').selectOption(kind);
    if (fields.port !== undefined) await tool.getByTestId('net-tool-port').fill(fields.port);
    if (fields.remote !== undefined) await tool.getByTestId('net-tool-remote').fill(fields.remote);
    await tool.getByTestId('btn-net-tool-open').click();
  };
  const send = async (text: string, eol: string) => {
    await tool.getByTestId('net-tool-eol').selectOption(eol);
    await tool.getByTestId('net-tool-input').fill(text);
    await tool.getByTestId('btn-net-tool-send').click();
  };

  // The form refuses what it cannot open.
  await tool.getByTestId('net-tool-kind').selectOption('tcp-client');
  await tool.getByTestId('net-tool-remote').fill('192.168.10.50');
  await expect(tool.getByTestId('net-tool-problems')).toHaveText('connect to IP:PORT');
  await expect(tool.getByTestId('btn-net-tool-open')).toBeDisabled();

  // 3.3.1: a UDP port sending to the board's 1200; the server 3.3.2's client will connect to.
  await open('udp', { port: '5000', remote: '192.168.10.50:1200' });
  await open('tcp-server', { port: '1001' });
  await expect(tool.getByTestId('net-tool-session')).toHaveCount(2);
  await expect(log).toContainText('[1] udp open on 5000, sending to 192.168.10.50:1200');
  await expect(log).toContainText('[2] tcp listening on 1001');
  await expect
    .poll(() => serialText(page), { timeout: 60_000 })
    .toContain('udp: listening on 1200');
  await expect(tool.getByTestId('net-tool-input')).toHaveAttribute('placeholder', 'send on [1]');
  await send('ESP8266 UDP test', 'none');
  await expect(log).toContainText('[1] > 192.168.10.50:1200 (16 bytes) ESP8266 UDP test');
  await expect(log).toContainText('[1] < 192.168.10.50:1200 (16 bytes) ESP8266 UDP test');
  await expect
    .poll(() => serialText(page))
    .toContain('udp: recv 16 bytes from 192.168.10.1:5000: ESP8266 UDP test');

  // 3.3.2: the board connects and sends; the answer goes to its connection (the newest session).
  await expect(log).toContainText('[3] < 192.168.10.50:4000 (17 bytes) ESP8266 recv test', {
    timeout: 30_000,
  });
  await expect(tool.getByTestId('net-tool-input')).toHaveAttribute('placeholder', 'send on [3]');
  await send('hello client', 'CRLF');
  await expect(log).toContainText('[3] > 192.168.10.50:4000 (14 bytes) hello client\\r\\n');
  await expect
    .poll(() => serialText(page))
    .toContain('tcp client: recv data 14 bytes: hello client\\r\\n');
  await expect(log).toContainText('[3] tcp closed');

  // 3.3.3: connect to the board's server once it listens, and type a line.
  await expect
    .poll(() => serialText(page), { timeout: 30_000 })
    .toContain('tcp server: listening on 1002');
  await open('tcp-client', { remote: '192.168.10.50:1002' });
  await expect(log).toContainText('[4] tcp connected to 192.168.10.50:1002');
  await expect(tool.getByTestId('net-tool-input')).toHaveAttribute('placeholder', 'send on [4]');
  await send('hello server', 'none');
  await expect
    .poll(() => serialText(page))
    .toContain('tcp server: read data 12: hello server\ntcp server: closed\ndone');
  await expect(log).toContainText('[4] tcp closed');

  // Closing the listener and the UDP port leaves nothing open. One close at a time: a second
  // click before the list has caught up with the first lands on the session already closing.
  const sessions = tool.getByTestId('net-tool-session');
  await expect(sessions).toHaveCount(2);
  for (const left of [1, 0]) {
    await tool.getByTestId('net-tool-close').first().click();
    await expect(sessions).toHaveCount(left);
  }
  await expect(tool.getByTestId('btn-net-tool-send')).toBeDisabled();
});
