import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import { useClient } from './client-context.ts';

const encoder = new TextEncoder();

/** UART0 as a terminal: guest output is written as it arrives; keystrokes go to the guest's RX. */
export function SerialTerminal() {
  const client = useClient();
  const host = useRef<HTMLDivElement>(null);

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
    fit.fit();

    const unsubscribe = client.onSerial((bytes) => terminal.write(bytes));
    // One message per onData burst (a keystroke, a paste), never one per byte.
    const typing = terminal.onData((text) => void client.sendSerial(encoder.encode(text)));
    const binary = terminal.onBinary(
      (text) => void client.sendSerial(Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)),
    );
    const resize = new ResizeObserver(() => fit.fit());
    resize.observe(element);
    return () => {
      resize.disconnect();
      typing.dispose();
      binary.dispose();
      unsubscribe();
      terminal.dispose();
    };
  }, [client]);

  return (
    <section className="panel serial-panel" aria-label="Serial monitor (UART0)">
      <header className="panel-header">
        <h2>Serial monitor</h2>
        <span className="panel-meta">UART0 · any baud</span>
      </header>
      <div className="terminal-host" data-testid="terminal" ref={host} />
    </section>
  );
}
