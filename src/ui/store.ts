/** The UI's state: the worker's latest figures plus what only the UI knows (load errors). */

import { create } from 'zustand';
import type { EmulatorState, LoadedFirmware } from '../worker/protocol.ts';
import type { StatusSnapshot } from '../worker/status-block.ts';

export interface AppState {
  status: StatusSnapshot | null;
  firmware: LoadedFirmware | null;
  /** Why the board crashed, from the worker. */
  boardError: string | null;
  /** Why the last dropped file was refused. */
  loadError: string | null;
  /** Fatal start-up problem (no cross-origin isolation, worker failed). */
  fatal: string | null;
  setStatus(status: StatusSnapshot): void;
  applyState(state: EmulatorState): void;
  setLoadError(message: string | null): void;
  setFatal(message: string): void;
}

export const useAppStore = create<AppState>()((set) => ({
  status: null,
  firmware: null,
  boardError: null,
  loadError: null,
  fatal: null,
  setStatus: (status) => set({ status }),
  applyState: (state) => set({ firmware: state.firmware, boardError: state.error }),
  setLoadError: (loadError) => set({ loadError }),
  setFatal: (fatal) => set({ fatal }),
}));
