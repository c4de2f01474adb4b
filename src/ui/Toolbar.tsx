import type { EmulatorState } from '../worker/protocol.ts';
import { useClient } from './client-context.ts';
import { InstallButton } from './install/InstallButton.tsx';
import { formatCount, formatSimTime, formatSpeed, statusText } from './format.ts';
import { useAppStore } from './store.ts';

export function Toolbar() {
  const client = useClient();
  const status = useAppStore((s) => s.status);
  const firmware = useAppStore((s) => s.firmware);
  const boardError = useAppStore((s) => s.boardError);
  const applyState = useAppStore((s) => s.applyState);

  const runState = status?.runState ?? 'no-board';
  const hasBoard = runState !== 'no-board';
  const powered = runState === 'running' || runState === 'paused';
  const running = runState === 'running';

  const act = (command: () => Promise<EmulatorState>) => () => {
    void command().then(applyState);
  };

  return (
    <div className="toolbar" role="toolbar" aria-label="Board controls">
      <div className="toolbar-buttons">
        <button
          type="button"
          className={`tool-button power ${powered ? 'is-on' : ''}`}
          data-testid="btn-power"
          disabled={!hasBoard}
          aria-pressed={powered}
          onClick={act(() => (powered ? client.powerOff() : client.powerOn()))}
          title={powered ? 'Power off' : 'Power on'}
        >
          <PowerIcon />
          {powered ? 'Power off' : 'Power on'}
        </button>
        <button
          type="button"
          className="tool-button"
          data-testid="btn-reset"
          disabled={!hasBoard}
          onClick={act(() => client.reset())}
          title="Press RST"
        >
          <span className="icon" aria-hidden>
            ↻
          </span>
          Reset
        </button>
        <button
          type="button"
          className="tool-button"
          data-testid="btn-pause"
          disabled={!powered}
          aria-pressed={runState === 'paused'}
          onClick={act(() => (running ? client.pause() : client.resume()))}
        >
          <span className="icon" aria-hidden>
            {runState === 'paused' ? '▶' : '❚❚'}
          </span>
          {runState === 'paused' ? 'Resume' : 'Pause'}
        </button>
        <InstallButton disabled={!powered} />
        <label className="pacing">
          <span className="visually-hidden">Speed limit</span>
          <select
            data-testid="pacing"
            value={status?.pacing ?? 'realtime'}
            onChange={(e) => {
              // The board document owns pacing; its controller tells the worker.
              const store = useAppStore.getState();
              store.setDoc({ ...store.doc, pacing: e.target.value === 'max' ? 'max' : 'realtime' });
            }}
          >
            <option value="realtime">Real time</option>
            <option value="max">Max speed</option>
          </select>
        </label>
      </div>
      <div className="readouts">
        <div className="readout">
          <span className="readout-label">sim time</span>
          <span className="readout-value" data-testid="sim-time">
            {formatSimTime(status?.simSeconds ?? 0)}
          </span>
        </div>
        <div className="readout">
          <span className="readout-label">speed</span>
          <span className="readout-value" data-testid="speed">
            {formatSpeed(status?.speedPercent ?? 0, running)}
          </span>
        </div>
        <div className="readout readout-secondary">
          <span className="readout-label">cpu</span>
          <span className="readout-value" data-testid="cpu-mhz">
            {status?.cpuMhz ? `${status.cpuMhz} MHz` : '–'}
          </span>
        </div>
        <div className="readout readout-secondary">
          <span className="readout-label">instructions</span>
          <span className="readout-value" data-testid="instructions">
            {formatCount(status?.instructions ?? 0)}
          </span>
        </div>
        <div className={`status-pill state-${runState}`} data-testid="status" role="status">
          <span className="status-dot" aria-hidden />
          {statusText(runState, firmware, boardError)}
        </div>
      </div>
    </div>
  );
}

/** The IEC power symbol, drawn: the ⏻ glyph is missing from many system fonts. */
function PowerIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden>
      <path
        d="M8 1.5v6M4.4 3.6a5.5 5.5 0 1 0 7.2 0"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
      />
    </svg>
  );
}
