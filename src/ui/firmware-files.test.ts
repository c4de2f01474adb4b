import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  FirmwareFileError,
  imageFromFiles,
  interpretDrop,
  parseManifest,
  planFlash,
  detectFlashSize,
  flashSizeForDrop,
  flashSizeLabel,
  headerFlashSize,
  HEADER_SIZE_CHOICES,
  headerCodeForSize,
  headerSizeMismatch,
  offsetsForFlashSize,
  recognisedBootImage,
} from './firmware-files.ts';

const demo = new Uint8Array(readFileSync('firmware/esp/out/demo.bin'));
const MB4 = 0x400000;

describe('imageFromFiles', () => {
  it('puts one .bin at offset 0 of a 4 MB flash', () => {
    const image = imageFromFiles([{ name: 'Blink.ino.bin', data: demo }]);
    expect(image.flashSize).toBe(MB4);
    expect(image.parts).toEqual([{ name: 'Blink.ino.bin', offset: 0, data: demo }]);
  });

  it('takes a file by its content, whatever its name, and says what it recognised', () => {
    const image = imageFromFiles([{ name: 'dump.img', data: demo }]);
    expect(image.parts[0]).toMatchObject({ name: 'dump.img', offset: 0 });
    expect(recognisedBootImage(image)).toMatch(
      /^dump\.img: an ESP8266 v1 image, \d+ segments?, entry 0x/,
    );
    expect(recognisedBootImage(imageFromFiles([{ name: 'fw.bin', data: demo }]))).toBeNull();
  });

  it('explains what is wrong with a file', () => {
    expect(() => imageFromFiles([{ name: 'fw.bin', data: new Uint8Array() }])).toThrow(
      /fw\.bin is empty \(0 bytes\)/,
    );
    expect(() => imageFromFiles([{ name: 'sketch.ino', data: new Uint8Array(1) }])).toThrow(
      /sketch\.ino is not an ESP8266 firmware image: it starts with 0x00/,
    );
    expect(() => imageFromFiles([])).toThrow(FirmwareFileError);
    const one = { name: 'a.bin', data: demo };
    expect(() => imageFromFiles([one, { ...one, name: 'b.bin' }])).toThrow(/offset each/);
  });

  it('refuses a boot image that is not one, or is cut short; lets a bad checksum through', () => {
    const text = new TextEncoder().encode('hello');
    expect(() => imageFromFiles([{ name: 'notes.bin', data: text }])).toThrow(
      /notes\.bin is not an ESP8266 firmware image: it starts with 0x68/,
    );
    expect(() => imageFromFiles([{ name: 'cut.bin', data: demo.slice(0, 100) }])).toThrow(
      /cut\.bin is damaged: .*truncated|cut\.bin is damaged/,
    );
    const badSum = demo.slice();
    badSum[demo.length - 1] ^= 0xff;
    expect(imageFromFiles([{ name: 'sum.bin', data: badSum }]).parts).toHaveLength(1);
  });

  it('accepts several parts when each has an offset, and needs one at 0x0', () => {
    const data = new Uint8Array(16);
    const image = imageFromFiles([
      { name: 'boot.bin', data: demo, offset: 0 },
      { name: 'app.bin', data, offset: 0x1000 },
    ]);
    expect(image.parts.map((p) => p.offset)).toEqual([0, 0x1000]);
    expect(() => imageFromFiles([{ name: 'app.bin', data, offset: 0x1000 }])).toThrow(/0x0/);
  });
});

describe('planFlash and interpretDrop', () => {
  const e9 = Uint8Array.of(0xe9, 1, 2, 3);
  const ea = Uint8Array.of(0xea, 4, 0, 0);
  const raw = Uint8Array.of(1, 2, 3);

  it('guesses NONOS SDK offsets from names, sorted by offset', () => {
    const rows = planFlash(
      [
        { name: 'esp_init_data_default_v08.bin', data: raw },
        { name: 'blank.bin', data: raw },
        { name: 'user1.2048.new.5.bin', data: ea },
        { name: 'boot_v1.7.bin', data: e9 },
      ],
      MB4,
    );
    expect(rows.map((r) => [r.name, r.offset, r.kind])).toEqual([
      ['boot_v1.7.bin', 0, 'image'],
      ['user1.2048.new.5.bin', 0x1000, 'image-v2'],
      ['esp_init_data_default_v08.bin', 0x3fc000, 'data'],
      ['blank.bin', 0x3fe000, 'data'],
    ]);
  });

  it('puts the one unclaimed 0xE9 image at 0x0 and leaves unknown files for the user', () => {
    const rows = planFlash(
      [
        { name: 'firmware.bin', data: e9 },
        { name: 'fs.bin', data: raw },
      ],
      MB4,
    );
    expect(rows.map((r) => [r.name, r.offset])).toEqual([
      ['firmware.bin', 0],
      ['fs.bin', null],
    ]);
  });

  it('reads an esp-web-tools manifest and matches its parts by file name', () => {
    const manifest = JSON.stringify({
      name: 'Tasmota',
      builds: [
        { chipFamily: 'ESP32', parts: [{ path: 'esp32.bin', offset: 0 }] },
        { chipFamily: 'ESP8266', parts: [{ path: 'bin/tasmota.bin', offset: 0 }] },
      ],
    });
    const json = { name: 'manifest.json', data: new TextEncoder().encode(manifest) };
    const plan = interpretDrop([json, { name: 'tasmota.bin', data: e9 }], MB4);
    expect('table' in plan && plan.title).toBe('Tasmota');
    expect('table' in plan && plan.table.map((r) => [r.name, r.offset])).toEqual([
      ['tasmota.bin', 0],
    ]);
    expect(() => interpretDrop([json], MB4)).toThrow(/needs tasmota\.bin/);
    expect(() => parseManifest('{')).toThrow(/not valid JSON/);
    expect(() => parseManifest('{"builds":[{"chipFamily":"ESP32","parts":[]}]}')).toThrow(
      /no build for chipFamily "ESP8266"/,
    );
  });

  it('flashes a single file directly', () => {
    expect(interpretDrop([{ name: 'a.bin', data: e9 }], MB4)).toEqual({
      direct: { name: 'a.bin', data: e9 },
    });
  });
});

describe('offsetsForFlashSize', () => {
  it('moves the size-relative SDK offsets with the flash size and keeps everything else', () => {
    const names = [
      'boot_v1.7.bin',
      'esp_init_data_default_v08.bin',
      'blank.bin',
      'blank.bin',
      'x.bin',
    ];
    const offsets = ['0x0', '0x3fc000', '0x3fe000', '0xfe000', '0x2000'];
    expect(offsetsForFlashSize(names, offsets, 0x400000, 0x200000)).toEqual([
      '0x0',
      '0x1fc000',
      '0x1fe000',
      '0xfe000', // typed by hand (or from a manifest): stays
      '0x2000',
    ]);
    expect(
      offsetsForFlashSize(names, ['0x0', 'bad', '', '0x3fe000', ''], 0x400000, 0x100000),
    ).toEqual(['0x0', 'bad', '', '0xfe000', '']);
  });
});

describe('the flash size a dropped image declares', () => {
  const withCode = (code: number) => {
    const data = demo.slice();
    data[3] = (code << 4) | (data[3] & 0xf);
    return data;
  };
  it('reads the header code the way esptool writes it', () => {
    expect(headerFlashSize(demo)).toBe(MB4); // our demo says 4MB
    expect(headerFlashSize(withCode(0))).toBe(0x80000);
    expect(headerFlashSize(withCode(3))).toBe(0x200000);
    expect(headerFlashSize(withCode(5))).toBe(0x200000); // 2MB-c1
    expect(headerFlashSize(withCode(9))).toBe(0x1000000);
    expect(headerFlashSize(withCode(1))).toBeNull(); // 256 KB: no such board
    expect(headerFlashSize(Uint8Array.of(1, 2, 3, 4))).toBeNull();
  });
  it('takes it for a single drop when the file fits, else keeps the board size', () => {
    expect(flashSizeForDrop({ name: 'a.bin', data: withCode(3) }, MB4)).toBe(0x200000);
    const dump = new Uint8Array(MB4);
    dump.set(withCode(0)); // a full read_flash dump whose boot header says 512 KB
    expect(flashSizeForDrop({ name: 'dump.img', data: dump }, MB4)).toBe(MB4);
    expect(flashSizeForDrop({ name: 'x.bin', data: Uint8Array.of(7) }, 0x100000)).toBe(0x100000);
    expect(flashSizeLabel(0x80000)).toBe('512 KB');
  });
  it("an image larger than its header's size gets the board's size in its header, as esptool's detect does", () => {
    // MicroPython's release images: header 512 KB (code 0, 40 MHz), 620 KB of image.
    const big = new Uint8Array(0xa0000);
    big.set(withCode(0));
    const detected = detectFlashSize({ name: 'mpy.bin', data: big }, MB4)!;
    expect(headerFlashSize(detected.file.data)).toBe(MB4);
    expect(detected.file.data[3] & 0xf).toBe(big[3] & 0xf); // the flash frequency is kept
    expect(detected.file.data.subarray(4)).toEqual(big.subarray(4));
    expect(big[3] >> 4).toBe(0); // the dropped bytes themselves are not changed
    expect(detected.note).toBe(
      "mpy.bin: its header says 512 KB of flash but the image is 640 KB, so the header now says 4 MB, as esptool's write_flash --flash_size detect writes it.",
    );
    // A header that fits its image is left as it is.
    expect(detectFlashSize({ name: 'demo.bin', data: withCode(0) }, MB4)).toBeNull();
    expect(detectFlashSize({ name: 'x.bin', data: Uint8Array.of(7) }, MB4)).toBeNull();
  });
});

describe("the flash dialog's header size", () => {
  const at512k = () => {
    const data = demo.slice();
    data[3] = data[3] & 0xf; // the header code AT images ship with: 512 KB
    return data;
  };
  it('offers the esptool sizes, smallest first, -c1 after its plain size', () => {
    expect(HEADER_SIZE_CHOICES.map((c) => c.label)).toEqual([
      '256KB',
      '512KB',
      '1MB',
      '2MB',
      '2MB-c1',
      '4MB',
      '4MB-c1',
      '8MB',
      '16MB',
    ]);
    expect(headerCodeForSize(0x100000)).toBe(2);
    expect(headerCodeForSize(0x200000)).toBe(3);
    expect(headerCodeForSize(3 * 0x100000)).toBeNull();
  });
  it('explains what the SDK will do when the header and the flash disagree', () => {
    expect(headerSizeMismatch(at512k(), null, 0x100000)).toBe(
      'The image header says 512KB but the flash is 1 MB: SDK firmware will look for its init data at 0x7c000.',
    );
    expect(headerSizeMismatch(at512k(), 2, 0x100000)).toBeNull();
    expect(headerSizeMismatch(demo, null, MB4)).toBeNull();
    expect(headerSizeMismatch(at512k(), 4, 0x200000)).toBe(
      'The image header says 4MB but the flash is 2 MB: SDK firmware will look for its init data at 0x3fc000 (OTA layouts with 1024 KB apps need the -c1 map).',
    );
    expect(headerSizeMismatch(null, null, MB4)).toBeNull();
    expect(headerSizeMismatch(Uint8Array.of(1, 2, 3, 4), null, MB4)).toBeNull();
  });
});
