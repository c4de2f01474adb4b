/**
 * The virtual network's own cost, without a board: a virtual station (a phone) joined to a virtual
 * AP downloads a file from the AP's .1 host over TCP, through the air — 802.11 data frames, CCMP
 * on a WPA2 network, the AP's bridge to its LAN, the .1 host's TCP and HTTP server. Issue #10's
 * measure: throughput in simulated bytes per wall second (≥ 20 Mbit/s).
 */
import { TICKS_PER_SECOND } from '../src/board/clock.ts';
import { SimNet } from '../src/net/ip/testing/sim-net.ts';
import { NetworkWorld } from '../src/net/world.ts';

export interface TransferResult {
  bytes: number;
  /** Simulated seconds from the request to the last byte. */
  simulatedSeconds: number;
  /** Wall seconds of this process for the same span. */
  wallSeconds: number;
}

/** A deterministic, incompressible body (so nothing along the way can shortcut it). */
function body(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = 0x8266;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

export function runTransfer(passphrase: string | undefined, size: number): TransferResult {
  const net = new SimNet();
  const file = body(size);
  const world = new NetworkWorld(net.clock, {
    aps: [{ ssid: 'bench', passphrase }],
    stations: [{ name: 'phone', ssid: 'bench', passphrase }],
    httpFiles: { '/file.bin': file },
  });
  const [phone] = world.stations;
  if (!net.runUntil(() => phone.phase === 'online', 30))
    throw new Error('the station never got online');
  let response: string | null | undefined;
  const simStart = net.clock.now;
  const wallStart = performance.now();
  phone.httpGet('/file.bin', undefined, (r) => (response = r));
  if (!net.runUntil(() => response !== undefined, 60)) throw new Error('the download never ended');
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const simulatedSeconds = (net.clock.now - simStart) / TICKS_PER_SECOND;
  const got = phone.log[phone.log.length - 1];
  if (!got.endsWith(`200 OK, ${size} bytes`) && !/200 OK/.test(got))
    throw new Error(`unexpected answer: ${got}`);
  return { bytes: size, simulatedSeconds, wallSeconds };
}
