/** The one path every firmware load takes (drop, file picker, automation API, the document). */

import type { FirmwareRef } from './board-doc/document.ts';
import { flashSizeBytes } from './board-doc/document.ts';
import { noteLoaded, noteLoading } from './board-doc/controller.ts';
import { DEMO_NAME } from './demo.ts';
import type { EmulatorClient } from './emulator-client.ts';
import {
  expandElf,
  imageFromFiles,
  recognisedBootImage,
  type NamedBytes,
} from './firmware-files.ts';
import { useAppStore } from './store.ts';
import type { EmulatorState } from '../worker/protocol.ts';

export async function loadFirmware(
  client: EmulatorClient,
  dropped: NamedBytes[],
  flashSize?: number,
  ref?: FirmwareRef,
): Promise<EmulatorState> {
  const store = useAppStore.getState();
  // Before any await: a demo or URL download finishing meanwhile must not load over this one.
  noteLoading();
  try {
    const size = flashSize ?? flashSizeBytes(store.doc);
    // An .elf: its flash parts are loaded, its symbols kept for the crash panel.
    const { files, elf } = expandElf(dropped);
    const image = imageFromFiles(files, size);
    const recognised = recognisedBootImage(image);
    // The worker takes the bytes over (transfer): keep copies for "embed firmware".
    const copies = files.map((f) => ({ ...f, data: f.data.slice() }));
    const state = await client.loadFlash(image);
    store.setLoadError(null);
    store.applyState(state);
    store.setElf(elf ? { name: dropped[0]!.name, file: elf } : null);
    store.crashFirmwareChanged();
    const isDemo = dropped.length === 1 && dropped[0].name === DEMO_NAME && !ref;
    noteLoaded(
      copies,
      ref ?? (isDemo ? { kind: 'demo' } : { kind: 'local', name: dropped[0].name }),
      size,
    );
    // A load the user asked for answers any "drop your firmware" notice.
    if (!ref) store.setNotice(recognised);
    return state;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    store.setLoadError(message);
    throw err;
  }
}
