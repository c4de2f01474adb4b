/**
 * "Install": what esp-web-tools does with a manifest and a board on a USB adapter, done to the
 * virtual board — esptool-js, loaded into the tab, opens the board's UART0 as a serial port
 * (EmulatorSerialPort), resets it into the ROM's download mode through DTR/RTS, uploads
 * esptool's stub, writes the parts compressed, has the stub check each part's MD5, and resets
 * the board into the new firmware.
 */

import type { EmulatorClient } from '../emulator-client.ts';
import { FirmwareFileError, parseManifest, type NamedBytes } from '../firmware-files.ts';
import { EmulatorSerialPort } from './emulator-serial-port.ts';
import { md5Hex } from './md5.ts';

export interface InstallPart {
  name: string;
  offset: number;
  data: Uint8Array;
}

export type InstallStage = 'connecting' | 'writing' | 'resetting' | 'done';

export interface InstallProgress {
  stage: InstallStage;
  /** Bytes of all parts written so far (uncompressed), and their total. */
  written: number;
  total: number;
}

/** The manifest's ESP8266 parts, each matched with the file of its `path`'s name. */
export function manifestParts(files: NamedBytes[]): { name: string; parts: InstallPart[] } {
  const manifestFile = files.find((f) => /\.json$/i.test(f.name));
  if (!manifestFile)
    throw new FirmwareFileError('Choose an esp-web-tools manifest.json with its .bin files.');
  const manifest = parseManifest(new TextDecoder().decode(manifestFile.data));
  const parts = manifest.parts.map((p) => {
    const file = files.find((f) => f !== manifestFile && f.name === p.file);
    if (!file)
      throw new FirmwareFileError(
        `The manifest needs ${p.file}: choose it together with ${manifestFile.name}.`,
      );
    return { name: p.file, offset: p.offset, data: file.data };
  });
  return { name: manifest.name, parts };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function installFirmware(
  client: EmulatorClient,
  parts: InstallPart[],
  progress: (p: InstallProgress) => void,
  log: (line: string) => void,
): Promise<void> {
  const { ESPLoader, Transport } = await import('esptool-js');
  const total = parts.reduce((n, p) => n + p.data.length, 0);
  const before = parts.map((_, i) => parts.slice(0, i).reduce((n, p) => n + p.data.length, 0));
  progress({ stage: 'connecting', written: 0, total });
  const port = new EmulatorSerialPort(client);
  const transport = new Transport(
    port as unknown as ConstructorParameters<typeof Transport>[0],
    false,
  );
  const terminal = {
    clean() {},
    writeLine: (line: string) => log(line),
    write: (text: string) => log(text),
  };
  /**
   * esptool's answer budgets are wall time (3 s by default, 200 ms for MEM_END, which starts the
   * stub). The virtual chip answers within a real chip's times in simulated time, but a busy
   * computer runs it slower than real time, and every answer also crosses the worker boundary
   * and waits for the next animation frame. So the page allows more wall time; the protocol and
   * everything else are esptool-js's own.
   */
  class PatientLoader extends ESPLoader {
    override async memFinish(entrypoint: number): Promise<void> {
      const isEntry = entrypoint === 0 ? 1 : 0;
      const data = this._appendArray(
        this._intToByteArray(isEntry),
        this._intToByteArray(entrypoint),
      );
      await this.checkCommand(
        'leave RAM download mode',
        this.ESP_MEM_END,
        data,
        undefined,
        undefined,
        this.DEFAULT_TIMEOUT,
      );
    }
  }
  const loader = new PatientLoader({ transport, baudrate: 115200, terminal });
  loader.DEFAULT_TIMEOUT = 30_000;
  try {
    await loader.main('default_reset');
    progress({ stage: 'writing', written: 0, total });
    await loader.writeFlash({
      fileArray: parts.map((p) => ({ data: p.data, address: p.offset })),
      flashMode: 'keep',
      flashFreq: 'keep',
      flashSize: 'keep',
      eraseAll: false,
      compress: true,
      reportProgress: (index, written, size) =>
        progress({ stage: 'writing', written: before[index] + Math.min(written, size), total }),
      calculateMD5Hash: md5Hex,
    });
    // esptool's hard reset: an RTS pulse with DTR released (esptool-js 0.7's after('hard_reset')
    // only releases RTS; docs/tools.md).
    progress({ stage: 'resetting', written: total, total });
    await transport.setSignals(false, true);
    await sleep(100);
    await transport.setSignals(false, false);
  } finally {
    await transport.disconnect().catch(() => {});
  }
  progress({ stage: 'done', written: total, total });
}
