/**
 * Flash layouts of the real firmware images in V8266_REALFW_DIR (docs/real-firmware.md), as
 * [path under that folder, offset], shared by the real-firmware tests.
 */
export const AT200: [string, number][] = [
  ['at200/eagle.flash.bin', 0],
  ['at200/eagle.irom0text.bin', 0x10000],
  ['at200/esp_init_data_default.bin', 0xfc000],
  ['at200/blank.bin', 0x7e000],
  ['at200/blank.bin', 0xfe000],
];

export const AT306: [string, number][] = [
  ['at306/boot_v1.7.bin', 0],
  ['at306/user1.2048.new.5.bin', 0x1000],
  ['at306/esp_init_data_default_v08.bin', 0x1fc000],
  ['at306/blank.bin', 0xfe000],
  ['at306/blank.bin', 0x1fe000],
];

/** ESP8266_MP3_DECODER on RTOS SDK 1.0.0 (2015; docs/real-firmware.md), run as 4 MB. */
export const RTOS_MP3: [string, number][] = [
  ['rtos_mp3/eagle.flash.bin', 0],
  ['rtos_mp3/eagle.irom0text.bin', 0xa0000],
  ['rtos_mp3/esp_init_data_default.bin', 0x3fc000],
  ['rtos_mp3/blank.bin', 0x3fe000],
];

/** ESP8266_RTOS_SDK v3.4 http_server template (TTA21/esp8266_http_server_template), 4 MB. */
export const RTOS3_HTTPSERVER: [string, number][] = [
  ['rtos3_httpserver/bootloader.bin', 0],
  ['rtos3_httpserver/partitions.bin', 0x8000],
  ['rtos3_httpserver/simple.bin', 0x10000],
];
