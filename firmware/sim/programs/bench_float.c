/* CPU-bound workload: soft-float (double) Mandelbrot escape counts, plus a float dot product. */
#include <stdio.h>
#include "bench_common.h"

#define W 40
#define H 32
#define MAX_ITER 48

static int bench_once(void)
{
	uint32_t total = 0, rowsum = 0;
	for (int y = 0; y < H; y++) {
		double ci = -1.2 + 2.4 * y / (H - 1);
		for (int x = 0; x < W; x++) {
			double cr = -2.1 + 2.8 * x / (W - 1);
			double zr = 0, zi = 0;
			int n = 0;
			while (n < MAX_ITER && zr * zr + zi * zi <= 4.0) {
				double t = zr * zr - zi * zi + cr;
				zi = 2.0 * zr * zi + ci;
				zr = t;
				n++;
			}
			total += (uint32_t)n;
			rowsum = rowsum * 7 + (uint32_t)n;
		}
	}
	float dot = 0;
	for (int i = 0; i < 2000; i++) {
		float u = (float)(int32_t)(bench_next() % 2001 - 1000) * 0.001f;
		float v = (float)(int32_t)(bench_next() % 2001 - 1000) * 0.001f;
		dot += u * v;
	}
	printf("mandelbrot %dx%d: %lu iterations, hash %08lx; dot=%.5f\n", W, H,
	       (unsigned long)total, (unsigned long)rowsum, (double)dot);
	return 0;
}
