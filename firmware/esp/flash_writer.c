/* Writes flash without end, in a pattern that can be checked byte for byte: for the page's
   kill test (e2e/persist.spec.ts), which kills the tab in the middle of these writes and
   reopens the saved board. Generation g (1, 2, 3...) goes to sector g mod 16 of a 64 KB region
   at 3 MB: erase, program words 1..1023 (32 bytes at a time through SPI0), then word 0 = g last,
   then print "g=<g>". At boot the region is checked whole first: every sector holds the newest
   generation that belongs to it, except the one after the newest, which may still hold its
   previous generation, or be erased, or be programmed part-way (from word 8 on, a prefix; the
   first chunk with word 0 still erased); prints "check ok, generation G" and goes
   on from G+1, or "check FAILED ..." and stops. */
#include "esp.h"

#define REGION 0x300000u
#define SECTORS 16u
#define SECTOR_BYTES 4096u
#define WORDS (SECTOR_BYTES / 4)
#define CHUNK_WORDS 8u
#define ERASED 0xFFFFFFFFu

static void spi_cmd(uint32_t cmd) {
  SPI0_CMD = cmd;
  while (SPI0_CMD) {
  }
}

static void wait_ready(void) {
  do {
    spi_cmd(SPI_CMD_RDSR);
  } while (SPI0_RD_STATUS & 1);
}

static void flash_read(uint32_t addr, uint32_t *words) {
  SPI0_ADDR = addr | (CHUNK_WORDS * 4) << 24;
  spi_cmd(SPI_CMD_READ);
  for (uint32_t i = 0; i < CHUNK_WORDS; i++) words[i] = SPI0_W(i);
}

static void flash_program(uint32_t addr, const uint32_t *words) {
  spi_cmd(SPI_CMD_WREN);
  for (uint32_t i = 0; i < CHUNK_WORDS; i++) SPI0_W(i) = words[i];
  SPI0_ADDR = addr | (CHUNK_WORDS * 4) << 24;
  spi_cmd(SPI_CMD_PP);
  wait_ready();
}

static void flash_erase(uint32_t addr) {
  spi_cmd(SPI_CMD_WREN);
  SPI0_ADDR = addr;
  spi_cmd(SPI_CMD_SE);
  wait_ready();
}

/* Word k (1..1023) of generation g; never all ones, so it cannot pass for erased flash. */
static uint32_t pattern(uint32_t g, uint32_t k) {
  return (g * 0x9E3779B1u ^ k * 0x85EBCA77u ^ (g << 16)) & 0xFEFFFFFFu;
}

static uint32_t word_at(uint32_t s, uint32_t k) {
  static uint32_t cache[CHUNK_WORDS];
  static uint32_t cached = ERASED;
  uint32_t addr = REGION + s * SECTOR_BYTES + (k & ~(CHUNK_WORDS - 1)) * 4;
  if (addr != cached) {
    flash_read(addr, cache);
    cached = addr;
  }
  return cache[k & (CHUNK_WORDS - 1)];
}

static int fail(uint32_t s, uint32_t k, uint32_t got, uint32_t want) {
  ets_printf("flash writer: check FAILED sector %u word %u: %08x, want %08x\n", s, k, got, want);
  return 0;
}

/* The region as a whole; sets *newest to the newest complete generation (0: none). */
static int check_region(uint32_t *newest) {
  uint32_t top = 0;
  for (uint32_t s = 0; s < SECTORS; s++) {
    uint32_t g = word_at(s, 0);
    if (g != ERASED && g > top) top = g;
  }
  uint32_t next = top + 1;
  for (uint32_t s = 0; s < SECTORS; s++) {
    /* The newest generation this sector should hold (0: never written). */
    uint32_t want = top >= s && (top - s) % SECTORS == 0 ? top : 0;
    if (!want) {
      uint32_t back = (top + SECTORS - s) % SECTORS;
      want = top > back ? top - back : 0;
    }
    uint32_t g = word_at(s, 0);
    if (s == next % SECTORS && g == ERASED) {
      /* The sector being written when the tab died: erased, then generation `next` programmed
         from word 8 on, a prefix (the first chunk, with word 0, goes last). */
      int programmed = 1;
      for (uint32_t k = 1; k < WORDS; k++) {
        uint32_t w = word_at(s, k);
        if (k < CHUNK_WORDS) {
          if (w != ERASED) return fail(s, k, w, ERASED);
          continue;
        }
        if (programmed && w != pattern(next, k)) programmed = 0;
        if (!programmed && w != ERASED) return fail(s, k, w, ERASED);
      }
      continue;
    }
    if (want == 0) {
      for (uint32_t k = 0; k < WORDS; k++)
        if (word_at(s, k) != ERASED) return fail(s, k, word_at(s, k), ERASED);
      continue;
    }
    if (g != want) return fail(s, 0, g, want);
    for (uint32_t k = 1; k < WORDS; k++)
      if (word_at(s, k) != pattern(want, k)) return fail(s, k, word_at(s, k), pattern(want, k));
  }
  *newest = top;
  return 1;
}

static void write_generation(uint32_t g) {
  uint32_t base = REGION + (g % SECTORS) * SECTOR_BYTES;
  uint32_t chunk[CHUNK_WORDS];
  flash_erase(base);
  for (uint32_t k0 = CHUNK_WORDS; k0 < WORDS; k0 += CHUNK_WORDS) {
    for (uint32_t i = 0; i < CHUNK_WORDS; i++) chunk[i] = pattern(g, k0 + i);
    flash_program(base + k0 * 4, chunk);
  }
  chunk[0] = g;
  for (uint32_t i = 1; i < CHUNK_WORDS; i++) chunk[i] = pattern(g, i);
  flash_program(base, chunk);
}

__attribute__((section(".entry.text"))) void app_entry(void) {
  uint32_t top = 0;
  esp_start_clocks();
  ets_printf("\nflash writer: checking the region\n");
  if (!check_region(&top)) {
    for (;;) __asm__ volatile("waiti 15");
  }
  ets_printf("flash writer: check ok, generation %u\n", top);
  for (uint32_t g = top + 1;; g++) {
    write_generation(g);
    ets_printf("g=%u\n", g);
  }
}
