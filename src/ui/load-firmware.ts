/** The one path every firmware load takes (drop, file picker, automation API). */

import type { EmulatorClient } from './emulator-client.ts';
import { imageFromFiles, type NamedBytes } from './firmware-files.ts';
import { useAppStore } from './store.ts';
import type { EmulatorState } from '../worker/protocol.ts';

export async function loadFirmware(
  client: EmulatorClient,
  files: NamedBytes[],
  flashSize?: number,
): Promise<EmulatorState> {
  const store = useAppStore.getState();
  try {
    const image = imageFromFiles(files, flashSize);
    const state = await client.loadFlash(image);
    store.setLoadError(null);
    store.applyState(state);
    return state;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    store.setLoadError(message);
    throw err;
  }
}
