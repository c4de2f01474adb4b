import type { Page } from '@playwright/test';
import { expect, firmwareBytes, test } from './fixtures.ts';
import { crashingElf } from './tiny-elf.ts';

// An .elf dropped on the page: converted to flash parts (src/board/image/elf-to-image.ts), booted
// by our ROM, and its symbols used by the crash panel. The ELF is written byte by byte
// (e2e/tiny-elf.ts): code in IRAM that stores to address 0, so the ROM's default handler prints
// `Fatal exception (29):` and the epc1 line.

/**
 * The ELF with one more (non-loaded) section: its bytes, a new section-name table holding the old
 * names and the new one, and the section headers moved to the end with the two added.
 */
function withSection(elf: Uint8Array, name: string, data: number[]): Uint8Array {
  const v = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const shoff = v.getUint32(32, true);
  const shnum = v.getUint16(48, true);
  const oldStr = shoff + 40 * v.getUint16(50, true);
  const strOff = v.getUint32(oldStr + 16, true);
  const strSize = v.getUint32(oldStr + 20, true);
  const align4 = (n: number) => (n + 3) & ~3;
  const dataOff = align4(elf.length);
  const names = [
    ...elf.subarray(strOff, strOff + strSize),
    ...[...name].map((c) => c.charCodeAt(0)),
    0,
  ];
  const namesOff = align4(dataOff + data.length);
  const newShoff = align4(namesOff + names.length);
  const out = new Uint8Array(newShoff + 40 * (shnum + 2));
  out.set(elf);
  out.set(data, dataOff);
  out.set(names, namesOff);
  out.set(elf.subarray(shoff, shoff + 40 * shnum), newShoff);
  const w = new DataView(out.buffer);
  const header = (i: number, nameAt: number, type: number, off: number, size: number) => {
    const h = newShoff + 40 * i;
    w.setUint32(h, nameAt, true);
    w.setUint32(h + 4, type, true);
    w.setUint32(h + 16, off, true);
    w.setUint32(h + 20, size, true);
    w.setUint32(h + 32, 1, true);
  };
  header(shnum, strSize, 1, dataOff, data.length); // PROGBITS, not loaded
  header(shnum + 1, v.getUint32(oldStr, true), 3, namesOff, names.length);
  w.setUint32(32, newShoff, true);
  w.setUint16(48, shnum + 2, true);
  w.setUint16(50, shnum + 1, true);
  return out;
}

/**
 * A DWARF 4 line-number program for crash.elf's IRAM code: 0x40100000 crash.c:2 (call_user_start),
 * 0x40100003 crash.c:7 (store_to_null), up to 0x4010000c.
 */
function debugLine(): number[] {
  const cstr = (s: string) => [...[...s].map((c) => c.charCodeAt(0)), 0];
  const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
  // prettier-ignore
  const header = [
    1, 1, 1, 0xfb, 14, 13, // min_inst_length, max_ops, default_is_stmt, line_base -5, line_range, opcode_base
    0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, // standard_opcode_lengths
    0, // no include directories
    ...cstr('crash.c'), 0, 0, 0, // file 1: name, directory, mtime, length
    0, // end of the file names
  ];
  // prettier-ignore
  const program = [
    0, 5, 2, ...u32(0x40100000), // DW_LNE_set_address
    3, 1, // DW_LNS_advance_line +1: line 2
    1, // DW_LNS_copy: 0x40100000 line 2
    13 + (5 + 5) + 14 * 3, // special opcode: address +3, line +5: 0x40100003 line 7
    2, 9, // DW_LNS_advance_pc 9
    0, 1, 1, // DW_LNE_end_sequence at 0x4010000c
  ];
  const rest = [4, 0, ...u32(header.length), ...header, ...program]; // version 4
  return [...u32(rest.length), ...rest];
}

const serialText = (page: Page) => page.evaluate(() => window.v8266!.serialText());

async function dropFiles(page: Page, files: { name: string; bytes: number[] }[]) {
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
    return dt;
  }, files);
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
}

test('a dropped .elf boots from its parts and its crash is decoded with its symbols', async ({
  app,
}) => {
  await app.open('?firmware=none');
  const { page } = app;
  await dropFiles(page, [{ name: 'crash.elf', bytes: [...crashingElf()] }]);
  await expect(page.getByTestId('drop-error')).toHaveCount(0);
  await expect.poll(() => serialText(page)).toContain('load 0x40100000, len 12, room');
  await expect.poll(() => serialText(page)).toContain('load 0x3ffe8000, len 8, room');
  await expect.poll(() => serialText(page)).toContain('Fatal exception (29):');

  const panel = page.getByTestId('crash-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('crash-cause')).toHaveText('Exception 29: StoreProhibited');
  await expect(page.getByTestId('crash-explanation')).toContainText('NULL or bad pointer');
  await expect(page.getByTestId('crash-epc1')).toHaveText(/0x40100003\s*store_to_null$/);
  await expect(page.getByTestId('crash-excvaddr')).toHaveText('0x00000000');
  await expect(page.getByTestId('crash-note')).toContainText('crash.elf');
  await expect(page.getByTestId('crash-note')).toContainText('no DWARF line table');
  await expect(page.getByTestId('crash-line')).toHaveCount(0);
  expect(await page.evaluate(() => window.v8266!.symbolize(0x40210004))).toBe('user_init+0x4');
  // The document names the dropped file, not its parts.
  expect(await page.evaluate(() => window.v8266!.doc().firmware)).toEqual({
    kind: 'local',
    name: 'crash.elf',
  });
  await app.screenshot('crash-panel');

  // Closed: the ROM keeps printing the same report, the panel stays closed.
  await page.getByTestId('btn-crash-close').click();
  await expect(panel).toHaveCount(0);
  const before = (await serialText(page)).split('Fatal exception').length;
  await expect
    .poll(async () => (await serialText(page)).split('Fatal exception').length)
    .toBeGreaterThan(before + 1);
  await expect(panel).toHaveCount(0);

  // Another firmware: no ELF any more.
  await dropFiles(page, [{ name: 'demo.bin', bytes: firmwareBytes('demo.bin') }]);
  await expect.poll(() => serialText(page), { timeout: 60_000 }).toContain('v8266 demo ready');
  expect(await page.evaluate(() => window.v8266!.symbolize(0x40210004))).toBeNull();
  await expect(panel).toHaveCount(0);
});

test('an .elf built with -g shows the source line of each address', async ({ app }) => {
  await app.open('?firmware=none');
  const { page } = app;
  const elf = withSection(crashingElf(), '.debug_line', debugLine());
  await dropFiles(page, [{ name: 'crash-g.elf', bytes: [...elf] }]);
  await expect(page.getByTestId('drop-error')).toHaveCount(0);
  await expect(page.getByTestId('crash-panel')).toBeVisible();
  await expect(page.getByTestId('crash-epc1')).toHaveText(
    /0x40100003\s*store_to_null\s*crash\.c:7$/,
  );
  await expect(page.getByTestId('crash-note')).toContainText(
    'source lines from its DWARF line table',
  );
});

test('an .elf must come alone; a broken one is refused with its reason', async ({ app }) => {
  await app.open('?firmware=none');
  const { page } = app;
  const elf = [...crashingElf()];
  await dropFiles(page, [
    { name: 'crash.elf', bytes: elf },
    { name: 'data.bin', bytes: [1, 2, 3, 4] },
  ]);
  await expect(page.getByTestId('drop-error')).toHaveText(/crash\.elf is an ELF: drop it alone/);
  await dropFiles(page, [{ name: 'cut.elf', bytes: elf.slice(0, 40) }]);
  await expect(page.getByTestId('drop-error')).toHaveText(/cut\.elf: file too short/);
});
