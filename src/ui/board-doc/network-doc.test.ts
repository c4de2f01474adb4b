import { describe, expect, it } from 'vitest';
import { BoardDocumentError, defaultDocument, validateDocument } from './document.ts';
import { defaultNetwork, worldConfigOf } from './network-doc.ts';
import { decodeShare, encodeShareFragment, shareValue } from './share.ts';

function problems(network: unknown): string[] {
  try {
    validateDocument({ network });
  } catch (err) {
    if (err instanceof BoardDocumentError) return err.problems;
    throw err;
  }
  return [];
}

describe("the document's network", () => {
  it('defaults to an open and a WPA2 access point, also for documents saved before it existed', () => {
    const doc = validateDocument({});
    expect(doc.network).toEqual(defaultNetwork());
    expect(doc.network.aps.map((a) => [a.ssid, a.passphrase !== undefined])).toEqual([
      ['v8266-open', false],
      ['v8266-home', true],
    ]);
    expect(validateDocument({ network: { aps: [] } }).network).toEqual({ aps: [] });
  });

  it('becomes the same WorldConfig the CLI builds from --ap/--echo/--http/--mqtt', () => {
    expect(
      worldConfigOf({
        aps: [{ ssid: 'lab', passphrase: 'secret123', channel: 11, rssi: -70, hidden: true }],
        echo: [{ protocol: 'udp', port: 5000 }],
        http: { '/index.html': 'hi' },
        mqtt: false,
        tls: false,
      }),
    ).toEqual({
      aps: [{ ssid: 'lab', passphrase: 'secret123', channel: 11, rssi: -70, hidden: true }],
      echo: [{ protocol: 'udp', port: 5000 }],
      mqtt: false,
      tls: false,
      httpFiles: { '/index.html': 'hi' },
    });
    expect(
      worldConfigOf({ aps: [], stations: [{ name: 'phone', ssid: 'ESP_0A1B2C', rssi: -40 }] })
        .stations,
    ).toEqual([{ name: 'phone', ssid: 'ESP_0A1B2C', rssi: -40 }]);
    expect(worldConfigOf({ aps: [{ ssid: 'x' }] })).toMatchObject({ mqtt: true, tls: true });
  });

  it('names every problem with its path', () => {
    expect(
      problems({
        aps: [
          { ssid: '', channel: 14 },
          { ssid: 'a'.repeat(33), passphrase: 'short', rssi: 5, hidden: 'no', bssid: 'x' },
        ],
        echo: [
          { protocol: 'sctp', port: 1 },
          { protocol: 'tcp', port: 70000 },
        ],
        http: { 'index.html': 'x' },
        mqtt: 'yes',
        tls: 1,
        dns: true,
      }),
    ).toEqual([
      'network.dns: unknown property',
      'network.aps[0].ssid: 1-32 bytes of text',
      'network.aps[0].channel: 1-13',
      'network.aps[1].bssid: unknown property',
      'network.aps[1].ssid: 1-32 bytes of text',
      'network.aps[1].passphrase: 8-63 printable ASCII characters (leave it out for an open network)',
      'network.aps[1].rssi: -100..0 dBm',
      'network.aps[1].hidden: true or false',
      'network.echo[0].protocol: "tcp" or "udp"',
      'network.echo[1].port: 1-65535',
      'network.http["index.html"]: a path starts with /',
      'network.mqtt: true or false',
      'network.tls: true or false',
    ]);
    expect(problems({ aps: Array.from({ length: 9 }, (_, i) => ({ ssid: `n${i}` })) })).toEqual([
      'network.aps: at most 8 access points',
    ]);
  });

  it('takes a relay URL (ws:// or wss://) that the worker links the first LAN to', () => {
    expect(problems({ aps: [{ ssid: 'x' }], relay: 'ws://127.0.0.1:8265/' })).toEqual([]);
    expect(problems({ aps: [{ ssid: 'x' }], relay: 'wss://relay.example/net' })).toEqual([]);
    for (const bad of ['http://127.0.0.1:8265/', 'ws://', 'ws://a b', 42])
      expect(problems({ aps: [{ ssid: 'x' }], relay: bad })).toEqual([
        'network.relay: a ws:// or wss:// URL (v8266 relay: ws://127.0.0.1:8265/)',
      ]);
    expect(worldConfigOf({ aps: [{ ssid: 'x' }], relay: 'ws://127.0.0.1:8265/' })).toMatchObject({
      relay: 'ws://127.0.0.1:8265/',
    });
    expect(worldConfigOf({ aps: [{ ssid: 'x' }] })).not.toHaveProperty('relay');
  });

  it('checks virtual stations: a host name, an SSID, a WPA2 passphrase or none, at most 8', () => {
    expect(
      validateDocument({
        network: { aps: [], stations: [{ name: 'phone-1', ssid: 'ESP_0A1B2C' }] },
      }).network.stations,
    ).toEqual([{ name: 'phone-1', ssid: 'ESP_0A1B2C' }]);
    expect(
      problems({
        aps: [],
        stations: [
          { name: 'my phone', ssid: '', passphrase: 'short', mac: 'x' },
          { name: 'laptop', ssid: 'home', rssi: 3 },
        ],
      }),
    ).toEqual([
      'network.stations[0].mac: unknown property',
      "network.stations[0].name: a host name of 1-32 letters, digits and '-'",
      'network.stations[0].ssid: 1-32 bytes of text',
      'network.stations[0].passphrase: 8-63 printable ASCII characters (leave it out for an open network)',
      'network.stations[1].rssi: -100..0 dBm',
    ]);
    expect(
      problems({
        aps: [],
        stations: Array.from({ length: 9 }, (_, i) => ({ name: `s${i}`, ssid: 'x' })),
      }),
    ).toEqual(['network.stations: at most 8 stations']);
  });

  it('travels in the share link', () => {
    const doc = {
      ...defaultDocument(),
      network: {
        aps: [{ ssid: 'shared', passphrase: 'sharedpass', channel: 3, hidden: true }],
        mqtt: false,
      },
    };
    expect(decodeShare(shareValue(encodeShareFragment(doc))!)).toEqual(doc);
  });
});
