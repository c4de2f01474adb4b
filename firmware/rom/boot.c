/* The reset flow of the v8266 boot ROM: banner, reset cause, flash image loading. */
#include "rom.h"

void impl_ets_set_user_start(uint32_t entry);
uint32_t UartDwnLdProc(void);
void loader_detect_host_baud(void);

/* Loads the 0xE9 image at flash 0 into RAM and prints the mask ROM's progress lines; 0 and
   user_start_fptr = the image's entry on success (Arduino's reboot_uart_dwnld.cpp calls it after
   the UART download protocol, then jumps to user_start_fptr). */
int IMPL(boot_from_flash)(void) {
  uint32_t chunk[4];
  if (SPIRead(0, chunk, 16) != 0) return 1;
  const uint8_t *hdr = (const uint8_t *)chunk;
  if (hdr[0] != 0xE9) return 1;
  SPIReadModeCnfig(hdr[2]); /* the header's flash mode: QIO/QOUT set QE, the others clear it */
  uint32_t segments = hdr[1];
  uint32_t entry = chunk[1];
  uint8_t chk = 0xEF;
  uint32_t pos = 8; /* file offset of the next segment header */
  for (uint32_t s = 0; s < segments; s++) {
    uint32_t seg[2];
    if (SPIRead(pos, seg, 8) != 0) {
      ets_printf("flash read err, %s\n", (const char *)0x1D0);
      return 1;
    }
    uint32_t addr = seg[0], len = seg[1];
    uint32_t in_chunk = pos & 15;
    if (in_chunk > 8) ets_printf("ho %d tail %d room %d\n", 0, in_chunk, 16 - in_chunk);
    uint32_t data = pos + 8;
    uint32_t room = 16 - (data & 15);
    ets_printf("load 0x%08x, len %d, room %d \n", addr, len, room);
    int words = ((data | len) & 3) == 0;
    for (uint32_t off = 0; off < len; off += 16) {
      uint32_t n = len - off < 16 ? len - off : 16;
      if (SPIRead(data + off, chunk, (n + 3) & ~3u) != 0) {
        ets_printf("flash read err, %s\n", (const char *)0x20D);
        return 1;
      }
      const uint8_t *bytes = (const uint8_t *)chunk;
      for (uint32_t i = 0; i < n; i++) chk ^= bytes[i];
      if (words)
        for (uint32_t i = 0; i < n >> 2; i++) ((volatile uint32_t *)(addr + off))[i] = chunk[i];
      else
        for (uint32_t i = 0; i < n; i++) ((volatile uint8_t *)(addr + off))[i] = bytes[i];
    }
    ets_printf("tail %d\n", (len - room) & 15);
    ets_printf("chksum 0x%02x\n", chk);
    pos = data + len;
  }
  /* The checksum is the last byte of the image padded to 16 bytes. */
  uint32_t at = pos | 15;
  if (SPIRead(at & ~3u, chunk, 4) != 0) return 1;
  uint8_t stored = ((const uint8_t *)chunk)[at & 3];
  ets_printf("csum 0x%02x\n", chk);
  if (stored != chk) {
    ets_printf("csum err\n");
    return 1;
  }
  impl_ets_set_user_start(entry);
  return 0;
}

/* The entry main calls after loading (user_start_fptr at 0x3FFFDCD0, rom-internals: the loader
   "stores the entry at 0x3FFFDCD0" through this function). */
void IMPL(ets_set_user_start)(uint32_t entry) { user_start_fptr = entry; }

/* The mask ROM's assertion idiom: the line number goes in as a string pointer and faults. */
static void __attribute__((noreturn)) rom_panic(uint32_t line) {
  ets_printf("%s %s \n", "ets_main.c", (const char *)line);
  rom_park();
}

uint32_t IMPL(main)(void) {
  uartAttach();
  Uart_Init(0);
  ets_putc1 = ets_uart_putc1;
  uint32_t in = GPIO_IN;
  uint32_t mode = (in >> 16) & 7;
  uint32_t cause = rtc_get_reset_reason();
  uint32_t loader_entry = 0;
  ets_printf("\n ets %s,rst cause:%d, boot mode:(%d,%d)\n\n", "Jan  8 2013", cause, mode,
             (in >> 29) & 7);
  switch (cause) {
    case 4:
      ets_printf("wdt reset\n");
      /* fall through */
    case 1:
    case 2:
      if (mode == 1) { /* esptool's protocol (download.c), at the host's baud rate */
        loader_detect_host_baud();
        loader_entry = UartDwnLdProc();
      }
      if (mode == 3) spi_flash_attach();
      break;
    case 3:
    case 5:
    case 6:
      break;
    default:
      ets_printf("unknown reset\n");
      rom_panic(187);
  }
  user_start_fptr = loader_entry;
  /* Strap 1 boots from flash too once the loader leaves without an entry (FLASH_END "reboot"). */
  if (mode == 3 || (mode == 1 && !loader_entry)) {
    if (impl_boot_from_flash() != 0) rom_panic(181);
  }
  if (!user_start_fptr) rom_park();
  _xtos_set_exception_handler(9, rom_unaligned_exception_handler);
  static const uint8_t fatal_causes[] = {0, 2, 3, 28, 29, 8};
  for (uint32_t i = 0; i < sizeof fatal_causes; i++)
    _xtos_set_exception_handler(fatal_causes[i], rom_fatal_exception_handler);
  return user_start_fptr;
}

static void print_exception_registers(void) {
  ets_printf("epc1=0x%08x, epc2=0x%08x, epc3=0x%08x, excvaddr=0x%08x, depc=0x%08x\n", rsr_epc1(),
             rsr_epc2(), rsr_epc3(), rsr_excvaddr(), rsr_depc());
}

/* Prints and returns: the faulting instruction runs again, as with the mask ROM. */
void IMPL(rom_fatal_exception_handler)(void *frame, int cause) {
  (void)frame;
  (void)cause;
  ets_printf("Fatal exception (%d): \n", rsr_exccause());
  print_exception_registers();
}

void IMPL(rom_unaligned_exception_handler)(void *frame, int cause) {
  (void)cause;
  ets_printf("sp %p \n", (uint8_t *)frame + 256);
  print_exception_registers();
}

void IMPL(rom_user_code_done)(void) {
  ets_printf("user code done\n");
  rom_park();
}

/* Straight to UART0, whatever putc1 and UartDev say now: firmware may have redirected both. */
static void report_char(char c) {
  while ((UART_STATUS(0) >> 16) & 0xFF) {
  }
  UART_FIFO(0) = (uint8_t)c;
}

void rom_report_unimplemented(uint32_t addr) {
  static const char prefix[] = "v8266 rom: 0x";
  static const char suffix[] = " not implemented\r\n";
  for (const char *p = prefix; rd8(p); p++) report_char((char)rd8(p));
  for (int shift = 28; shift >= 0; shift -= 4) {
    uint32_t d = (addr >> shift) & 0xF;
    report_char((char)(d < 10 ? '0' + d : 'a' + d - 10));
  }
  for (const char *p = suffix; rd8(p); p++) report_char((char)rd8(p));
}
