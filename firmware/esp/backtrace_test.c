/* A call chain for the GDB stub's backtrace test (test/tools/gdb-backtrace.test.ts), built with -g:
   app_entry -> outer -> middle -> innermost, none inlined and none a tail call (each does work
   after its call returns), so every caller has a frame of its own that the debugger unwinds with
   the ELF's call-frame information (.debug_frame). `innermost` keeps a local in its stack frame
   (volatile), a variable the debugger finds by its DWARF location; `calls` is a global. */
#include "esp.h"

volatile uint32_t calls = 0;

__attribute__((noinline)) uint32_t innermost(uint32_t x) {
  volatile uint32_t scaled = x * 3;
  calls++;
  return scaled + 1;
}

__attribute__((noinline)) uint32_t middle(uint32_t x) { return innermost(x + 1) ^ 0x55; }

__attribute__((noinline)) uint32_t outer(uint32_t x) { return middle(x + 1) * 2; }

__attribute__((section(".entry.text"))) void app_entry(void) {
  esp_start_clocks();
  for (uint32_t i = 0; i < 3; i++) ets_printf("chain %u -> %u\n", i, outer(i * 100));
  for (;;) __asm__ volatile("waiti 15");
}
