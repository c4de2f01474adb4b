/**
 * The parts the board document lists, in a row above or below the board (by the side of the
 * header their pin is on: `partRow`), drawn with @wokwi/elements (deep imports: only these four
 * elements are bundled) and wired to the emulator: an LED follows its pin's level, a push button
 * pulls its pin to GND while pressed, a slide switch ties its pin to GND or 3V3, a potentiometer
 * sets A0. LEDs are updated straight from the status block, not through React renders.
 */

import '@wokwi/elements/dist/esm/led-element.js';
import '@wokwi/elements/dist/esm/pushbutton-element.js';
import '@wokwi/elements/dist/esm/slide-switch-element.js';
import '@wokwi/elements/dist/esm/potentiometer-element.js';
import { useEffect, useRef, useState } from 'react';
import type {
  BoardType,
  ButtonPart,
  LedPart,
  Part,
  PotentiometerPart,
  SwitchPart,
} from '../board-doc/document.ts';
import { gpioOf, layoutFor } from '../boards/index.ts';
import { useClient } from '../client-context.ts';
import { useAppStore } from '../store.ts';
import { partRow, type PartRow } from './wire-geometry.ts';

export function PartsRow({ row }: { row: PartRow }) {
  const doc = useAppStore((s) => s.doc);
  const layout = layoutFor(doc.board);
  const parts = doc.parts.filter((part) => partRow(layout, part.pin) === row);
  if (parts.length === 0) return null;
  return (
    <div
      className={`parts-row parts-${row}`}
      data-testid={`parts-${row}`}
      aria-label={`Parts ${row} the board`}
    >
      {parts.map((part) => (
        <PartCard key={`${part.type}:${part.id}:${part.pin}`} part={part} board={doc.board} />
      ))}
    </div>
  );
}

function PartCard({ part, board }: { part: Part; board: BoardType }) {
  const gpio = part.type === 'potentiometer' ? undefined : gpioOf(board, part.pin);
  return (
    <figure
      className={`part part-${part.type}`}
      data-testid={`part-${part.id}`}
      data-part-type={part.type}
      data-part-pin={part.pin}
    >
      {part.type === 'led' && <LedView part={part} gpio={gpio!} />}
      {part.type === 'button' && <ButtonView part={part} gpio={gpio!} />}
      {part.type === 'switch' && <SwitchView part={part} gpio={gpio!} />}
      {part.type === 'potentiometer' && <PotView part={part} />}
      <figcaption>
        {part.id}{' '}
        <span className="part-pin">
          → {part.pin}
          {gpio !== undefined ? ` (GPIO${gpio})` : ''}
        </span>
      </figcaption>
    </figure>
  );
}

function LedView({ part, gpio }: { part: LedPart; gpio: number }) {
  const client = useClient();
  const el = useRef<HTMLElement>(null);
  useEffect(() => {
    const led = el.current as (HTMLElement & { value: boolean }) | null;
    if (!led) return;
    return client.onStatus((status) => {
      const powered = status.runState === 'running' || status.runState === 'paused';
      const level = status.gpio[gpio];
      const lit =
        powered && level !== null && (part.wiring === 'cathode' ? level === 0 : level === 1);
      if (led.value !== lit) led.value = lit;
      const flag = String(lit);
      if (led.dataset.lit !== flag) led.dataset.lit = flag;
    });
  }, [client, gpio, part.wiring]);
  return (
    <wokwi-led
      ref={el}
      color={part.color ?? 'red'}
      data-testid={`led-${part.id}`}
      data-lit="false"
    />
  );
}

/** Re-send a drive after every (re)load: a new board starts with nothing driven. */
function useDrive(gpio: number, level: 0 | 1 | null) {
  const client = useClient();
  const firmware = useAppStore((s) => s.firmware);
  useEffect(() => {
    void client.driveGpio(gpio, level);
  }, [client, gpio, level, firmware]);
  useEffect(() => () => void client.driveGpio(gpio, null), [client, gpio]);
}

function ButtonView({ part, gpio }: { part: ButtonPart; gpio: number }) {
  const [pressed, setPressed] = useState(false);
  useDrive(gpio, pressed ? 0 : null);
  return (
    <wokwi-pushbutton
      color={part.color ?? 'green'}
      data-testid={`button-${part.id}`}
      data-pressed={String(pressed)}
      onbutton-press={() => setPressed(true)}
      onbutton-release={() => setPressed(false)}
    />
  );
}

function SwitchView({ part, gpio }: { part: SwitchPart; gpio: number }) {
  const [value, setValue] = useState<0 | 1>(part.value ?? 1);
  useDrive(gpio, value);
  return (
    <wokwi-slide-switch
      value={value}
      data-testid={`switch-${part.id}`}
      data-value={String(value)}
      oninput={(e: Event) =>
        setValue((e.currentTarget as HTMLElement & { value: number }).value ? 1 : 0)
      }
    />
  );
}

function PotView({ part }: { part: PotentiometerPart }) {
  const client = useClient();
  const [value, setValue] = useState(part.value ?? 0);
  useEffect(() => {
    void client.setA0(value);
  }, [client, value]);
  return (
    <wokwi-potentiometer
      min={0}
      max={1023}
      step={1}
      value={value}
      data-testid={`pot-${part.id}`}
      data-value={String(value)}
      oninput={(e: Event) =>
        setValue(Math.round((e.currentTarget as HTMLElement & { value: number }).value))
      }
    />
  );
}
