/**
 * Board drawings as data: a board is its PCB outline, its header rows of pins, its parts (the
 * module, the USB socket, chips), its LEDs and its buttons, all in millimetres from the PCB's
 * top-left corner. `BoardView` draws any of them; a Wemos D1 mini or an ESP-01 is another
 * `BoardLayout`, not another component.
 */

export type PinKind =
  /** A GPIO the user can drive (click). */
  | 'gpio'
  /** A GPIO wired to the module's flash chip: shown, not drivable. */
  | 'flash'
  | 'adc'
  | 'power'
  | 'ground'
  /** EN, RST. */
  | 'control'
  | 'reserved';

export interface PinDef {
  /** The silkscreen name: D4, RX, 3V3… Unique per board except power and ground pins. */
  name: string;
  kind: PinKind;
  gpio?: number;
  /** Other functions, for the tooltip ("TXD1", "HSPI MISO"…). */
  notes?: string;
}

export interface HeaderRow {
  /** Centre of the first pin. */
  x: number;
  y: number;
  /** Pins run along +x (a horizontal row) or +y. */
  direction: 'x' | 'y';
  pitch: number;
  /** Which side of the PCB the labels go (outside the board). */
  labelSide: 'top' | 'bottom' | 'left' | 'right';
  pins: PinDef[];
}

/** 0.1-inch pin pitch, in millimetres. */
export const PIN_PITCH = 2.54;

/**
 * The two parallel headers of a board drawn lying down (NodeMCU, D1 mini): rows centred on the
 * PCB's height, labels outside the board.
 */
export function parallelHeaders(
  firstPinX: number,
  boardHeight: number,
  rowSpacing: number,
  topRow: PinDef[],
  bottomRow: PinDef[],
): HeaderRow[] {
  const row = (y: number, labelSide: 'top' | 'bottom', pins: PinDef[]): HeaderRow => ({
    x: firstPinX,
    y,
    direction: 'x',
    pitch: PIN_PITCH,
    labelSide,
    pins,
  });
  return [
    row((boardHeight - rowSpacing) / 2, 'top', topRow),
    row((boardHeight + rowSpacing) / 2, 'bottom', bottomRow),
  ];
}

export interface LedDef {
  id: string;
  gpio: number;
  activeLow: boolean;
  x: number;
  y: number;
  color: string;
  label: string;
}

export interface ButtonDef {
  id: 'rst' | 'flash';
  label: string;
  x: number;
  y: number;
  /** The GPIO the button pulls to ground (FLASH: GPIO0); absent for RST. */
  gpio?: number;
  /** Where the silkscreen label goes, relative to the button centre. */
  labelDx: number;
  labelDy: number;
}

export interface RectPart {
  kind: 'module' | 'usb' | 'chip' | 'regulator';
  x: number;
  y: number;
  width: number;
  height: number;
  label?: string;
  sublabel?: string;
}

export interface BoardLayout {
  id: string;
  name: string;
  /** What the panel header says under the name. */
  description: string;
  width: number;
  height: number;
  pcbColor: string;
  /** Corner radius of the PCB. */
  radius: number;
  /** Mounting holes (centres) and their diameter. */
  holes: { x: number; y: number }[];
  holeDiameter: number;
  headers: HeaderRow[];
  parts: RectPart[];
  leds: LedDef[];
  buttons: ButtonDef[];
  /** Full-scale voltage of the board's divider in front of A0 (absent: no A0 pin, no slider). */
  a0Volts?: number;
  /** Silkscreen text on the PCB. */
  silkscreen: { text: string; x: number; y: number; size: number; rotate?: number }[];
}

/** Every pin of a board with its position, for drawing and for tests. */
export function placedPins(layout: BoardLayout) {
  return layout.headers.flatMap((row) =>
    row.pins.map((pin, i) => ({
      pin,
      row,
      x: row.direction === 'x' ? row.x + i * row.pitch : row.x,
      y: row.direction === 'y' ? row.y + i * row.pitch : row.y,
    })),
  );
}

/** The pins a user can click to drive, by name (`D4` → GPIO2). */
export function drivablePins(layout: BoardLayout): Map<string, number> {
  const map = new Map<string, number>();
  for (const { pin } of placedPins(layout)) {
    if (pin.kind === 'gpio' && pin.gpio !== undefined) map.set(pin.name, pin.gpio);
  }
  return map;
}
