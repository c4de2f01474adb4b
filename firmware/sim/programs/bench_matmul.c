/* CPU-bound workload: 32-bit integer matrix multiply (MULL), repeated with feedback. */
#include <stdio.h>
#include "bench_common.h"

#define N 40
#define ROUNDS 10

static int32_t a[N][N], b[N][N], c[N][N];

static int bench_once(void)
{
	uint32_t trace = 0;
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			a[i][j] = (int32_t)(bench_next() % 2001) - 1000;
			b[i][j] = (int32_t)(bench_next() % 2001) - 1000;
		}
	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < N; i++)
			for (int j = 0; j < N; j++) {
				int32_t s = 0;
				for (int k = 0; k < N; k++)
					s += a[i][k] * b[k][j];
				c[i][j] = s;
			}
		for (int i = 0; i < N; i++) {
			trace += (uint32_t)c[i][i];
			a[i][(i + r) % N] ^= c[i][N - 1 - i] & 0xff;
		}
	}
	printf("matmul %dx%d x %d: trace sum %08lx, c[3][5]=%ld\n", N, N, ROUNDS,
	       (unsigned long)trace, (long)c[3][5]);
	return 0;
}
