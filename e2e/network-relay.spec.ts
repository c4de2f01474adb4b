import { parseIpv4 } from '../src/net/ip/bytes.ts';
import { parseCidr } from '../src/net/relay/destination-filter.ts';
import { hostBeyondRelay, type RelayedHost } from '../src/cli/net/relayed-host.ts';
import { startRelay } from '../src/cli/relay-command.ts';
import { expect, test } from './fixtures.ts';

// The page's LAN linked to `v8266 relay` (started here, in-process) through the worker's own
// WebSocket: a host beyond the relay pings the page's 192.168.10.1 and gets its answer.

test("the network section's relay links the page's LAN to v8266 relay", async ({ app }) => {
  const relay = await startRelay({
    port: 0,
    listen: '127.0.0.1',
    allow: [parseCidr('192.168.10.0/24')],
    tapIfname: null,
  });
  let beyond: RelayedHost | null = null;
  try {
    const { page } = app;
    await app.open();
    const url = `ws://127.0.0.1:${relay.port}/`;
    const problems = await page.evaluate((relayUrl) => {
      const d = window.v8266!.doc();
      return window.v8266!.setDocText(
        JSON.stringify({ ...d, network: { ...d.network, relay: relayUrl } }),
      );
    }, url);
    expect(problems).toEqual([]);
    const shown = page.getByTestId('net-relay');
    await expect(shown).toHaveAttribute('data-state', 'open');
    await expect(shown).toContainText(`relay ${url} · open`);

    beyond = hostBeyondRelay(url, 'far', '192.168.10.250', '02:00:00:00:0f:01');
    const { host: far, link } = beyond;
    let replies = 0;
    far.onEchoReply = () => replies++;
    // A ping a second until one is answered (the first waits for ARP across the relay).
    await expect
      .poll(
        () => {
          if (link.state === 'open')
            far.ping(parseIpv4('192.168.10.1'), 1, replies, new Uint8Array(16));
          return replies;
        },
        { timeout: 60_000, intervals: [1000] },
      )
      .toBeGreaterThan(0);
    await expect(shown).not.toContainText('0 frames in');
  } finally {
    beyond?.close();
    await relay.close();
  }
});
