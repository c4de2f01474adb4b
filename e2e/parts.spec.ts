import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

// Parts from the board document (@wokwi/elements), wired to the demo board's pins.

const serialText = (page: Page) => page.evaluate(() => window.v8266!.serialText());

async function openWithParts(page: Page, open: () => Promise<void>, parts: unknown[]) {
  await open();
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('v8266 demo ready');
  const problems = await page.evaluate(
    (list) => window.v8266!.setDocText(JSON.stringify({ ...window.v8266!.doc(), parts: list })),
    parts,
  );
  expect(problems).toEqual([]);
}

test('@build an LED follows its GPIO, either way round', async ({ app }) => {
  const { page } = app;
  await openWithParts(page, () => app.open(), [
    { type: 'led', id: 'up', pin: 'D4', color: 'green' },
    { type: 'led', id: 'down', pin: 'D4', wiring: 'cathode' },
  ]);
  // The demo blinks GPIO2 (D4): an anode-wired LED is lit while it is high, a cathode-wired
  // one while it is low.
  const up = page.getByTestId('led-up');
  await expect(page.getByTestId('part-up')).toContainText('up → D4 (GPIO2)');
  // The LEDs are redrawn once per animation frame from the status block, so a sample taken right
  // at a blink edge can see the pin and the drawing a frame apart: poll until they agree.
  const snapshot = () =>
    page.evaluate(() => {
      const get = (id: string) =>
        document.querySelector(`[data-testid="${id}"]`) as
          (HTMLElement & { value: boolean }) | null;
      const upEl = get('led-up')!;
      const downEl = get('led-down')!;
      return {
        level: window.v8266!.gpio()[2],
        up: upEl.getAttribute('data-lit'),
        down: downEl.getAttribute('data-lit'),
        upValue: upEl.value,
      };
    });
  for (const lit of ['true', 'false']) {
    await expect(up).toHaveAttribute('data-lit', lit, { timeout: 60_000 });
    await expect
      .poll(snapshot)
      .toEqual(
        lit === 'true'
          ? { level: 1, up: 'true', down: 'false', upValue: true }
          : { level: 0, up: 'false', down: 'true', upValue: false },
      );
  }
});

test('a push button on D3 pulls GPIO0 low while pressed: the demo interrupt fires', async ({
  app,
}) => {
  const { page } = app;
  await openWithParts(page, () => app.open(), [{ type: 'button', id: 'btn1', pin: 'D3' }]);
  const button = page.getByTestId('button-btn1');
  await button.hover();
  await page.mouse.down();
  await expect(button).toHaveAttribute('data-pressed', 'true');
  await expect(page.getByTestId('pin-D3')).toHaveAttribute('data-level', '0');
  await expect.poll(() => serialText(page)).toContain('FLASH button pressed (1)');
  await page.mouse.up();
  await expect(button).toHaveAttribute('data-pressed', 'false');
  await expect(page.getByTestId('pin-D3')).toHaveAttribute('data-level', '1'); // pull-up
  await expect(page.getByTestId('pin-D3')).toHaveAttribute('data-host', 'none');
});

test('a slide switch ties its pin high or low; removing it releases the pin', async ({ app }) => {
  const { page } = app;
  await openWithParts(page, () => app.open(), [{ type: 'switch', id: 'sw1', pin: 'D5', value: 1 }]);
  const pin = page.getByTestId('pin-D5');
  await expect(pin).toHaveAttribute('data-host', '1');
  await expect(pin).toHaveAttribute('data-level', '1');
  await page.getByTestId('switch-sw1').click();
  await expect(page.getByTestId('switch-sw1')).toHaveAttribute('data-value', '0');
  await expect(pin).toHaveAttribute('data-host', '0');
  await expect(pin).toHaveAttribute('data-level', '0');
  await page.evaluate(() =>
    window.v8266!.setDocText(JSON.stringify({ ...window.v8266!.doc(), parts: [] })),
  );
  await expect(page.getByTestId('parts')).toHaveCount(0);
  await expect(pin).toHaveAttribute('data-host', 'none');
});

test('a potentiometer sets A0', async ({ app }) => {
  const { page } = app;
  await openWithParts(page, () => app.open(), [
    { type: 'potentiometer', id: 'pot1', pin: 'A0', value: 300 },
  ]);
  await expect.poll(() => page.evaluate(() => window.v8266!.status().a0)).toBe(300);
  // Turn it with the keyboard, as a user can.
  const pot = page.getByTestId('pot-pot1');
  await pot.click(); // focuses its range input
  await page.keyboard.press('End');
  await expect(pot).toHaveAttribute('data-value', '1023');
  await expect.poll(() => page.evaluate(() => window.v8266!.status().a0)).toBe(1023);
  // The A0 slider under the board shows the same input.
  await expect(page.getByTestId('a0-value')).toHaveText('1023 · 3.30 V');
});

/** Where a wire starts and ends, and the boxes of its part and its pin, in page pixels. */
function wireEnds(page: Page, id: string, pin: string) {
  return page.evaluate(
    ({ id, pin }) => {
      const box = (el: Element) => {
        const r = el.getBoundingClientRect();
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      };
      const wire = document.querySelector(`[data-testid="wire-${id}"] path`) as SVGPathElement;
      const svg = wire.ownerSVGElement!.getBoundingClientRect();
      const at = (t: number) => {
        const p = wire.getPointAtLength(t);
        return { x: svg.left + p.x, y: svg.top + p.y };
      };
      return {
        start: at(0),
        end: at(wire.getTotalLength()),
        part: box(document.querySelector(`[data-testid="part-${id}"]`)!),
        pin: box(document.querySelector(`[data-testid="pin-${pin}"]`)!),
      };
    },
    { id, pin },
  );
}

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** A wire end lies on the top or bottom edge of the box it connects to. */
function expectOnEdge(point: { x: number; y: number }, b: Box) {
  expect(point.x).toBeGreaterThanOrEqual(b.left - 1);
  expect(point.x).toBeLessThanOrEqual(b.right + 1);
  expect(Math.min(Math.abs(point.y - b.top), Math.abs(point.y - b.bottom))).toBeLessThan(1.5);
}

test('parts sit with the board, on screen, and a wire runs from each to its pin', async ({
  app,
}) => {
  const { page } = app;
  const parts = [
    { type: 'led', id: 'l1', pin: 'D4' },
    { type: 'button', id: 'b1', pin: 'D3' },
    { type: 'switch', id: 's1', pin: 'D5' },
    { type: 'potentiometer', id: 'p1', pin: 'A0' },
  ];
  await openWithParts(page, () => app.open(), parts);
  // Nothing scrolled, and every part is whole inside the 1280×800 window.
  const viewport = page.viewportSize()!;
  for (const part of parts) {
    const box = (await page.getByTestId(`part-${part.id}`).boundingBox())!;
    expect(box.y, part.id).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height, part.id).toBeLessThanOrEqual(viewport.height);
  }
  expect(await page.evaluate(() => document.scrollingElement!.scrollTop)).toBe(0);
  // NodeMCU's A0 is on the top header: the potentiometer sits above the board, the rest below.
  await expect(page.getByTestId('parts-above').getByTestId('part-p1')).toBeVisible();
  await expect(page.getByTestId('parts-below').getByTestId('part-l1')).toBeVisible();

  for (const part of parts) {
    await expect(page.getByTestId(`wire-${part.id}`)).toHaveAttribute('data-pin', part.pin);
    const ends = await wireEnds(page, part.id, part.pin);
    expectOnEdge(ends.start, ends.part);
    expectOnEdge(ends.end, ends.pin);
  }
  await app.screenshot('parts-wired');

  // Another board: the wires follow its pins; a removed part takes its wire with it.
  const problems = await page.evaluate(() =>
    window.v8266!.setDocText(
      JSON.stringify({
        ...window.v8266!.doc(),
        board: 'd1-mini',
        parts: [{ type: 'led', id: 'l1', pin: 'D4' }],
      }),
    ),
  );
  expect(problems).toEqual([]);
  await expect(page.getByTestId('board-svg')).toHaveAttribute('aria-label', /D1 mini/i);
  await expect(page.getByTestId('wire-b1')).toHaveCount(0);
  await expect
    .poll(async () => {
      const ends = await wireEnds(page, 'l1', 'D4');
      return (
        Math.abs(ends.end.x - (ends.pin.left + ends.pin.right) / 2) < 1 &&
        Math.abs(ends.start.x - (ends.part.left + ends.part.right) / 2) < 1
      );
    })
    .toBe(true);
});
