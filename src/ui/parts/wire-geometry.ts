/**
 * Where a part sits around the board and the shape of the wire from it to its pin. Pure: the
 * component measures the elements, this decides.
 */

import type { BoardLayout } from '../boards/layout.ts';
import { placedPins } from '../boards/layout.ts';

export type PartRow = 'above' | 'below';

/**
 * A part goes on the side of the board its pin's label points to, so its wire does not cross
 * the drawing: parts on the top header sit above the board, the others below.
 */
export function partRow(layout: BoardLayout, pin: string): PartRow {
  const placed = placedPins(layout).find((p) => p.pin.name === pin);
  return placed?.row.labelSide === 'top' ? 'above' : 'below';
}

export interface Point {
  x: number;
  y: number;
}

/**
 * A wire from a part's connector to a pin's end, as an SVG path: a cubic curve that leaves and
 * arrives vertically, the way a jumper hangs between a breadboard and a header.
 */
export function wirePath(from: Point, to: Point): string {
  const bend = Math.max(12, Math.abs(to.y - from.y) / 2);
  const dir = to.y >= from.y ? 1 : -1;
  const r = (n: number) => Math.round(n * 10) / 10;
  return (
    `M${r(from.x)} ${r(from.y)} ` +
    `C${r(from.x)} ${r(from.y + dir * bend)} ${r(to.x)} ${r(to.y - dir * bend)} ${r(to.x)} ${r(to.y)}`
  );
}

/** Wire colours, one per part in document order (jumper-wire colours that read on the dark stage). */
const WIRE_COLORS = ['#f2c94c', '#56ccf2', '#eb5757', '#6fcf97', '#bb6bd9', '#f2994a'];

export function wireColor(index: number): string {
  return WIRE_COLORS[index % WIRE_COLORS.length];
}
