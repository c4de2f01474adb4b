/* CPU-bound workload: our own recursive quicksort (median of three) of pseudo-random ints. */
#include <stdio.h>
#include "bench_common.h"

#define COUNT 12000
#define ROUNDS 5

static int32_t data[COUNT];

static void swap(int32_t *a, int32_t *b)
{
	int32_t t = *a;
	*a = *b;
	*b = t;
}

static void quicksort(int32_t *v, int lo, int hi)
{
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (v[mid] < v[lo]) swap(&v[mid], &v[lo]);
		if (v[hi] < v[lo]) swap(&v[hi], &v[lo]);
		if (v[hi] < v[mid]) swap(&v[hi], &v[mid]);
		int32_t pivot = v[mid];
		int i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot) i++;
			while (v[j] > pivot) j--;
			if (i <= j) swap(&v[i++], &v[j--]);
		}
		/* recurse into the smaller half, loop on the larger: bounded stack */
		if (j - lo < hi - i) {
			quicksort(v, lo, j);
			lo = i;
		} else {
			quicksort(v, i, hi);
			hi = j;
		}
	}
}

static int bench_once(void)
{
	uint32_t sum = 0;
	int sorted = 1;
	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < COUNT; i++)
			data[i] = (int32_t)bench_next();
		quicksort(data, 0, COUNT - 1);
		for (int i = 1; i < COUNT; i++)
			sorted &= data[i - 1] <= data[i];
		for (int i = 0; i < COUNT; i += 97)
			sum = sum * 33 + (uint32_t)data[i];
	}
	printf("qsort %d x %d: %s, checksum %08lx\n", ROUNDS, COUNT, sorted ? "sorted" : "NOT SORTED",
	       (unsigned long)sum);
	return sorted ? 0 : 1;
}
