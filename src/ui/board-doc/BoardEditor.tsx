/**
 * The board document in monaco: JSON with the board schema (completion, hover, squiggles);
 * every edit that validates is applied at once (the store's `setDocText`), and a document changed
 * elsewhere (a dropped firmware, the pacing menu) replaces the text. Loaded lazily.
 */

import { useEffect, useRef } from 'react';
import { pinsByBoard } from '../boards/index.ts';
import { useAppStore } from '../store.ts';
import { boardSchema } from './document.ts';
import { configureJson, monaco, MODEL_URI } from './monaco.ts';

const APPLY_DELAY_MS = 250;

export default function BoardEditor() {
  const host = useRef<HTMLDivElement>(null);
  const problems = useAppStore((s) => s.docProblems);

  useEffect(() => {
    configureJson(boardSchema(pinsByBoard()));
    const uri = monaco.Uri.parse(MODEL_URI);
    const model =
      monaco.editor.getModel(uri) ??
      monaco.editor.createModel(useAppStore.getState().docText, 'json', uri);
    model.setValue(useAppStore.getState().docText);
    const editor = monaco.editor.create(host.current!, {
      model,
      theme: 'vs-dark',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 12.5,
      lineNumbers: 'on',
      scrollBeyondLastLine: false,
      tabSize: 2,
      fixedOverflowWidgets: true,
    });
    let timer = 0;
    const typed = model.onDidChangeContent((e) => {
      if (e.isFlush) return; // our own setValue below
      clearTimeout(timer);
      timer = window.setTimeout(
        () => useAppStore.getState().setDocText(model.getValue()),
        APPLY_DELAY_MS,
      );
    });
    const unsubscribe = useAppStore.subscribe((state, prev) => {
      if (state.docText !== prev.docText && state.docText !== model.getValue()) {
        model.setValue(state.docText);
      }
    });
    return () => {
      clearTimeout(timer);
      typed.dispose();
      unsubscribe();
      editor.dispose();
      model.dispose();
    };
  }, []);

  return (
    <div className="board-editor">
      <div className="board-editor-host" ref={host} data-testid="board-editor" />
      <div
        className={`doc-status ${problems.length ? 'has-problems' : ''}`}
        data-testid="doc-status"
        role="status"
      >
        {problems.length === 0 ? (
          'Applied: edits take effect as you type.'
        ) : (
          <ul data-testid="doc-problems">
            {problems.slice(0, 4).map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
