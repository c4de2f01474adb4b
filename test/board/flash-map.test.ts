/**
 * The header's flash-size code as SDK firmware uses it (firmware/esp/flash_map.c): it reads the
 * code from the image at offset 0 and looks for its init data at size − 16 KB, as the NONOS SDK
 * does. The AT images ship with 512 KB in the header; flashed as they are onto a 1 MB chip with
 * the init data at 0xFC000, the SDK looks at 0x7C000 and finds 0xFF. Writing 1MB into the header
 * while flashing (esptool --flash_size, `v8266 run --header-size`, the page's flash dialog: all
 * `withHeaderFlashSize`) is what makes it find them.
 */
import { describe, expect, it } from 'vitest';
import {
  assembleFlash,
  parseHeaderFlashSize,
  withHeaderFlashSize,
} from '../../src/board/image/flash-layout.ts';
import { bench, firmwareImage } from './firmware.ts';

const MB = 0x100000;
const initData = Uint8Array.from({ length: 128 }, (_, i) => (i === 0 ? 0x05 : 0));

/** flash_map.bin shipped the way Espressif ships its AT images: 512 KB in the header. */
function shippedAt512k() {
  return withHeaderFlashSize(
    [{ name: 'flash_map.bin', offset: 0, data: firmwareImage('flash_map') }],
    0,
  ).parts;
}

function runOn1M(headerSize: string | null) {
  let parts = [
    ...shippedAt512k(),
    { name: 'esp_init_data_default.bin', offset: 0xfc000, data: initData },
  ];
  if (headerSize !== null)
    parts = withHeaderFlashSize(parts, parseHeaderFlashSize(headerSize)).parts;
  const b = bench('flash_map', assembleFlash(parts, MB));
  b.waitFor('DONE');
  return b.out.replace(/\r\n/g, '\n');
}

describe('the header flash size, as SDK firmware reads it', () => {
  it('kept at 512 KB on a 1 MB chip: the init data is looked for at 0x7C000 and missed', () => {
    const out = runOn1M(null);
    expect(out).toContain('flash map: header size code 0, 512 KB\n');
    expect(out).toContain('rf cal sector: 123\n');
    expect(out).toContain('rf_cal[0] !=0x05,is 0xFF\n');
  });

  it('rewritten to 1MB: rf cal sector 251 and the init data at 0xFC000, as AT 2.0.0 needs', () => {
    const out = runOn1M('1MB');
    expect(out).toContain('flash map: header size code 2, 1024 KB\n');
    expect(out).toContain('rf cal sector: 251\n');
    expect(out).toContain('init data at 0xfc000\n');
  });

  it('2MB-c1 declares 2 MB like 2MB (the map differs only in where the SDK puts its apps)', () => {
    const parts = withHeaderFlashSize(shippedAt512k(), parseHeaderFlashSize('2MB-c1')).parts;
    const b = bench('flash_map', assembleFlash(parts, 2 * MB));
    b.waitFor('DONE');
    expect(b.out).toContain('header size code 5, 2048 KB\r\nrf cal sector: 507\r\n');
  });
});
