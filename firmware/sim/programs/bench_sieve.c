/* CPU-bound workload: sieve of Eratosthenes (byte array), repeated. */
#include <stdio.h>
#include <string.h>
#include "bench_common.h"

#define LIMIT 100000
#define ROUNDS 10

static uint8_t composite[LIMIT + 1];

static uint32_t sieve(uint32_t *last)
{
	uint32_t count = 0;
	memset(composite, 0, sizeof composite);
	for (uint32_t i = 2; i <= LIMIT; i++) {
		if (composite[i])
			continue;
		count++;
		*last = i;
		for (uint32_t j = i * i; j <= LIMIT && i < 65536; j += i)
			composite[j] = 1;
	}
	return count;
}

static int bench_once(void)
{
	uint32_t count = 0, last = 0;
	for (int r = 0; r < ROUNDS; r++)
		count = sieve(&last);
	printf("primes <= %d: %lu, largest %lu\n", LIMIT, (unsigned long)count, (unsigned long)last);
	return 0;
}
