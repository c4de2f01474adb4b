/* A CPU-bound workload for the whole board: booted by our ROM from a 0xE9 image and run through
   `v8266 run` exactly as users' firmware is, so `npm run bench` measures the path users get
   (core + ESP8266 bus + ROM), not only the bare core. Work: table CRC-32 over a buffer, a byte
   sieve, and an insertion sort of pseudo-random words — loads, stores, branches, shifts, the mix
   compiled firmware executes. Results are printed so a wrong core cannot look fast. */
#include "../esp/esp.h"

#define ROUNDS 150
#define CRC_BYTES 8192
#define SIEVE_LIMIT 40000
#define SORT_WORDS 600

static uint32_t crc_table[256];
static uint8_t buffer[CRC_BYTES];
static uint8_t composite[SIEVE_LIMIT + 1];
static uint32_t words[SORT_WORDS];
static uint32_t rng = 0x2545f491u;

static uint32_t next_random(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

static uint32_t crc32(const uint8_t *p, uint32_t n) {
  uint32_t c = 0xffffffffu;
  while (n--) c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
  return ~c;
}

static uint32_t sieve(void) {
  uint32_t count = 0;
  for (uint32_t i = 0; i <= SIEVE_LIMIT; i++) composite[i] = 0;
  for (uint32_t i = 2; i <= SIEVE_LIMIT; i++) {
    if (composite[i]) continue;
    count++;
    for (uint32_t j = i * i; j <= SIEVE_LIMIT && i < 65536; j += i) composite[j] = 1;
  }
  return count;
}

static int sort_is_ordered(void) {
  for (uint32_t i = 0; i < SORT_WORDS; i++) words[i] = next_random();
  for (uint32_t i = 1; i < SORT_WORDS; i++) {
    uint32_t v = words[i], j = i;
    while (j > 0 && words[j - 1] > v) {
      words[j] = words[j - 1];
      j--;
    }
    words[j] = v;
  }
  for (uint32_t i = 1; i < SORT_WORDS; i++)
    if (words[i - 1] > words[i]) return 0;
  return 1;
}

__attribute__((section(".entry.text"))) void app_entry(void) {
  esp_start_clocks();
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
  for (uint32_t i = 0; i < CRC_BYTES; i++) buffer[i] = (uint8_t)next_random();
  uint32_t crc = 0, primes = 0;
  int ordered = 1;
  for (int round = 0; round < ROUNDS; round++) {
    crc = crc32(buffer, CRC_BYTES);
    primes = sieve();
    ordered &= sort_is_ordered();
  }
  ets_printf("espbench: crc32 0x%08x, %d primes <= %d, sort %s\n", crc, primes, SIEVE_LIMIT,
             ordered ? "ok" : "WRONG");
  ets_printf("espbench done\n");
  for (;;) __asm__ volatile("waiti 15");
}
