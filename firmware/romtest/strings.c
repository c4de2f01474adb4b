/* memmove and strstr at both of their ROM addresses: the ets_ entry points (0x400018C4,
   0x40002AD8) and the libc ones they call (0x4000E04C, 0x4000E1E0). memmove: overlaps in both
   directions, the aligned word path (16 bytes or more, both pointers aligned), odd lengths, zero
   length, dst == src. strstr: empty needle and haystack, no match, a needle longer than the
   haystack, a partial match to back out of. Each line: entry point, then the cases. */
#include "romtest.h"

typedef void *(*memmove_fn)(void *dst, const void *src, uint32_t n);
typedef char *(*strstr_fn)(const char *haystack, const char *needle);

static const struct {
  const char *name;
  uint32_t memmove_at, strstr_at;
} entry[2] = {{"ets", 0x400018C4, 0x40002AD8}, {"libc", 0x4000E04C, 0x4000E1E0}};

static const char pattern[] = "0123456789abcdefghijklmnopqrstuvwxyzABCD"; /* 40 characters */
static char buf[44] __attribute__((aligned(4)));

/* buf := pattern, then memmove(buf + to, buf + from, n): "<dst returned?>:<buf>". */
static void move(memmove_fn mm, uint32_t to, uint32_t from, uint32_t n) {
  for (int i = 0; i < 41; i++) buf[i] = pattern[i];
  void *r = mm(buf + to, buf + from, n);
  ets_printf(" %d:%s", r == buf + to, buf);
}

static const char hay[] = "hello world, hello";
static const char aaab[] = "aaab";
static const char empty[] = "";

static int find(strstr_fn ss, const char *h, const char *n) {
  char *r = ss(h, n);
  return r ? r - h : -1;
}

ENTRY {
  romtest_start();
  for (int e = 0; e < 2; e++) {
    memmove_fn mm = (memmove_fn)entry[e].memmove_at;
    ets_printf("%s memmove\n", entry[e].name);
    move(mm, 1, 3, 10); /* dst below src, overlapping: forward */
    move(mm, 3, 1, 10); /* dst above src, overlapping: backward */
    ets_printf("\n");
    move(mm, 4, 8, 20); /* aligned, 16 or more: words, forward */
    move(mm, 8, 4, 20); /* aligned, backward */
    ets_printf("\n");
    move(mm, 5, 2, 7);  /* odd length backward */
    move(mm, 2, 5, 1);  /* one byte */
    move(mm, 20, 0, 19); /* apart */
    ets_printf("\n");
    move(mm, 6, 6, 9); /* onto itself */
    move(mm, 0, 9, 0); /* nothing */
    move(mm, 0, 4, 36); /* aligned, long, unaligned tail */
    ets_printf("\n");

    strstr_fn ss = (strstr_fn)entry[e].strstr_at;
    ets_printf("%s strstr %d %d %d %d %d %d %d %d %d %d %d\n", entry[e].name, find(ss, hay, "world"),
               find(ss, hay, "hello"), find(ss, hay, "d, h"), find(ss, hay, "o"), find(ss, hay, ""),
               find(ss, hay, "xyz"), find(ss, hay, "hello world, hello!"), find(ss, empty, ""),
               find(ss, empty, "a"), find(ss, aaab, "aab"), find(ss, hay + 13, "hello"));
  }
  romtest_end();
}
