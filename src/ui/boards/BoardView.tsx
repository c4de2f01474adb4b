/**
 * Draws a `BoardLayout` as SVG and keeps it live: pad levels, output/input mode, the host's
 * drive, conflicts and the LEDs follow the status block on every published update by setting
 * attributes on the SVG elements directly (no React render per GPIO toggle). Clicking a GPIO pin
 * opens a small menu to drive it; RST and FLASH behave like the real buttons.
 */

import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { StatusSnapshot } from '../../worker/status-block.ts';
import { useClient } from '../client-context.ts';
import { useAppStore } from '../store.ts';
import { placedPins, type BoardLayout, type ButtonDef, type PinDef } from './layout.ts';

const LABEL_COLORS: Record<PinDef['kind'], string> = {
  gpio: '#2c7a57',
  flash: '#4a5160',
  adc: '#6a4fb3',
  power: '#b23a3a',
  ground: '#1d2228',
  control: '#a8731c',
  reserved: '#30363f',
};

export interface SelectedPin {
  testId: string;
  pin: PinDef;
  /** Position in the stage, in percent of its width and height. */
  left: number;
  top: number;
}

/** `pin-D4`; repeated names (GND, 3V3, RSV) get `-2`, `-3`… in board order. */
function pinTestIds(layout: BoardLayout): string[] {
  const seen = new Map<string, number>();
  return placedPins(layout).map(({ pin }) => {
    const n = (seen.get(pin.name) ?? 0) + 1;
    seen.set(pin.name, n);
    return n === 1 ? `pin-${pin.name}` : `pin-${pin.name}-${n}`;
  });
}

export function describePin(pin: PinDef, status: StatusSnapshot | null): string {
  const head = pin.gpio !== undefined ? `${pin.name} · GPIO${pin.gpio}` : pin.name;
  if (pin.gpio === undefined || !status) return pin.notes ? `${head}\n${pin.notes}` : head;
  const g = pin.gpio;
  const level = status.gpio[g];
  const output = status.gpioOutput[g];
  const host = status.gpioHostDrive[g];
  const mode = output === 1 ? 'output' : output === 0 ? 'input' : 'mode unknown';
  const lines = [
    head,
    `${mode} · ${level === null ? 'level unknown' : level ? 'HIGH' : 'LOW'}`,
    host === null ? 'not driven by you' : `you drive it ${host ? 'HIGH' : 'LOW'}`,
  ];
  if (status.gpioConflict[g]) lines.push('CONFLICT: the firmware drives the other level');
  if (pin.notes) lines.push(pin.notes);
  return lines.join('\n');
}

export function BoardView({
  layout,
  onSelectPin,
  selectedTestId,
}: {
  layout: BoardLayout;
  onSelectPin(selection: SelectedPin | null): void;
  selectedTestId: string | null;
}) {
  const client = useClient();
  const svg = useRef<SVGSVGElement>(null);
  const pins = useMemo(() => placedPins(layout), [layout]);
  const testIds = useMemo(() => pinTestIds(layout), [layout]);
  const margin = 12.5;
  const view = {
    x: -3,
    y: -margin,
    width: layout.width + 6,
    height: layout.height + 2 * margin,
  };

  // Live state straight onto the SVG: one pass over a handful of elements per published update.
  useEffect(() => {
    const root = svg.current!;
    const pinEls = [...root.querySelectorAll<SVGGElement>('[data-gpio]')];
    const ledEls = [...root.querySelectorAll<SVGGElement>('[data-led-gpio]')];
    const buttonEls = [...root.querySelectorAll<SVGGElement>('[data-button-gpio]')];
    const pinDefs = new Map(pins.map((p, i) => [testIds[i], p.pin]));
    let powered = false;
    return client.onStatus((status) => {
      powered = status.runState === 'running' || status.runState === 'paused';
      for (const el of pinEls) {
        const g = Number(el.dataset.gpio);
        const level = status.gpio[g];
        setData(el, 'level', powered && level !== null ? String(level) : 'unknown');
        const out = status.gpioOutput[g];
        setData(el, 'mode', out === 1 ? 'output' : out === 0 ? 'input' : 'unknown');
        const host = status.gpioHostDrive[g];
        setData(el, 'host', host === null ? 'none' : String(host));
        setData(el, 'conflict', String(status.gpioConflict[g]));
        const title = el.querySelector('title');
        const def = pinDefs.get(el.dataset.testid ?? '');
        if (title && def) {
          const text = describePin(def, powered ? status : null);
          if (title.textContent !== text) title.textContent = text;
        }
      }
      for (const el of ledEls) {
        const level = status.gpio[Number(el.dataset.ledGpio)];
        const activeLow = el.dataset.activeLow === 'true';
        const lit = powered && level !== null && (activeLow ? level === 0 : level === 1);
        setData(el, 'lit', String(lit));
      }
      for (const el of buttonEls) {
        const host = status.gpioHostDrive[Number(el.dataset.buttonGpio)];
        setData(el, 'held', String(host === 0));
      }
      setData(root as unknown as HTMLElement, 'powered', String(powered));
    });
  }, [client, pins, testIds]);

  const select = (index: number) => {
    const { pin, x, y } = pins[index];
    const testId = testIds[index];
    if (selectedTestId === testId) return onSelectPin(null);
    onSelectPin({
      testId,
      pin,
      left: ((x - view.x) / view.width) * 100,
      top: ((y - view.y) / view.height) * 100,
    });
  };

  return (
    <svg
      ref={svg}
      className="board-svg"
      viewBox={`${view.x} ${view.y} ${view.width} ${view.height}`}
      role="img"
      aria-label={`${layout.name} board`}
      data-testid="board-svg"
    >
      <defs>
        <radialGradient id="led-glow">
          <stop offset="0%" stopColor="#9fd3ff" stopOpacity="0.95" />
          <stop offset="35%" stopColor="#3d9bff" stopOpacity="0.55" />
          <stop offset="100%" stopColor="#3d9bff" stopOpacity="0" />
        </radialGradient>
        <linearGradient id="shield" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0%" stopColor="#d9dde3" />
          <stop offset="55%" stopColor="#aab1bb" />
          <stop offset="100%" stopColor="#8c939d" />
        </linearGradient>
        <linearGradient id="usb-metal" x1="0" y1="0" x2="0" y2="1">
          <stop offset="0%" stopColor="#e4e7eb" />
          <stop offset="100%" stopColor="#8d949c" />
        </linearGradient>
      </defs>

      {/* PCB */}
      <rect
        className="pcb"
        x={0}
        y={0}
        width={layout.width}
        height={layout.height}
        rx={layout.radius}
        fill={layout.pcbColor}
      />
      <rect
        x={0.35}
        y={0.35}
        width={layout.width - 0.7}
        height={layout.height - 0.7}
        rx={layout.radius}
        fill="none"
        stroke="#ffffff10"
        strokeWidth={0.2}
      />
      {layout.holes.map((h, i) => (
        <g key={i}>
          <circle cx={h.x} cy={h.y} r={layout.holeDiameter / 2 + 0.45} fill="#c9a24a" />
          <circle cx={h.x} cy={h.y} r={layout.holeDiameter / 2} fill="#0b0f14" />
        </g>
      ))}
      {layout.silkscreen.map((s, i) => (
        <text key={i} className="silk" x={s.x} y={s.y} fontSize={s.size} textAnchor="middle">
          {s.text}
        </text>
      ))}

      {layout.parts.map((part, i) => (
        <Part key={i} part={part} />
      ))}

      {layout.headers.map((row, r) => {
        const length = (row.pins.length - 1) * row.pitch;
        return (
          <rect
            key={r}
            className="header-strip"
            x={row.x - row.pitch / 2}
            y={row.y - row.pitch / 2}
            width={row.direction === 'x' ? length + row.pitch : row.pitch}
            height={row.direction === 'y' ? length + row.pitch : row.pitch}
            rx={0.3}
          />
        );
      })}

      {pins.map(({ pin, row, x, y }, i) => (
        <PinMark
          key={testIds[i]}
          testId={testIds[i]}
          pin={pin}
          x={x}
          y={y}
          side={row.labelSide}
          selected={selectedTestId === testIds[i]}
          onSelect={() => select(i)}
        />
      ))}

      {layout.leds.map((led) => (
        <g
          key={led.id}
          className="led"
          data-testid={led.id}
          data-led-gpio={led.gpio}
          data-active-low={String(led.activeLow)}
          data-lit="false"
        >
          <title>{`LED on GPIO${led.gpio} (lit when ${led.activeLow ? 'low' : 'high'})`}</title>
          <circle className="led-glow" cx={led.x} cy={led.y} r={3.2} fill="url(#led-glow)" />
          <rect
            className="led-body"
            x={led.x - 0.8}
            y={led.y - 0.5}
            width={1.6}
            height={1.0}
            rx={0.15}
          />
          {led.label && (
            <text className="silk" x={led.x} y={led.y + 2.1} fontSize={0.9} textAnchor="middle">
              {led.label}
            </text>
          )}
        </g>
      ))}

      {layout.buttons.map((b) => (
        <BoardButton key={b.id} button={b} />
      ))}
    </svg>
  );
}

function setData(el: HTMLElement | SVGElement, key: string, value: string): void {
  if (el.dataset[key] !== value) el.dataset[key] = value;
}

function Part({ part }: { part: BoardLayout['parts'][number] }) {
  const { x, y, width: w, height: h } = part;
  switch (part.kind) {
    case 'usb':
      return (
        <g className="part-usb">
          <rect x={x} y={y} width={w} height={h} rx={0.5} fill="url(#usb-metal)" />
          <rect x={x + 0.5} y={y + 1.6} width={1.4} height={h - 3.2} rx={0.3} fill="#3b4048" />
        </g>
      );
    case 'chip':
    case 'regulator':
      return (
        <g className="part-chip">
          <rect x={x} y={y} width={w} height={h} rx={0.25} fill="#15181c" />
          {part.kind === 'chip' && <circle cx={x + 0.8} cy={y + 0.8} r={0.3} fill="#2b3036" />}
          {part.label && (
            <text
              x={x + w / 2}
              y={y + h / 2 + 0.35}
              fontSize={0.95}
              textAnchor="middle"
              className="chip-label"
            >
              {part.label}
            </text>
          )}
        </g>
      );
    case 'module': {
      const antenna = 6.4;
      const shieldX = x + 1.2;
      const shieldW = w - antenna - 1.6;
      return (
        <g className="part-module">
          <rect x={x} y={y} width={w} height={h} rx={0.4} fill="#13213a" />
          {/* the PCB antenna: a meander trace */}
          <path
            className="antenna"
            d={meander(x + w - antenna + 0.4, y + 1.4, antenna - 1.4, h - 2.8)}
          />
          <rect
            x={shieldX}
            y={y + 1.1}
            width={shieldW}
            height={h - 2.2}
            rx={0.5}
            fill="url(#shield)"
          />
          <text
            x={shieldX + shieldW / 2}
            y={y + h / 2 - 0.6}
            className="module-label"
            fontSize={1.7}
          >
            {part.label}
          </text>
          <text
            x={shieldX + shieldW / 2}
            y={y + h / 2 + 1.6}
            className="module-sublabel"
            fontSize={1.05}
          >
            {part.sublabel}
          </text>
          <text
            x={shieldX + shieldW / 2}
            y={y + h - 2.2}
            className="module-sublabel"
            fontSize={0.75}
          >
            Wi-Fi 2.4 GHz · 802.11 b/g/n
          </text>
        </g>
      );
    }
  }
}

/** A zig-zag trace filling a w × h box, vertical strokes. */
function meander(x: number, y: number, w: number, h: number): string {
  const steps = 5;
  const dx = w / steps;
  let d = `M${x} ${y + h}`;
  for (let i = 0; i < steps; i++) {
    const cx = x + i * dx;
    const up = i % 2 === 0;
    d += ` L${cx} ${up ? y : y + h} L${cx + dx} ${up ? y : y + h}`;
  }
  return d + ` L${x + w} ${y + h}`;
}

function PinMark({
  testId,
  pin,
  x,
  y,
  side,
  selected,
  onSelect,
}: {
  testId: string;
  pin: PinDef;
  x: number;
  y: number;
  side: 'top' | 'bottom' | 'left' | 'right';
  selected: boolean;
  onSelect(): void;
}) {
  const interactive = pin.kind === 'gpio';
  const labelGap = 2.3;
  const top = side === 'top';
  const labelY = top ? y - labelGap : y + labelGap;
  const nameLength = 4.6;
  const rectY = top ? labelY - nameLength : labelY;
  const gpioY = top ? rectY - 0.8 : rectY + nameLength + 0.8;
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect();
    }
  };
  return (
    <g
      className={`pin pin-${pin.kind} ${selected ? 'is-selected' : ''}`}
      data-testid={testId}
      data-pin={pin.name}
      {...(pin.gpio !== undefined ? { 'data-gpio': pin.gpio } : {})}
      data-level="unknown"
      role={interactive ? 'button' : undefined}
      tabIndex={interactive ? 0 : undefined}
      aria-label={pin.gpio !== undefined ? `${pin.name} (GPIO${pin.gpio})` : pin.name}
      onClick={interactive ? onSelect : undefined}
      onKeyDown={interactive ? onKey : undefined}
    >
      <title>{pin.gpio !== undefined ? `${pin.name} · GPIO${pin.gpio}` : pin.name}</title>
      {/* a generous hit area covering the pin and its label */}
      <rect
        className="pin-hit"
        x={x - 1.2}
        y={top ? gpioY - 3 : y - 1.2}
        width={2.4}
        height={top ? y + 1.2 - (gpioY - 3) : gpioY + 3 - (y - 1.2)}
      />
      <rect
        className="pin-label-bg"
        x={x - 0.95}
        y={rectY}
        width={1.9}
        height={nameLength}
        rx={0.35}
        fill={LABEL_COLORS[pin.kind]}
      />
      <text
        className="pin-name"
        transform={`translate(${x} ${rectY + nameLength / 2}) rotate(-90)`}
        fontSize={1.15}
      >
        {pin.name}
      </text>
      {pin.gpio !== undefined && (
        <text
          className="pin-gpio"
          transform={`translate(${x} ${gpioY}) rotate(-90)`}
          fontSize={0.95}
          textAnchor={top ? 'start' : 'end'}
        >
          {`GPIO${pin.gpio}`}
        </text>
      )}
      <circle className="pin-ring" cx={x} cy={y} r={1.05} />
      <rect className="pin-pad" x={x - 0.55} y={y - 0.55} width={1.1} height={1.1} rx={0.15} />
    </g>
  );
}

function BoardButton({ button }: { button: ButtonDef }) {
  const client = useClient();
  const applyState = useAppStore((s) => s.applyState);
  const [pressed, setPressed] = useState(false);
  const [latched, setLatched] = useState(false);
  const isFlash = button.gpio !== undefined;

  const press = () => {
    setPressed(true);
    if (isFlash) void client.driveGpio(button.gpio!, 0);
  };
  const release = () => {
    if (!pressed) return;
    setPressed(false);
    if (isFlash) {
      if (!latched) void client.driveGpio(button.gpio!, null);
    } else {
      // The chip is held in reset while RST is down and starts when it comes up.
      void client.reset().then(applyState);
    }
  };
  const onPointerDown = (e: PointerEvent) => {
    e.preventDefault();
    if (isFlash && e.shiftKey) {
      // Shift+click latches FLASH down (to hold it through a reset), and releases it again.
      const next = !latched;
      setLatched(next);
      void client.driveGpio(button.gpio!, next ? 0 : null);
      return;
    }
    if (isFlash && latched) setLatched(false);
    press();
  };
  const onKey = (e: KeyboardEvent, down: boolean) => {
    if (e.key !== ' ' && e.key !== 'Enter') return;
    e.preventDefault();
    if (down && !pressed) press();
    if (!down) release();
  };
  const held = pressed || latched;
  const { x, y } = button;
  return (
    <g
      className={`board-button ${held ? 'is-pressed' : ''}`}
      data-testid={`btn-${button.id}`}
      {...(isFlash ? { 'data-button-gpio': button.gpio } : {})}
      data-pressed={String(held)}
      role="button"
      tabIndex={0}
      aria-pressed={held}
      aria-label={isFlash ? 'FLASH button (GPIO0)' : 'RST button'}
      onPointerDown={onPointerDown}
      onPointerUp={release}
      onPointerLeave={release}
      onKeyDown={(e) => onKey(e, true)}
      onKeyUp={(e) => onKey(e, false)}
    >
      <title>
        {isFlash
          ? 'FLASH: pulls GPIO0 low while pressed. Shift+click to hold it, then RST boots the ROM download mode.'
          : 'RST: resets the chip when released'}
      </title>
      <rect className="button-base" x={x - 2.1} y={y - 1.6} width={4.2} height={3.2} rx={0.3} />
      <circle className="button-cap" cx={x} cy={y} r={1.05} />
      <text
        className="silk"
        x={x + button.labelDx}
        y={y + button.labelDy}
        fontSize={1.0}
        textAnchor="middle"
      >
        {button.label}
      </text>
    </g>
  );
}
