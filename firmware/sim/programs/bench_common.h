/*
 * Shared by the bench_*.c workloads: a tiny deterministic PRNG (xorshift32) and the repeat
 * loop. `bench_repeat` lives in .data so bench/run.ts can patch it in the ELF: QEMU runs the
 * workload many times (its start-up would otherwise dominate) while the unit tests run it once.
 */
#include <stdint.h>

#define BENCH_SEED 0x2545f491u

static uint32_t bench_rng = BENCH_SEED;
volatile uint32_t bench_repeat = 1;

static inline uint32_t bench_next(void)
{
	uint32_t x = bench_rng;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return bench_rng = x;
}

static int bench_once(void);

int main(void)
{
	int rc = 0;
	for (uint32_t rep = 0; rep < bench_repeat; rep++) {
		bench_rng = BENCH_SEED;
		rc |= bench_once();
	}
	return rc;
}
