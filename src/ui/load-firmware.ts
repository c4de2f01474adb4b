/** The one path every firmware load takes (drop, file picker, automation API, the document). */

import type { FirmwareRef } from './board-doc/document.ts';
import { flashSizeBytes } from './board-doc/document.ts';
import { noteLoaded } from './board-doc/controller.ts';
import { DEMO_NAME } from './demo.ts';
import type { EmulatorClient } from './emulator-client.ts';
import { imageFromFiles, type NamedBytes } from './firmware-files.ts';
import { useAppStore } from './store.ts';
import type { EmulatorState } from '../worker/protocol.ts';

export async function loadFirmware(
  client: EmulatorClient,
  files: NamedBytes[],
  flashSize?: number,
  ref?: FirmwareRef,
): Promise<EmulatorState> {
  const store = useAppStore.getState();
  try {
    const size = flashSize ?? flashSizeBytes(store.doc);
    const image = imageFromFiles(files, size);
    // The worker takes the bytes over (transfer): keep copies for "embed firmware".
    const copies = files.map((f) => ({ ...f, data: f.data.slice() }));
    const state = await client.loadFlash(image);
    store.setLoadError(null);
    store.applyState(state);
    const isDemo = files.length === 1 && files[0].name === DEMO_NAME && !ref;
    noteLoaded(
      copies,
      ref ?? (isDemo ? { kind: 'demo' } : { kind: 'local', name: files[0].name }),
      size,
    );
    // A load the user asked for answers any "drop your firmware" notice.
    if (!ref) store.setNotice(null);
    return state;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    store.setLoadError(message);
    throw err;
  }
}
