/* CPU-bound workload: table-driven CRC-32 (IEEE, reflected) over a pseudo-random 16 KiB buffer. */
#include <stdio.h>
#include "bench_common.h"

#define BUF_BYTES 16384
#define ROUNDS 40

static uint8_t buf[BUF_BYTES];
static uint32_t table[256];

static void make_table(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
}

static uint32_t crc32(const uint8_t *p, uint32_t n, uint32_t crc)
{
	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static int bench_once(void)
{
	uint32_t crc = 0;
	make_table();
	for (int i = 0; i < BUF_BYTES; i++)
		buf[i] = (uint8_t)bench_next();
	printf("crc32(\"123456789\")=%08lx\n", (unsigned long)crc32((const uint8_t *)"123456789", 9, 0));
	for (int r = 0; r < ROUNDS; r++) {
		buf[r] ^= (uint8_t)crc;
		crc = crc32(buf, BUF_BYTES, crc);
	}
	printf("crc32 %d x %d bytes: %08lx\n", ROUNDS, BUF_BYTES, (unsigned long)crc);
	return 0;
}
