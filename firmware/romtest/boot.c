/* ROM loader and parsing entry points: boot_from_flash (reloads this very image, same bytes),
   ets_set_user_start, ets_char2xdigit, ets_str2macaddr. */
#include "romtest.h"

int boot_from_flash(void);
void ets_set_user_start(uint32_t entry);
int ets_char2xdigit(char c);
int ets_str2macaddr(uint8_t *mac, const char *str);
void app_entry(void);

#define USER_START_FPTR (*(volatile uint32_t *)0x3FFFDCD0)

/* In IRAM: strings the ROM must read by words (like NodeMCU's Lua strings may not be). */
static const char mac_text[] __attribute__((section(".text.mac_text"), aligned(4))) = "1a:FE:34:00:9b:C2";

ENTRY {
  romtest_start();
  ets_printf("xdigit %d %d %d %d\n", ets_char2xdigit('7'), ets_char2xdigit('a'), ets_char2xdigit('F'),
             ets_char2xdigit('g'));
  uint8_t mac[6] = {0};
  int ok = ets_str2macaddr(mac, mac_text);
  ets_printf("mac %d %02x%02x%02x%02x%02x%02x ", ok, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
  uint8_t bad[6] = {0};
  ets_printf("bad %d %02x\n", ets_str2macaddr(bad, "12:x4:56:78:9a:bc"), bad[0]);
  ets_set_user_start(0x40101234);
  ets_printf("user_start %x\n", USER_START_FPTR);
  USER_START_FPTR = 0;
  int r = boot_from_flash();
  ets_printf("boot %d entry %d\n", r, USER_START_FPTR == (uint32_t)app_entry);
  romtest_end();
}
