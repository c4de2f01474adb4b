/* CPU-bound workload: snprintf formatting and string functions (picolibc's vfprintf, str*). */
#include <stdio.h>
#include <string.h>
#include "bench_common.h"

#define LINES 2000

static int bench_once(void)
{
	char line[96], prev[96] = "";
	uint32_t hash = 5381, total = 0;
	int less = 0;
	for (int i = 0; i < LINES; i++) {
		uint32_t v = bench_next();
		int n = snprintf(line, sizeof line, "%5d|%08lx|%-12s|%+ld|%c%c",
				 i, (unsigned long)v, (v & 1) ? "odd" : "even-number",
				 (long)(int32_t)v / 1000, 'a' + (int)(v % 26), 'A' + (int)(i % 26));
		total += (uint32_t)n + (uint32_t)strlen(line);
		less += strcmp(line + 6, prev + 6) < 0;
		memcpy(prev, line, sizeof line);
		for (const char *p = line; *p; p++)
			hash = hash * 33 + (uint8_t)*p;
		if (strchr(line, 'z'))
			hash ^= 0x5a5a5a5au;
	}
	printf("last: %s\n", prev);
	printf("strings %d lines: total %lu, less %d, hash %08lx\n", LINES, (unsigned long)total,
	       less, (unsigned long)hash);
	return 0;
}
