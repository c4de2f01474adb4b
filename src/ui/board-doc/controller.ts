/**
 * Applies the board document to the running emulator, live: a new MAC or flash size rebuilds
 * the board with the same flash contents (the worker's `configure`), pacing goes to the pacer,
 * a changed firmware reference loads that firmware. Parts and the board drawing follow the
 * document in React. Applies run one after another, in document order.
 */

import { formatFlashSize } from '../../board/image/flash-layout.ts';
import { fetchDemo, DEMO_NAME } from '../demo.ts';
import type { EmulatorClient } from '../emulator-client.ts';
import type { NamedBytes } from '../firmware-files.ts';
import { useAppStore } from '../store.ts';
import { flashSizeBytes, macBytes, type BoardDocument, type FirmwareRef } from './document.ts';
import { fetchOnlyThere, resolveFirmwareUrl } from './firmware-url.ts';
import { worldConfigOf } from './network-doc.ts';
import { unembedFirmware } from './share.ts';

let applied: BoardDocument | null = null;
let queue: Promise<void> = Promise.resolve();
/** Copies of the files last flashed, for "embed firmware" in the share dialog. */
let loadedFiles: NamedBytes[] | null = null;
/** The firmware loader (load-firmware.ts), injected to keep the import graph acyclic. */
type Loader = (files: NamedBytes[], ref: FirmwareRef) => Promise<unknown>;
let loader: Loader | null = null;
/** Loads started so far: a fetch that finishes after another load began must not replace it. */
let loads = 0;

/** A load is starting (load-firmware.ts, before it sends anything to the worker). */
export function noteLoading(): void {
  loads++;
}

export function lastLoadedFiles(): NamedBytes[] | null {
  return loadedFiles;
}

/** A load happened (a drop, the demo, a test): the document now names that firmware. */
export function noteLoaded(files: NamedBytes[], ref: FirmwareRef, flashSize: number): void {
  loadedFiles = files;
  const store = useAppStore.getState();
  const doc: BoardDocument = { ...store.doc, firmware: ref, flashSize: formatFlashSize(flashSize) };
  if (applied) applied = { ...applied, firmware: ref, flashSize: doc.flashSize };
  if (JSON.stringify(doc) !== JSON.stringify(store.doc)) store.setDoc(doc);
}

/**
 * A snapshot replaced the board: the document takes its flash size (without rebuilding the board,
 * which would boot it again). The firmware reference stays: the flash holds what the snapshot had.
 */
export function noteRestored(flashSize: number): void {
  const store = useAppStore.getState();
  const doc: BoardDocument = { ...store.doc, flashSize: formatFlashSize(flashSize) };
  if (applied) applied = { ...applied, flashSize: doc.flashSize };
  if (JSON.stringify(doc) !== JSON.stringify(store.doc)) store.setDoc(doc);
}

/**
 * Start applying the store's document to `client`. `loadInitialFirmware` false leaves the board
 * empty (the diagnostic `?board=` stand-ins).
 */
export function startDocController(
  client: EmulatorClient,
  load: Loader,
  loadInitialFirmware: boolean,
): () => void {
  loader = load;
  applied = null;
  const run = (doc: BoardDocument, loadFirmware: boolean) => {
    queue = queue.then(() => applyDoc(client, doc, loadFirmware)).catch(() => undefined);
  };
  run(useAppStore.getState().doc, loadInitialFirmware);
  return useAppStore.subscribe((state, prev) => {
    if (state.doc !== prev.doc) run(state.doc, true);
  });
}

/**
 * The page's start-up (main.tsx: the saved board or the link opened, its flash restored, the first
 * apply queued) has finished. Until then a drop or a test's load would race it: the first apply
 * rebuilt the board and loaded the demo over the firmware just loaded.
 */
let startupDone: () => void = () => undefined;
const startup = new Promise<void>((resolve) => (startupDone = resolve));

export function finishStartup(): void {
  startupDone();
}

/** Resolves once every apply queued so far is done (start-up itself waits on this one). */
export function appliesDone(): Promise<void> {
  return queue;
}

/**
 * Resolves once start-up is over and every apply queued by then is done: what a user's action
 * (a drop, the share dialog) or a test waits for before it touches the board.
 */
export function settled(): Promise<void> {
  return startup.then(() => queue);
}

async function applyDoc(client: EmulatorClient, doc: BoardDocument, loadFirmware: boolean) {
  const prev = applied;
  applied = doc;
  const store = useAppStore.getState();
  if (!prev || prev.mac !== doc.mac || prev.flashSize !== doc.flashSize) {
    store.applyState(
      await client.configure({ mac: macBytes(doc.mac), flashSize: flashSizeBytes(doc) }),
    );
  }
  if (!prev || prev.pacing !== doc.pacing) store.applyState(await client.setPacing(doc.pacing));
  if (!prev || JSON.stringify(prev.network) !== JSON.stringify(doc.network))
    await client.setNetwork(worldConfigOf(doc.network));
  const firmwareChanged = !prev || JSON.stringify(prev.firmware) !== JSON.stringify(doc.firmware);
  if (firmwareChanged && loadFirmware) await loadRef(doc.firmware);
}

async function loadRef(ref: FirmwareRef): Promise<void> {
  const store = useAppStore.getState();
  try {
    switch (ref.kind) {
      case 'none':
        return;
      case 'demo': {
        // A file dropped (or loaded by a test) while the demo was still downloading wins: the
        // demo arriving late replaced it, and the user's firmware was gone at the next reset.
        const before = loads;
        const data = await fetchDemo();
        if (loads === before) await loader!([{ name: DEMO_NAME, data }], ref);
        return;
      }
      case 'url': {
        const before = loads;
        const url = resolveFirmwareUrl(ref.url, location.href);
        // Only where the link says: no redirects, no cookies.
        const response = await fetchOnlyThere(url);
        const name = ref.name ?? (ref.url.split('/').pop() || 'firmware.bin');
        const data = new Uint8Array(await response.arrayBuffer());
        if (loads === before) await loader!([{ name, data }], ref);
        return;
      }
      case 'embedded':
        await loader!(unembedFirmware(ref), ref);
        return;
      case 'local':
        if (loadedFiles?.[0]?.name !== ref.name) {
          store.setNotice(
            `This board runs ${ref.name}, which the link does not include: drop it on the page to run it.`,
          );
        }
        return;
    }
  } catch (err) {
    const what = ref.kind === 'url' ? ref.url : ref.kind;
    store.setLoadError(
      `Could not load the firmware (${what}): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
