import { useEffect, useRef, useState } from 'react';
import type { DebugToolStatus } from '../../net/world-status.ts';
import { useClient } from '../client-context.ts';
import { LINE_ENDS, toolSpecOf, type LineEnd, type ToolKind } from './tool-form.ts';

const KINDS: Record<ToolKind, string> = {
  'tcp-server': 'TCP server',
  'tcp-client': 'TCP client',
  udp: 'UDP',
};

/**
 * The seed guide's PC "network debugging tool" on a LAN's .1 host (src/net/ip/debug-tool.ts):
 * open a TCP server, a TCP client or a UDP port, see what arrives (simulated time, peer, bytes),
 * send a line on a session. Sessions live in the worker's network: a rebuilt network (a load, an
 * edited network section) starts with none.
 */
export function DebugToolConsole({ tools }: { tools: DebugToolStatus[] }) {
  const client = useClient();
  const [lanChoice, setLan] = useState(0);
  const [kind, setKind] = useState<ToolKind>('tcp-server');
  const [port, setPort] = useState('8080');
  const [remote, setRemote] = useState('');
  const [chosen, setChosen] = useState<number | null>(null);
  const [text, setText] = useState('');
  const [lineEnd, setLineEnd] = useState<LineEnd>('none');
  const logRef = useRef<HTMLPreElement>(null);
  const lan = lanChoice < tools.length ? lanChoice : 0;
  const tool = tools[lan];
  const total = tool?.total ?? 0;
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight; // follow the newest line
  }, [total]);
  if (!tool) return <p className="net-empty">no LAN: add an access point</p>;

  const parsed = toolSpecOf({ kind, port, remote });
  const problems = 'problems' in parsed ? parsed.problems : [];
  const sendable = tool.sessions.filter((s) => s.canSend);
  // Sends go to the chosen session, or else to the newest one that has a peer.
  const target = sendable.find((s) => s.id === chosen) ?? sendable.at(-1) ?? null;
  const send = () => {
    if (!target) return;
    void client.toolSend(lan, target.id, text + LINE_ENDS[lineEnd]);
    setText('');
  };

  return (
    <div className="net-tool" data-testid="net-tool">
      <div className="net-ap-form">
        {tools.length > 1 && (
          <label>
            on{' '}
            <select
              value={lan}
              data-testid="net-tool-lan"
              onChange={(e) => setLan(Number(e.target.value))}
            >
              {tools.map((t, i) => (
                <option key={i} value={i}>
                  {t.host}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          open{' '}
          <select
            value={kind}
            data-testid="net-tool-kind"
            onChange={(e) => setKind(e.target.value as ToolKind)}
          >
            {Object.entries(KINDS).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {kind !== 'tcp-client' && (
          <label>
            port{' '}
            <input
              value={port}
              data-testid="net-tool-port"
              onChange={(e) => setPort(e.target.value)}
            />
          </label>
        )}
        {kind !== 'tcp-server' && (
          <label>
            {kind === 'udp' ? 'send to' : 'connect to'}{' '}
            <input
              value={remote}
              placeholder={kind === 'udp' ? '(whoever sends)' : '192.168.10.100:1002'}
              data-testid="net-tool-remote"
              onChange={(e) => setRemote(e.target.value)}
            />
          </label>
        )}
        <button
          type="button"
          data-testid="btn-net-tool-open"
          disabled={problems.length > 0}
          onClick={() => {
            if ('spec' in parsed) void client.toolOpen(lan, parsed.spec);
          }}
        >
          open
        </button>
        {problems.length > 0 && (
          <p className="net-ap-problems" data-testid="net-tool-problems">
            {problems.join('; ')}
          </p>
        )}
      </div>
      {tool.sessions.length > 0 && (
        <ul className="net-ap-list">
          {tool.sessions.map((s) => (
            <li key={s.id} className="net-ap" data-testid="net-tool-session" data-id={s.id}>
              <div className="net-ap-line">
                <span className="net-ap-meta">
                  [{s.id}] {s.label}
                  {s.id === target?.id ? ' · sends go here' : ''}
                </span>
                <span className="net-ap-buttons">
                  <button
                    type="button"
                    className="link-button"
                    data-testid="net-tool-target"
                    disabled={!s.canSend || s.id === target?.id}
                    onClick={() => setChosen(s.id)}
                  >
                    send here
                  </button>
                  <button
                    type="button"
                    className="link-button"
                    data-testid="net-tool-close"
                    onClick={() => void client.toolClose(lan, s.id)}
                  >
                    close
                  </button>
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
      <pre className="net-sta-log net-tool-log" ref={logRef} data-testid="net-tool-log">
        {tool.lines.map((l) => `${l.seconds.toFixed(3)} ${l.line}`).join('\n')}
      </pre>
      <form
        className="net-tool-send"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <input
          value={text}
          placeholder={target ? `send on [${target.id}]` : 'nothing to send to yet'}
          data-testid="net-tool-input"
          onChange={(e) => setText(e.target.value)}
        />
        <select
          value={lineEnd}
          title="added after the text"
          data-testid="net-tool-eol"
          onChange={(e) => setLineEnd(e.target.value as LineEnd)}
        >
          {Object.keys(LINE_ENDS).map((k) => (
            <option key={k} value={k}>
              {k === 'none' ? 'no line end' : `+ ${k}`}
            </option>
          ))}
        </select>
        <button type="submit" data-testid="btn-net-tool-send" disabled={!target}>
          send
        </button>
      </form>
    </div>
  );
}
