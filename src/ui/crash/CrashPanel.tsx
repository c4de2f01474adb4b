import { useEffect } from 'react';
import { useClient } from '../client-context.ts';
import { useAppStore } from '../store.ts';
import { lineInfoOf, type LineInfo } from './lines.ts';
import { parseCrashReports, sourceLine, symbolize, type CrashReport } from './parse.ts';

/** Characters of UART0 output kept for finding a report (an Arduino stack dump is a few KB). */
const TAIL_CHARS = 32 * 1024;

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096)
    s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
}

const hex8 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/**
 * Watches UART0 for crash reports (src/ui/crash/parse.ts) and puts the last one in the store. A
 * finished report is cut from the watched text so it is read once; one the user closed is not
 * shown again when the firmware prints it again (our ROM's handler repeats it).
 */
export function useCrashWatcher(): void {
  const client = useClient();
  useEffect(() => {
    let tail = '';
    const unsubscribe = client.uarts[0]!.onItems((items) => {
      let added = '';
      for (const item of items) if (item.kind === 'bytes') added += latin1(item.bytes);
      if (!added) return;
      tail = (tail + added).slice(-TAIL_CHARS);
      if (!/[\n<]/.test(added) || !/xception/.test(tail)) return;
      const last = parseCrashReports(tail).at(-1);
      if (!last) return;
      const finished = last.format === 'sdk' || last.raw.endsWith('<<<stack<<<');
      if (finished) tail = tail.slice(tail.lastIndexOf(last.raw) + last.raw.length);
      const store = useAppStore.getState();
      if (last.raw === store.dismissedCrash || last.raw === store.crash?.raw) return;
      store.setCrash(last);
    });
    return unsubscribe;
  }, [client]);
}

interface AddressName {
  symbol: string | null;
  line: string | null;
}

function Address({ value, name }: { value: number; name: AddressName }) {
  return (
    <>
      <code>{hex8(value)}</code>
      {name.symbol && <code className="crash-symbol">{name.symbol}</code>}
      {name.line && (
        // Styled as the symbol (app.css), dimmed: the name matters more than the line.
        <code
          className="crash-symbol crash-line"
          data-testid="crash-line"
          style={{ color: 'var(--text-dim)' }}
        >
          {name.line}
        </code>
      )}
    </>
  );
}

function elfNote(elfName: string | null, lines: LineInfo | null): string {
  if (!elfName)
    return 'Drop the .elf this firmware was built from to see these addresses as function+offset and source lines.';
  switch (lines?.kind) {
    case 'lines':
      return `Names from the symbols of ${elfName}, source lines from its DWARF line table (.debug_line).`;
    case 'error':
      return `Names from the symbols of ${elfName}. Its DWARF line table could not be read (${lines.message}): no source lines.`;
    default:
      return `Names from the symbols of ${elfName}. It has no DWARF line table (.debug_line; build with -g): no source lines.`;
  }
}

/** The last crash report seen on UART0, read out: cause, explanation, epc1 and the stack's code. */
export function CrashPanel() {
  useCrashWatcher();
  const crash = useAppStore((s) => s.crash);
  const elf = useAppStore((s) => s.elf);
  const dismiss = useAppStore((s) => s.dismissCrash);
  if (!crash) return null;
  const lines = elf ? lineInfoOf(elf.file) : null;
  const name = (addr: number): AddressName => ({
    symbol: elf ? symbolize(addr, (a) => elf.file.symbolAt(a)) : null,
    line: lines?.kind === 'lines' ? sourceLine(addr, (a) => lines.table.lookup(a)) : null,
  });
  return (
    <CrashView
      crash={crash}
      note={elfNote(elf?.name ?? null, lines)}
      name={name}
      onClose={dismiss}
    />
  );
}

function CrashView({
  crash,
  note,
  name,
  onClose,
}: {
  crash: CrashReport;
  note: string;
  name: (addr: number) => AddressName;
  onClose: () => void;
}) {
  return (
    <section
      className="panel crash-panel"
      aria-label="Crash report"
      data-testid="crash-panel"
      role="alert"
    >
      <header className="panel-header">
        <span className="panel-title" data-testid="crash-cause">
          Exception {crash.cause}: {crash.causeName}
        </span>
        <span className="panel-meta">
          {crash.format === 'arduino' ? 'Arduino core report' : 'SDK / ROM report'}
          {crash.context ? ` · ctx ${crash.context}` : ''}{' '}
          <button
            type="button"
            className="link-button"
            data-testid="btn-crash-close"
            onClick={onClose}
          >
            close
          </button>
        </span>
      </header>
      <div className="crash-body">
        {crash.explanation && (
          <p className="crash-explanation" data-testid="crash-explanation">
            {crash.explanation}
          </p>
        )}
        <dl className="crash-registers">
          <dt>epc1 (where it happened)</dt>
          <dd data-testid="crash-epc1">
            <Address value={crash.epc1} name={name(crash.epc1)} />
          </dd>
          <dt>excvaddr (address accessed)</dt>
          <dd data-testid="crash-excvaddr">
            <code>{hex8(crash.excvaddr)}</code>
          </dd>
          <dt>epc2 · epc3 · depc</dt>
          <dd>
            <code>
              {hex8(crash.epc2)} · {hex8(crash.epc3)} · {hex8(crash.depc)}
            </code>
          </dd>
        </dl>
        {crash.stackCode.length > 0 && (
          <div className="crash-stack">
            <p className="crash-stack-title">
              Code addresses on the stack
              {crash.stackComplete ? '' : ' (the dump is still arriving)'}
            </p>
            <ol data-testid="crash-stack">
              {crash.stackCode.map((addr, i) => (
                <li key={i}>
                  <Address value={addr} name={name(addr)} />
                </li>
              ))}
            </ol>
          </div>
        )}
        <p className="crash-note" data-testid="crash-note">
          {note}
        </p>
      </div>
    </section>
  );
}
