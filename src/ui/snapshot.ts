/**
 * Snapshots in the page: "save snapshot" downloads the running machine as a `.v8266snap` file
 * (the same format as `v8266 run --snapshot-out`); opening one (drop or file picker) replaces the
 * board with the saved machine, which carries on exactly where it was.
 */

import { SNAPSHOT_EXTENSION } from '../board/snapshot/snapshot-format.ts';
import { noteRestored } from './board-doc/controller.ts';
import type { EmulatorClient } from './emulator-client.ts';
import type { NamedBytes } from './firmware-files.ts';
import { useAppStore } from './store.ts';

/** `demo.bin-12.345s.v8266snap`: what runs and when it was saved. */
export function snapshotFileName(firmware: string | undefined, seconds: number): string {
  const base = (firmware ?? 'board').replace(/[^\w.-]+/g, '_').slice(0, 60) || 'board';
  return `${base}-${seconds.toFixed(3)}s${SNAPSHOT_EXTENSION}`;
}

/** Download the running machine; false when there is no board to save. */
export async function downloadSnapshot(client: EmulatorClient): Promise<boolean> {
  const file = await client.saveSnapshot();
  if (!file) return false;
  const { status, firmware } = useAppStore.getState();
  const blob = new Blob([file as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = snapshotFileName(firmware?.name, status?.simSeconds ?? 0);
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  return true;
}

/** Replace the board with the machine in `file` (throws with the reason it cannot). */
export async function openSnapshot(client: EmulatorClient, file: NamedBytes): Promise<void> {
  const store = useAppStore.getState();
  const state = await client.restoreSnapshot(file.data);
  store.applyState(state);
  if (state.firmware) noteRestored(state.firmware.flashSize);
  store.setLoadError(null);
}
