/*
 * A short, printf-free mix of ALU, shift, multiply, branch, load/store and call work, small
 * enough (a few thousand instructions) to compare register state after every instruction.
 */
#include <stdint.h>

int sim_write(int fd, const void *buf, int len);
void _exit(int code);

static volatile uint32_t sink[16];

static uint32_t __attribute__((noinline)) rotl(uint32_t x, unsigned n)
{
	return (x << (n & 31)) | (x >> ((32 - n) & 31));
}

static int __attribute__((noinline)) clz_sum(const uint32_t *v, int n)
{
	int s = 0;
	for (int i = 0; i < n; i++)
		s += __builtin_clz(v[i] | 1);
	return s;
}

int main(void)
{
	static const char hx[] = "0123456789abcdef";
	uint32_t v[8], x = 0x9e3779b9u, acc = 0;
	int16_t h[8];
	uint8_t bytes[16];
	char line[9];

	for (int i = 0; i < 8; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		v[i] = x;
		h[i] = (int16_t)x;
	}
	for (int i = 0; i < 8; i++) {
		acc += rotl(v[i], i * 5) ^ (v[i] * 2654435761u);
		acc += (uint32_t)(h[i] * h[(i + 3) & 7]);
		acc ^= (uint32_t)((int32_t)v[i] >> (i + 3));
		acc += v[i] % 97u + v[i] / 13u;
		sink[i] = acc;
	}
	for (int i = 0; i < 16; i++)
		bytes[i] = (uint8_t)(acc >> (i & 3) * 8) + (uint8_t)i;
	for (int i = 0; i < 16; i++)
		acc = acc * 31 + bytes[i] + (int8_t)bytes[15 - i];
	acc += clz_sum(v, 8);
	for (int i = 0; i < 8; i++)
		line[i] = hx[(acc >> (28 - 4 * i)) & 15];
	line[8] = '\n';
	sim_write(1, line, 9);
	_exit((int)(acc & 0x7f));
}
