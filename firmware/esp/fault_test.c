/* Faults and data accesses for the GDB stub's tests (test/tools/gdb.test.ts), built with -g.
   Runs on the ROM's exception vectors (no esp_irq_init), as SDK firmware does:
   1. an 8-bit load from IRAM raises LoadStoreError (cause 3), which a handler of our own,
      installed with the ROM's _xtos_set_exception_handler as the SDK installs its own, emulates:
      a fault handled on purpose, that a debugger must not stop on;
   2. `watched` is written twice (a watchpoint's target);
   3. a store to address 0x10 raises StoreProhibited (cause 29), which reaches the ROM's
      "Fatal exception (29)" handler: a crash, reported to a debugger as SIGSEGV. */
#include "esp.h"

typedef void (*exc_handler_t)(uint32_t *frame, int cause);
exc_handler_t _xtos_set_exception_handler(int cause, exc_handler_t handler);

/* In IRAM: the bus there answers only 32-bit loads. */
__attribute__((section(".text.iram_bytes"), aligned(4))) const uint32_t iram_bytes = 0x44332211;
volatile uint32_t watched = 7;
volatile uint32_t loads_fixed = 0;

static uint32_t word_at(uint32_t addr) { return *(volatile uint32_t *)(addr & ~3u); }
static uint32_t byte_at(uint32_t addr) { return (word_at(addr) >> ((addr & 3) * 8)) & 0xff; }

/* LoadStoreError from L8UI at EPC1: load the byte from its aligned word into register t and go
   on after the instruction. The ROM's frame: +0 EPC1, +16 a0, +20 a2 ... +72 a15. */
static void load_store_handler(uint32_t *frame, int cause) {
  (void)cause;
  uint32_t epc = frame[0];
  uint32_t excvaddr;
  __asm__ volatile("rsr %0, excvaddr" : "=r"(excvaddr));
  uint32_t b0 = byte_at(epc), b1 = byte_at(epc + 1);
  uint32_t t = b0 >> 4;
  if ((b0 & 0xf) != 2 || (b1 >> 4) != 0 || t < 2) {
    ets_printf("unexpected LoadStoreError at 0x%x\n", epc);
    for (;;) __asm__ volatile("waiti 15");
  }
  frame[5 + (t - 2)] = byte_at(excvaddr);
  frame[0] = epc + 3;
  loads_fixed++;
}

volatile uint32_t *volatile bad_pointer = (volatile uint32_t *)0x10;
__attribute__((noinline)) void crash(void) { *bad_pointer = 0x5a5a; }

__attribute__((section(".entry.text"))) void app_entry(void) {
  esp_start_clocks();
  _xtos_set_exception_handler(3, load_store_handler);
  uint32_t b = *(volatile const uint8_t *)((uint32_t)&iram_bytes + 2);
  ets_printf("iram byte 0x%x, %u load fixed\n", b, loads_fixed);
  watched = 0x1234;
  watched = watched + 1;
  ets_printf("watched 0x%x\n", watched);
  crash();
  ets_printf("after the crash\n");
  for (;;) __asm__ volatile("waiti 15");
}
