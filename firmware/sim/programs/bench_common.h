/* Shared by the bench_*.c workloads: a tiny deterministic PRNG (xorshift32). */
#include <stdint.h>

static uint32_t bench_rng = 0x2545f491u;

static inline uint32_t bench_next(void)
{
	uint32_t x = bench_rng;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return bench_rng = x;
}
