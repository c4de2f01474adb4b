/* ets_printf / ets_vprintf conversions and quirks (rom-internals §5.2-5.3). Each case prints its
   output, then "=<return value>" on its own line. */
#include "romtest.h"

void ets_uart_putc1(char c);
#define P(...) ets_printf("=%d\n", ets_printf(__VA_ARGS__))

static const char trailing[] = "end%\0XYZ";
static const char beyond[] = "a%\0%dQ";
/* The NONOS SDK's os_printf_plus copies a flash format into a 64-byte stack buffer when the heap
   is almost empty, so its fatal-exception line ends at byte 64, "depc=0x%", then NUL; the bytes
   after the buffer are whatever the stack holds (here "?!"). */
static const char sdk_fatal_cut[] =
    "epc1=0x%08x, epc2=0x%08x, epc3=0x%08x, excvaddr=0x%08x, depc=0x%\0?!";

ENTRY {
  romtest_start();
  P("%d|%d|%d|%d", 0, -5, 2147483647, (int)0x80000000);
  P("%D %U %u %ld %lu", 7, 0xFFFFFFFFu, 0xFFFFFFFFu, -3L, 9uL);
  P("%x %X %x %lx", 0xdeadbeefu, 0xdeadbeefu, 0u, 0xABu);
  P("%2c|%05c|%C", 'x', 'z', 'y');
  P("%s|%.2s|%3s|%05s|%8.3s|%S", (char *)0, "abc", "abcdef", "ab", "abcdef", "S");
  P("%12p|%-12p|%p", (void *)0x1234, (void *)0x1234, (void *)0x3FFE8000);
  P("%5d|%-5d|%05d|%05d|%-05d|", 42, 42, 42, -42, 42);
  P("%10.3d|%.5d|", 7, 7);
  P("%lld|%llu|%llx|%llX", (long long)0x8000000000000000ull, 0xABCD00000012ull, 0xABCD00000012ull, 0xABCD000000FFull);
  P("%i|%u|%u", 42, 42u, 0xFFFFFFFFu);
  P("%l|");
  P("A%qB");
  P("%d|%q|", 12345);
  P("%q%q%q|");
  P("%%|%q|%y|%k|");
  P("%5%|");
  P("%0-8d|", 3);
  P("%b|", 5u);
  P(trailing);
  P(beyond, 77);
  P(sdk_fatal_cut, 0x40106de1u, 0u, 0u, 0x3ffe8000u, 5u);
  ets_install_putc1(0);
  int n = ets_printf("silent");
  ets_install_putc1(ets_uart_putc1);
  ets_printf("no sinks %d\n", n);
  romtest_end();
}
