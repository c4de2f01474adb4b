/**
 * The serial plotter: numbers printed one line at a time (`parsePlotLine`) drawn as a live chart
 * beside the terminal, the way the Arduino IDE's Serial Plotter shows them. Cheap by
 * construction: a bounded history (`PlotHistory`), one canvas, redrawn at most once per
 * animation frame and only when a line arrived; the legend's numbers are set on the DOM, not
 * through React.
 */

import { useEffect, useRef, useState } from 'react';
import { useClient } from '../client-context.ts';
import { PlotHistory } from './plot-history.ts';
import { LineCutter, parsePlotLine } from './plot-line.ts';

const COLORS = [
  '#56ccf2',
  '#f2c94c',
  '#eb5757',
  '#6fcf97',
  '#bb6bd9',
  '#f2994a',
  '#ffffff',
  '#9b9b9b',
];

export function SerialPlotter({ uart }: { uart: number }) {
  const client = useClient();
  const canvas = useRef<HTMLCanvasElement>(null);
  const legend = useRef<HTMLUListElement>(null);
  const [labels, setLabels] = useState<string[]>([]);

  useEffect(() => {
    const history = new PlotHistory();
    const cutter = new LineCutter();
    const latin1 = new TextDecoder('latin1');
    let dirty = false;
    let frame = 0;
    let knownLabels = '';
    const draw = () => {
      frame = 0;
      if (!dirty || !canvas.current) return;
      dirty = false;
      drawPlot(canvas.current, history);
      canvas.current.dataset.samples = String(history.total);
      const series = history.series();
      const names = series.map((s) => s.label).join('\n');
      if (names !== knownLabels) {
        knownLabels = names;
        setLabels(series.map((s) => s.label));
      }
      legend.current?.querySelectorAll<HTMLElement>('[data-label]').forEach((item) => {
        const s = series.find((x) => x.label === item.dataset.label);
        const text = s && !Number.isNaN(s.last) ? String(s.last) : '–';
        item.dataset.last = text;
        const value = item.querySelector('.plot-value');
        if (value && value.textContent !== text) value.textContent = text;
      });
    };
    const unsubscribe = client.uarts[uart].onItems((items) => {
      for (const item of items) {
        if (item.kind !== 'bytes') continue;
        for (const line of cutter.push(latin1.decode(item.bytes))) {
          const sample = parsePlotLine(line);
          if (sample) {
            history.push(sample);
            dirty = true;
          }
        }
      }
      if (dirty && !frame) frame = requestAnimationFrame(draw);
    });
    // A resize redraws what is there.
    const observer = new ResizeObserver(() => {
      dirty = true;
      if (!frame) frame = requestAnimationFrame(draw);
    });
    if (canvas.current) observer.observe(canvas.current);
    return () => {
      unsubscribe();
      observer.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [client, uart]);

  return (
    <div className="serial-plotter" data-testid="serial-plotter">
      <canvas
        ref={canvas}
        className="plot-canvas"
        data-testid="plot-canvas"
        data-samples="0"
        role="img"
        aria-label={`Plot of the numbers UART${uart} prints`}
      />
      <ul className="plot-legend" ref={legend} aria-label="Plotted values">
        {labels.length === 0 && (
          <li className="plot-empty">Waiting for lines of numbers (e.g. temp:21.5,hum:40)</li>
        )}
        {labels.map((label, i) => (
          <li key={label} data-testid="plot-series" data-label={label} data-last="">
            <span className="plot-swatch" style={{ background: COLORS[i % COLORS.length] }} />
            <span className="plot-label">{label}</span> <span className="plot-value" />
          </li>
        ))}
      </ul>
    </div>
  );
}

function drawPlot(canvas: HTMLCanvasElement, history: PlotHistory) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const g = canvas.getContext('2d');
  if (!g) return;
  g.fillStyle = '#0b1016';
  g.fillRect(0, 0, width, height);
  const [lo, hi] = history.range();
  const pad = 8 * ratio;
  const y = (v: number) => height - pad - ((v - lo) / (hi - lo)) * (height - 2 * pad);
  // The range's ends and zero, as the scale.
  g.font = `${10 * ratio}px ui-monospace, monospace`;
  g.fillStyle = '#7d8b99';
  g.strokeStyle = '#1e2935';
  g.lineWidth = ratio;
  for (const v of new Set([lo, hi, lo < 0 && hi > 0 ? 0 : lo])) {
    g.beginPath();
    g.moveTo(0, y(v));
    g.lineTo(width, y(v));
    g.stroke();
    g.fillText(formatTick(v), 2 * ratio, Math.min(height - 2, Math.max(10 * ratio, y(v) - 2)));
  }
  // Newest sample at the right edge; the history's capacity spans the width.
  const step = width / Math.max(1, history.capacity - 1);
  const n = history.length;
  history.series().forEach((series, i) => {
    const values = series.values();
    g.strokeStyle = COLORS[i % COLORS.length];
    g.lineWidth = 1.5 * ratio;
    g.beginPath();
    let pen = false;
    for (let k = 0; k < n; k++) {
      const v = values[k];
      if (Number.isNaN(v)) {
        pen = false;
        continue;
      }
      const x = width - (n - 1 - k) * step;
      if (pen) g.lineTo(x, y(v));
      else g.moveTo(x, y(v));
      pen = true;
    }
    g.stroke();
  });
}

function formatTick(v: number): string {
  return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-2)
    ? v.toExponential(1)
    : String(+v.toFixed(2));
}
