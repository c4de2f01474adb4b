/**
 * The demo firmware the page opens with (firmware/esp/demo.c, built and committed): the ROM
 * banner at 74880 baud, then a 1 Hz GPIO2 blink, serial echo, the FLASH button, boot counters.
 * Vite serves the committed image as an asset, so a rebuilt demo is what the page runs.
 */

import demoUrl from '../../firmware/esp/out/demo.bin?url';
import type { EmulatorClient } from './emulator-client.ts';
import { loadFirmware } from './load-firmware.ts';

export const DEMO_NAME = 'demo.bin';

export async function fetchDemo(): Promise<Uint8Array> {
  const response = await fetch(demoUrl);
  if (!response.ok) throw new Error(`demo firmware: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export async function loadDemo(client: EmulatorClient): Promise<void> {
  try {
    await loadFirmware(client, [{ name: DEMO_NAME, data: await fetchDemo() }]);
  } catch {
    // loadFirmware shows its message in the drop zone; a failed fetch leaves an empty board.
  }
}
