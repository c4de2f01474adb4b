/** The UI's state: the worker's latest figures plus what only the UI knows (load errors). */

import { create } from 'zustand';
import type { EmulatorState, LoadedFirmware } from '../worker/protocol.ts';
import type { StatusSnapshot } from '../worker/status-block.ts';
import {
  BoardDocumentError,
  defaultDocument,
  formatDocument,
  parseDocument,
  type BoardDocument,
} from './board-doc/document.ts';
import { pinExists } from './boards/index.ts';
import type { ElfFile } from '../board/image/elf.ts';
import type { CrashReport } from './crash/parse.ts';

export interface AppState {
  status: StatusSnapshot | null;
  firmware: LoadedFirmware | null;
  /** Why the board crashed, from the worker. */
  boardError: string | null;
  /** Why the last dropped file was refused. */
  loadError: string | null;
  /** Fatal start-up problem (no cross-origin isolation, worker failed). */
  fatal: string | null;
  /** The board document as applied (src/ui/board-doc/): what the page shows and shares. */
  doc: BoardDocument;
  /** The editor's text; differs from `doc` while it does not parse or validate. */
  docText: string;
  /** Why `docText` is not applied (empty when it is). */
  docProblems: string[];
  /** A message for the user above the board (a broken share link, a firmware to drop). */
  notice: string | null;
  editorOpen: boolean;
  /**
   * The SHA-256 of the board file a share link names and the page could not fetch: the file the
   * user then opens must be that one.
   */
  awaitedBoardFile: string | null;
  setAwaitedBoardFile(sha256: string | null): void;
  /** The saved board this page works on (src/ui/persist/), null while saving is off. */
  savedBoard: { id: string; name: string } | null;
  setSavedBoard(board: { id: string; name: string } | null): void;
  /** The ELF the running firmware was made from (dropped as .elf): its symbols name addresses. */
  elf: { name: string; file: ElfFile } | null;
  /** The last crash report seen on UART0 (cleared by a load or by closing the panel). */
  crash: CrashReport | null;
  setElf(elf: { name: string; file: ElfFile } | null): void;
  /** The text of the report the user closed: not shown again when the firmware repeats it. */
  dismissedCrash: string | null;
  setCrash(crash: CrashReport | null): void;
  dismissCrash(): void;
  /**
   * A new firmware was loaded: hide the report on screen like a close does, so bytes the old
   * firmware printed just before the load (still in the UART ring) cannot bring it back.
   */
  crashFirmwareChanged(): void;
  setStatus(status: StatusSnapshot): void;
  /** Replace the document (and the editor's text). */
  setDoc(doc: BoardDocument): void;
  /** The editor's text changed: apply it when it is a valid document. */
  setDocText(text: string): void;
  setNotice(message: string | null): void;
  setEditorOpen(open: boolean): void;
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
  doc: defaultDocument(),
  docText: formatDocument(defaultDocument()),
  docProblems: [],
  notice: null,
  editorOpen: false,
  awaitedBoardFile: null,
  setAwaitedBoardFile: (awaitedBoardFile) => set({ awaitedBoardFile }),
  savedBoard: null,
  setSavedBoard: (savedBoard) => set({ savedBoard }),
  elf: null,
  crash: null,
  setElf: (elf) => set({ elf }),
  dismissedCrash: null,
  setCrash: (crash) => set({ crash, dismissedCrash: null }),
  dismissCrash: () => set((s) => ({ crash: null, dismissedCrash: s.crash?.raw ?? null })),
  crashFirmwareChanged: () =>
    set((s) => ({ crash: null, dismissedCrash: s.crash?.raw ?? s.dismissedCrash })),
  setStatus: (status) => set({ status }),
  setDoc: (doc) => set({ doc, docText: formatDocument(doc), docProblems: [] }),
  setDocText: (docText) => {
    try {
      set({ doc: parseDocument(docText, pinExists), docText, docProblems: [] });
    } catch (err) {
      if (!(err instanceof BoardDocumentError)) throw err;
      set({ docText, docProblems: err.problems });
    }
  },
  setNotice: (notice) => set({ notice }),
  setEditorOpen: (editorOpen) => set({ editorOpen }),
  applyState: (state) => set({ firmware: state.firmware, boardError: state.error }),
  setLoadError: (loadError) => set({ loadError }),
  setFatal: (fatal) => set({ fatal }),
}));
