import { describe, expect, it } from 'vitest';
import { decodeSnapshot, encodeSnapshot } from '../board/snapshot/snapshot-format.ts';
import { StateReader } from '../board/snapshot/state.ts';
import { readWorldConfig, saveWorldConfig, WORLD_SNAPSHOT_VERSION } from './world-snapshot.ts';
import type { WorldConfig } from './world.ts';

/** Through the file format and back, as --snapshot-out and --snapshot-in do. */
const roundTrip = (config: WorldConfig) =>
  readWorldConfig(
    new StateReader(decodeSnapshot(encodeSnapshot({ network: saveWorldConfig(config) }))).child(
      'network',
    ),
  );

describe("the network's part of a snapshot", () => {
  it('carries the whole configuration: APs, stations, services, files, country, clock, seed', () => {
    const config: WorldConfig = {
      aps: [
        { ssid: 'home', passphrase: 'correct horse', channel: 11, rssi: -61, hidden: true },
        { ssid: 'café <b>' },
      ],
      stations: [{ name: 'phone', ssid: 'home', passphrase: 'correct horse', rssi: -40 }],
      echo: [{ protocol: 'udp', port: 2323 }],
      mqtt: false,
      tls: false,
      httpFiles: { '/index.html': '<h1>hi</h1>', '/logo.bin': Uint8Array.of(0, 0xff, 7) },
      country: 'JP',
      epochUnixMs: 1_700_000_000_000,
      leaseSeconds: 600,
      seed: 42,
    };
    expect(roundTrip(config)).toEqual({
      ...config,
      aps: [config.aps[0], { ssid: 'café <b>' }],
      // Text files come back as their UTF-8 bytes (the web server sends the same bytes).
      httpFiles: {
        '/index.html': new TextEncoder().encode('<h1>hi</h1>'),
        '/logo.bin': Uint8Array.of(0, 0xff, 7),
      },
    });
  });

  it('leaves out what was not set', () => {
    expect(roundTrip({ aps: [{ ssid: 'open' }] })).toEqual({
      aps: [{ ssid: 'open' }],
      stations: [],
      echo: [],
    });
  });

  it('refuses another version or a broken field, naming it', () => {
    const saved = { ...saveWorldConfig({ aps: [{ ssid: 'x' }] }) };
    expect(() =>
      readWorldConfig(
        new StateReader({ network: { ...saved, version: WORLD_SNAPSHOT_VERSION + 1 } }).child(
          'network',
        ),
      ),
    ).toThrow(`the snapshot's network is in format 3; this v8266 reads formats 1 and 2`);
    expect(() =>
      readWorldConfig(
        new StateReader({ network: { ...saved, aps: [{ ssid: 7 }] } }).child('network'),
      ),
    ).toThrow('snapshot field network.aps[0].ssid: expected text');
    expect(() =>
      readWorldConfig(new StateReader({ network: { ...saved, country: 'XX' } }).child('network')),
    ).toThrow('snapshot field network.country: unknown country XX');
  });
});
