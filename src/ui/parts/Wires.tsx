/**
 * The wires from the parts to their pins: an SVG laid over the board stage, redrawn from where
 * the part cards and the pins actually are (measured), whenever the stage, a card or the
 * document changes. Drawn only; clicks go through to the board and the parts.
 */

import { useLayoutEffect, useState, type RefObject } from 'react';
import { layoutFor } from '../boards/index.ts';
import { useAppStore } from '../store.ts';
import { partRow, wireColor, wirePath } from './wire-geometry.ts';

interface DrawnWire {
  id: string;
  pin: string;
  d: string;
  color: string;
}

export function Wires({ stage }: { stage: RefObject<HTMLElement | null> }) {
  const doc = useAppStore((s) => s.doc);
  const [wires, setWires] = useState<DrawnWire[]>([]);
  const [size, setSize] = useState({ width: 0, height: 0 });

  useLayoutEffect(() => {
    const root = stage.current;
    if (!root) return;
    const layout = layoutFor(doc.board);
    const measure = () => {
      const origin = root.getBoundingClientRect();
      const drawn: DrawnWire[] = [];
      doc.parts.forEach((part, index) => {
        const card = root.querySelector(`[data-testid="part-${CSS.escape(part.id)}"]`);
        const pin = root.querySelector(`[data-testid="pin-${CSS.escape(part.pin)}"]`);
        if (!card || !pin) return;
        const c = card.getBoundingClientRect();
        const p = pin.getBoundingClientRect();
        const above = partRow(layout, part.pin) === 'above';
        const from = {
          x: c.left + c.width / 2 - origin.left,
          y: (above ? c.bottom : c.top) - origin.top,
        };
        const to = {
          x: p.left + p.width / 2 - origin.left,
          y: (above ? p.top : p.bottom) - origin.top,
        };
        drawn.push({ id: part.id, pin: part.pin, d: wirePath(from, to), color: wireColor(index) });
      });
      setWires(drawn);
      setSize({ width: origin.width, height: origin.height });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(root);
    root.querySelectorAll('.part, .board-frame').forEach((el) => observer.observe(el));
    return () => observer.disconnect();
  }, [stage, doc.parts, doc.board]);

  if (wires.length === 0) return null;
  return (
    <svg className="wires" data-testid="wires" width={size.width} height={size.height} aria-hidden>
      {wires.map((wire) => (
        <g key={wire.id} data-testid={`wire-${wire.id}`} data-pin={wire.pin}>
          <path className="wire-casing" d={wire.d} />
          <path className="wire-core" d={wire.d} stroke={wire.color} />
        </g>
      ))}
    </svg>
  );
}
