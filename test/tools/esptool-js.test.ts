/**
 * esptool-js — the flashing library of esp-web-tools and many browser flashers — flashes the
 * virtual board through `v8266 serve`, unmodified, through our Web Serial look-alike over
 * RFC 2217: the ROM's download protocol (sync, chip detection, the stub upload, the ROM's own
 * FLASH_BEGIN/DATA/END with its erase miscount) and esptool's stub running as guest code
 * (compressed writes, MD5 verification).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ESPLoader, Transport, type IEspLoaderTerminal } from 'esptool-js';
import { afterAll, describe, expect, it } from 'vitest';
import { Rfc2217SerialPort } from '../../src/cli/rfc2217-serial-port.ts';
import { RawMonitor, ROOT, startServe, type ServeProcess } from './serve-harness.ts';

const demo = new Uint8Array(readFileSync(`${ROOT}/firmware/esp/out/demo.bin`));
const hello = new Uint8Array(readFileSync(`${ROOT}/firmware/esp/out/hello.bin`));

function loaderFor(port: number, lines: string[]) {
  const terminal: IEspLoaderTerminal = {
    clean() {},
    writeLine: (line) => lines.push(line),
    write: (text) => lines.push(text),
  };
  const transport = new Transport(new Rfc2217SerialPort('127.0.0.1', port) as unknown as ConstructorParameters<typeof Transport>[0], false);
  return { transport, loader: new ESPLoader({ transport, baudrate: 115200, terminal }) };
}

/**
 * esptool.py's hard reset: an RTS pulse with DTR released. esptool-js 0.7's `after('hard_reset')`
 * only releases RTS, and its `setRTS` re-asserts the DTR its classic reset left recorded as on,
 * which on a NodeMCU (and here) selects download mode again; `setSignals` sets both lines.
 */
async function pulseReset(transport: Transport): Promise<void> {
  await transport.setSignals(false, true);
  await new Promise((r) => setTimeout(r, 100));
  await transport.setSignals(false, false);
}

const md5 = (image: Uint8Array) => createHash('md5').update(image).digest('hex');

describe('esptool-js against v8266 serve', () => {
  let serve: ServeProcess | undefined;
  let monitor: RawMonitor | undefined;
  afterAll(async () => {
    monitor?.close();
    await serve?.stop();
  });

  it('flashes with the stub (compressed, MD5-verified), then with the ROM loader alone', async () => {
    serve = await startServe(['firmware/esp/out/demo.bin']);
    monitor = await RawMonitor.open(serve.raw);

    // 1. The usual esp-web-tools flow: connect (reset into download mode), stub, compressed
    //    write, MD5 check by the stub, reset into the new firmware.
    const lines: string[] = [];
    const first = loaderFor(serve.rfc2217, lines);
    expect(await first.loader.main()).toBe('ESP8266EX');
    expect(lines).toContain('Stub running...');
    // esptool derives the crystal from the divider the ROM's autobaud left in UART_CLKDIV:
    // 52 MHz / 115200 ≈ 451 → 451 × 115200 / 2 ≈ 26 MHz (a 40 MHz reading means no autobaud).
    expect(lines).toContain('Crystal is 26MHz');
    await first.loader.writeFlash({
      fileArray: [{ data: hello, address: 0 }],
      flashMode: 'keep',
      flashFreq: 'keep',
      flashSize: 'keep',
      eraseAll: false,
      compress: true,
      calculateMD5Hash: md5,
    });
    expect(lines).toContain('Hash of data verified.');
    let mark = monitor.output.length;
    await pulseReset(first.transport);
    await monitor.waitFor('hello from v8266', mark);
    await first.transport.disconnect();

    // 2. No stub: the ROM's own FLASH_BEGIN/DATA/END (1 KB blocks, esptool's erase-size
    //    compensation for the ROM's miscount), then the demo is back.
    const second = loaderFor(serve.rfc2217, []);
    await second.loader.detectChip('default_reset');
    await second.loader.writeFlash({
      fileArray: [{ data: demo, address: 0 }],
      flashMode: 'keep',
      flashFreq: 'keep',
      flashSize: 'keep',
      eraseAll: false,
      compress: false,
    });
    mark = monitor.output.length;
    await pulseReset(second.transport);
    await monitor.waitFor('v8266 demo ready', mark);
    await second.transport.disconnect();

    expect(serve.log()).toContain('reset by DTR/RTS, GPIO0 low: download mode');
    expect(serve.log()).not.toContain('not implemented');
  }, 300_000);
});
