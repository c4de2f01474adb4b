import { createTabEscape, focusOutside } from './serial/tab-escape.ts';
import { SerialPlotter } from './serial/SerialPlotter.tsx';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useClient } from './client-context.ts';
import { SerialRenderer, type RenderOptions } from './serial/render.ts';
import {
  LINE_ENDINGS,
  PacedSender,
  pasteChunks,
  withLineEnding,
  type LineEnding,
} from './serial/send.ts';
import { nominalBaud } from './serial/stream.ts';

const encoder = new TextEncoder();
/** Wall time between pasted chunks: a 32-byte chunk takes ~3 ms at 115200 baud. */
const PASTE_INTERVAL_MS = 20;

const UARTS = [
  { uart: 0, label: 'UART0', hint: 'USB serial · RX/TX' },
  { uart: 1, label: 'UART1', hint: 'TX only, on GPIO2 (D4): SDK debug output' },
] as const;

/**
 * The serial monitor: UART0 (typing and the send box reach the guest's RX) and UART1 (output
 * only) in tabs, decoded at whatever baud the firmware uses, with the Arduino Serial Monitor's
 * conveniences: line ending for the send box, timestamps in simulated time, clear, autoscroll,
 * save, and a hex view. Pastes are paced so a REPL never drops characters.
 */
export function SerialTerminal() {
  const client = useClient();
  const host = useRef<HTMLDivElement>(null);
  const terminalRef = useRef<Terminal | null>(null);
  const [uart, setUart] = useState(0);
  const [timestamps, setTimestamps] = useState(false);
  const [hex, setHex] = useState(false);
  const [plotter, setPlotter] = useState(false);
  const [autoscroll, setAutoscroll] = useState(true);
  const [lineEnding, setLineEnding] = useState<LineEnding>('nl');
  const [line, setLine] = useState('');
  const [baud, setBaud] = useState<number | null>(null);
  const autoscrollRef = useRef(autoscroll);
  autoscrollRef.current = autoscroll;

  const sender = useMemo(
    () =>
      new PacedSender(
        (bytes) => void client.sendSerial(bytes),
        (task, ms) => void setTimeout(task, ms),
        PASTE_INTERVAL_MS,
      ),
    [client],
  );

  // The terminal itself: created once.
  useEffect(() => {
    const element = host.current!;
    const terminal = new Terminal({
      // Bare LF starts a new line, as in the Arduino serial monitor (many sketches print \n only).
      convertEol: true,
      cursorBlink: true,
      fontFamily: '"JetBrains Mono", "Fira Code", ui-monospace, Menlo, Consolas, monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: {
        background: '#0b0f14',
        foreground: '#d7e0ea',
        cursor: '#7ee0b5',
        selectionBackground: '#2a3b4d',
      },
    });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(element);
    terminal.textarea?.setAttribute('aria-describedby', 'terminal-escape-hint');
    const tabEscape = createTabEscape();
    terminal.attachCustomKeyEventHandler((event) => {
      const action = tabEscape(event);
      if (action === 'pass') return true;
      event.preventDefault();
      focusOutside(element, action === 'leave-forward');
      return false;
    });
    fit.fit();
    terminalRef.current = terminal;
    const resize = new ResizeObserver(() => fit.fit());
    resize.observe(element);
    return () => {
      resize.disconnect();
      terminalRef.current = null;
      terminal.dispose();
    };
  }, []);

  // Input: keystrokes as they come, pastes cut into lines and paced.
  useEffect(() => {
    const terminal = terminalRef.current!;
    const element = host.current!;
    terminal.options.disableStdin = uart !== 0;
    const typing = terminal.onData((text) => {
      if (uart === 0) sender.enqueue([encoder.encode(text)]);
    });
    const binary = terminal.onBinary((text) => {
      if (uart === 0) sender.enqueue([Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)]);
    });
    const onPaste = (event: ClipboardEvent) => {
      const text = event.clipboardData?.getData('text/plain') ?? '';
      event.preventDefault();
      event.stopImmediatePropagation();
      if (uart === 0 && text) sender.enqueue(pasteChunks(encoder.encode(text)));
    };
    element.addEventListener('paste', onPaste, { capture: true });
    return () => {
      typing.dispose();
      binary.dispose();
      element.removeEventListener('paste', onPaste, { capture: true });
    };
  }, [uart, sender]);

  // Output: re-render the kept history whenever the tab or the view changes, then follow.
  useEffect(() => {
    const terminal = terminalRef.current!;
    const channel = client.uarts[uart];
    const options: RenderOptions = { timestamps, hex, ansi: true };
    let renderer = new SerialRenderer(options);
    const write = (text: string) => {
      if (!text) return;
      const buffer = terminal.buffer.active;
      const keepAt = autoscrollRef.current ? null : buffer.viewportY;
      terminal.write(text, () => {
        if (keepAt !== null) terminal.scrollToLine(keepAt);
      });
    };
    terminal.reset();
    write(renderer.render(channel.history));
    setBaud(channel.baud);
    const unsubscribe = channel.onItems((items) => {
      write(renderer.render(items));
      if (items.some((i) => i.kind === 'baud')) setBaud(channel.baud);
    });
    const onClear = () => {
      renderer = new SerialRenderer(options);
    };
    clearHandlers.add(onClear);
    return () => {
      clearHandlers.delete(onClear);
      unsubscribe();
    };
  }, [client, uart, timestamps, hex]);

  const clear = () => {
    client.uarts[uart].clear();
    for (const handler of clearHandlers) handler();
    terminalRef.current?.reset();
  };

  const save = () => {
    const renderer = new SerialRenderer({ timestamps, hex, ansi: false });
    const text = renderer.render(client.uarts[uart].history);
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `v8266-uart${uart}-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const send = () => {
    sender.enqueue(pasteChunks(encoder.encode(withLineEnding(line, lineEnding))));
    setLine('');
  };

  const current = UARTS[uart];
  return (
    <section className="panel serial-panel" aria-label="Serial monitor">
      <header className="panel-header serial-header">
        <div className="serial-tabs" role="tablist" aria-label="UART">
          {UARTS.map((u) => (
            <button
              key={u.uart}
              type="button"
              role="tab"
              aria-selected={u.uart === uart}
              className={`serial-tab ${u.uart === uart ? 'is-active' : ''}`}
              data-testid={`serial-tab-uart${u.uart}`}
              title={u.hint}
              onClick={() => setUart(u.uart)}
            >
              {u.label}
            </button>
          ))}
        </div>
        <span className="panel-meta" data-testid="serial-baud" title={current.hint}>
          {baud ? `${nominalBaud(baud)} baud` : 'no output yet'}
        </span>
      </header>
      <div className="serial-toolbar" role="toolbar" aria-label="Serial monitor options">
        <label className="check">
          <input
            type="checkbox"
            checked={timestamps}
            data-testid="toggle-timestamps"
            onChange={(e) => setTimestamps(e.target.checked)}
          />
          Show timestamp
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={autoscroll}
            data-testid="toggle-autoscroll"
            onChange={(e) => setAutoscroll(e.target.checked)}
          />
          Autoscroll
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={hex}
            data-testid="toggle-hex"
            onChange={(e) => setHex(e.target.checked)}
          />
          Hex
        </label>
        <label
          className="check"
          title="Plot lines of numbers (label:value, separated by spaces, tabs or commas)"
        >
          <input
            type="checkbox"
            checked={plotter}
            data-testid="toggle-plotter"
            onChange={(e) => setPlotter(e.target.checked)}
          />
          Plotter
        </label>
        <span className="toolbar-spacer" />
        <button type="button" data-testid="btn-clear" onClick={clear} title="Clear output">
          Clear
        </button>
        <button
          type="button"
          data-testid="btn-save-log"
          onClick={save}
          title="Save the log as .txt"
        >
          Save log
        </button>
      </div>
      {plotter && <SerialPlotter uart={uart} />}
      <div className="terminal-host" data-testid="terminal" ref={host} />
      <span id="terminal-escape-hint" className="visually-hidden">
        The terminal sends Tab to the device; press Escape, then Tab, to leave it.
      </span>
      <form
        className="serial-send"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <input
          type="text"
          value={line}
          placeholder={uart === 0 ? 'Message to send to UART0 (Enter)' : 'UART1 has no RX pin'}
          disabled={uart !== 0}
          data-testid="serial-input"
          aria-label="Message to send"
          onChange={(e) => setLine(e.target.value)}
        />
        <select
          value={lineEnding}
          data-testid="line-ending"
          aria-label="Line ending"
          onChange={(e) => setLineEnding(e.target.value as LineEnding)}
        >
          {LINE_ENDINGS.map((l) => (
            <option key={l.value} value={l.value}>
              {l.label}
            </option>
          ))}
        </select>
        <button type="submit" data-testid="btn-send" disabled={uart !== 0}>
          Send
        </button>
      </form>
    </section>
  );
}

/** Renderers to restart after "Clear" (the effect owns them; the button lives outside it). */
const clearHandlers = new Set<() => void>();
