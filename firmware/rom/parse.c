/*
 * The ROM's text helpers for hex digits and MAC addresses (esp8266-hw.md §7.1 "misc parsing").
 * NodeMCU's wifi module calls ets_str2macaddr on a 17-character "AA:BB:CC:DD:EE:FF" it has checked
 * for length. The references give names and addresses only: the return values are our choice
 * (docs/rom.md, "Parsing helpers"). Characters are read with rd8 (aligned words), as everywhere.
 */
#include "rom.h"

/* The value of one hex digit (0-9, a-f, A-F), or -1 for any other character. */
int IMPL(ets_char2xdigit)(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Six hex byte pairs separated by one character each (':' in practice) into mac[0..5]; 1 when
   all twelve digits were hex, else 0 with the bytes before the bad digit stored. */
int IMPL(ets_str2macaddr)(uint8_t *mac, const char *str) {
  for (uint32_t i = 0; i < 6; i++) {
    int hi = impl_ets_char2xdigit((char)rd8(str + 3 * i));
    int lo = impl_ets_char2xdigit((char)rd8(str + 3 * i + 1));
    if (hi < 0 || lo < 0) return 0;
    mac[i] = (uint8_t)(hi << 4 | lo);
  }
  return 1;
}
