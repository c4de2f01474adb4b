/* Generates fp-vectors.json: soft-float results of the project's integer-only reference
 * (firmware/sim/runtime/romfuncs_fp.c, verified bit-exact against x86 SSE) for
 * random and edge-case operands. The ROM natives (src/board/rom/natives.ts) must match them bit
 * for bit, NaN patterns included.
 *   cc -O2 gen-fp-vectors.c -o /tmp/gen && /tmp/gen > fp-vectors.json
 * (romfuncs_fp.c is the same reference the sim test firmware links: one copy.) */
#define HOST_TEST 1
#include "../../../firmware/sim/runtime/romfuncs_fp.c"
#include <stdio.h>

static u64 rs = 0x243f6a8885a308d3ull;
static u64 rnd(void) { rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17; return rs; }
static const u32 sp32[] = {0, 0x80000000, 1, 0x80000001, 0x007fffff, 0x00800000, 0x3f800000, 0xbf800000,
	0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00001, 0x7f800001, 0x3effffff,
	0x4b000000, 0x4f000000, 0xcf000000, 0x4f800000, 0xbf7fffff};
static const u64 sp64[] = {0, 0x8000000000000000ull, 1, 0x8000000000000001ull, 0x000fffffffffffffull,
	0x0010000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull, 0x7fefffffffffffffull,
	0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff0000000000001ull,
	0xfff4000000000123ull, 0x41dfffffffc00000ull, 0x41e0000000000000ull, 0xc1e0000000000000ull,
	0x41efffffffe00000ull, 0x41f0000000000000ull, 0xc1e0000000200000ull, 0x36a0000000000000ull,
	0x47efffffe0000000ull, 0x3690000000000001ull};
static u32 r32(void) {
	u64 k = rnd();
	switch (k & 7) {
	case 0: return sp32[(k >> 8) % (sizeof sp32 / 4)];
	case 1: return (u32)(k >> 32) & 0x807fffff;
	case 2: return ((u32)(k >> 32) & 0x80ffffff) | 0x3f000000;
	default: return (u32)(k >> 32);
	}
}
static u64 r64(void) {
	u64 k = rnd(), v = rnd();
	switch (k & 7) {
	case 0: return sp64[(k >> 8) % (sizeof sp64 / 8)];
	case 1: return v & 0x800fffffffffffffull;
	case 2: return (v & 0x801fffffffffffffull) | 0x3fe0000000000000ull;
	case 3: return (v & 0x800fffffffffffffull) | ((u64)(0x3ff + (k >> 20) % 40) << 52); /* ints */
	default: return v;
	}
}
static u32 F2U(float f) { fu x = {f}; return x.u; }
static float U2F(u32 u) { fu x; x.u = u; return x.f; }
static u64 D2U(double d) { du x = {d}; return x.u; }
static double U2D(u64 u) { du x; x.u = u; return x.d; }
#define W(u) (unsigned)(u32)(u), (unsigned)(u32)((u64)(u) >> 32)
int main(void) {
	int first = 1, n = 300;
	printf("[\n");
#define OUT(...) (printf(first ? "" : ",\n"), first = 0, printf(__VA_ARGS__))
	for (int i = 0; i < n; i++) {
		u32 a = r32(), b = r32();
		if ((i & 3) == 0) b = (a & 0xff800000u) ^ (u32)(rnd() & 0x80ffffffu) ^ (rnd() & 1 ? 0x00800000u : 0);
		OUT("[\"__addsf3\",[%u,%u],[%u]]", a, b, F2U(my__addsf3(U2F(a), U2F(b))));
		OUT("[\"__subsf3\",[%u,%u],[%u]]", a, b, F2U(my__subsf3(U2F(a), U2F(b))));
		OUT("[\"__mulsf3\",[%u,%u],[%u]]", a, b, F2U(my__mulsf3(U2F(a), U2F(b))));
		OUT("[\"__fixunssfsi\",[%u],[%u]]", a, my__fixunssfsi(U2F(a)));
		OUT("[\"__extendsfdf2\",[%u],[%u,%u]]", a, W(D2U(my__extendsfdf2(U2F(a)))));
		u64 A = r64(), B = r64();
		if ((i & 3) == 0) B = (A & 0xfff0000000000000ull) ^ (rnd() & 0x801fffffffffffffull);
		OUT("[\"__adddf3\",[%u,%u,%u,%u],[%u,%u]]", W(A), W(B), W(D2U(my__adddf3(U2D(A), U2D(B)))));
		OUT("[\"__subdf3\",[%u,%u,%u,%u],[%u,%u]]", W(A), W(B), W(D2U(my__subdf3(U2D(A), U2D(B)))));
		OUT("[\"__muldf3\",[%u,%u,%u,%u],[%u,%u]]", W(A), W(B), W(D2U(my__muldf3(U2D(A), U2D(B)))));
		OUT("[\"__divdf3\",[%u,%u,%u,%u],[%u,%u]]", W(A), W(B), W(D2U(my__divdf3(U2D(A), U2D(B)))));
		OUT("[\"__truncdfsf2\",[%u,%u],[%u]]", W(A), F2U(my__truncdfsf2(U2D(A))));
		OUT("[\"__fixdfsi\",[%u,%u],[%u]]", W(A), (u32)my__fixdfsi(U2D(A)));
		OUT("[\"__fixunsdfsi\",[%u,%u],[%u]]", W(A), my__fixunsdfsi(U2D(A)));
		s32 iv = (s32)rnd(); u32 uv = (u32)rnd();
		if (i & 1) { iv >>= (rnd() & 31); uv >>= (rnd() & 31); }
		OUT("[\"__floatsisf\",[%u],[%u]]", (u32)iv, F2U(my__floatsisf(iv)));
		OUT("[\"__floatunsisf\",[%u],[%u]]", uv, F2U(my__floatunsisf(uv)));
		OUT("[\"__floatsidf\",[%u],[%u,%u]]", (u32)iv, W(D2U(my__floatsidf(iv))));
		OUT("[\"__floatunsidf\",[%u],[%u,%u]]", uv, W(D2U(my__floatunsidf(uv))));
	}
	printf("\n]\n");
	return 0;
}
