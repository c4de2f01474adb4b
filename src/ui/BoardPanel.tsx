import { GPIO_COUNT } from '../worker/protocol.ts';
import { useAppStore } from './store.ts';

/**
 * Where the NodeMCU board will be drawn (a later issue). For now: its outline, and the pad
 * levels the worker publishes, so the GPIO path is visible.
 */
export function BoardPanel() {
  const gpio = useAppStore((s) => s.status?.gpio);
  return (
    <section className="panel board-panel" aria-label="Board">
      <header className="panel-header">
        <h2>NodeMCU v1.0</h2>
        <span className="panel-meta">ESP-12E · 4 MB flash</span>
      </header>
      <div className="board-placeholder" data-testid="board">
        <div className="board-outline">
          <div className="board-module">ESP8266</div>
        </div>
        <span className="board-caption">board drawing coming soon</span>
      </div>
      <ol className="gpio-strip" aria-label="GPIO levels">
        {Array.from({ length: GPIO_COUNT }, (_, pin) => {
          const level = gpio?.[pin] ?? null;
          return (
            <li
              key={pin}
              className={`gpio gpio-${level === null ? 'unknown' : level ? 'high' : 'low'}`}
              title={`GPIO${pin}: ${level === null ? 'unknown' : level ? 'high' : 'low'}`}
              data-testid={`gpio-${pin}`}
            >
              <span className="gpio-led" aria-hidden />
              <span className="gpio-name">{pin}</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
