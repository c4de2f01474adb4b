/* ets_io_vprintf (0x40001F00, the same entry point as ets_vprintf): formats into the caller's
   putc only, returns the characters emitted, and does not look at the installed putc1/putc2 (RTOS
   SDK 3.x prints through it with its own putc). va_list cases: more arguments than the six
   argument registers, a 64-bit argument after an odd number of words and one that would straddle
   the registers and the stack. Each line: "[<output>] <return> <characters putc saw>". */
#include "romtest.h"

typedef void (*putc_fn)(char c);
int ets_io_vprintf(putc_fn putc, const char *fmt, va_list ap);
void ets_uart_putc1(char c);

static char out[160];
static int seen;

static void sink(char c) {
  if (seen < (int)sizeof(out) - 1) out[seen] = c;
  seen++;
}

static int fmt(const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  seen = 0;
  int r = ets_io_vprintf(sink, f, ap);
  va_end(ap);
  out[seen < (int)sizeof(out) ? seen : (int)sizeof(out) - 1] = 0;
  return r;
}

#define SHOW(...)                         \
  do {                                    \
    int r = fmt(__VA_ARGS__);             \
    ets_printf("[%s] %d %d\n", out, r, seen); \
  } while (0)

static char name[] = "esp";

ENTRY {
  romtest_start();
  SHOW("");
  SHOW("plain");
  SHOW("%d|%u|%x|%X|%s|%c", -12, 3000000000u, 0xbeefu, 0xbeefu, name, 'Q');
  SHOW("%08x|%-4d|%5s|%3d", 0x1234u, 7, name, 12345);
  SHOW("%d %d %d %d %d %d %d %d %d %d", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
  SHOW("%d %lld %d", 1, -2LL, 3);
  SHOW("%d %d %d %d %lld %d", 1, 2, 3, 4, 0x123456789LL, 6);
  SHOW("%s|%p", (char *)0, (void *)0x3ffe8000);
  /* No putc1/putc2 installed: ets_printf prints nothing, ets_io_vprintf still formats. */
  ets_printf("sinks off\n");
  ets_install_putc1(0);
  int silent = ets_printf("lost");
  int r = fmt("%d+%d", 20, 22);
  ets_install_putc1(ets_uart_putc1);
  ets_printf("[%s] %d %d printf %d\n", out, r, seen, silent);
  romtest_end();
}
