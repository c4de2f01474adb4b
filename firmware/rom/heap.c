/*
 * The mask ROM's small heap: lwIP 1.4's mem.c scheme (a 4 KB arena of blocks, each behind an
 * 8-byte header { u16 next, u16 prev, u8 used }, offsets from the arena start, a sentinel header
 * at the end, first fit from the lowest free block, neighbours merged on free). Facts from the
 * public disassembly in sheinz/esp-open-bootrom; the code is ours.
 *
 * State at the ROM's RAM addresses, zero after reset: 0x3FFFDD30 the arena, 0x3FFFDD34 its end
 * sentinel, 0x3FFFDD38 the lowest free block. Nothing in the ROM calls mem_init: firmware that
 * wants this heap gives it 4 KB + 16 bytes of its own RAM first. Without that, the first
 * mem_malloc reads the header at address 4 and faults, as the chip's does. base64_encode
 * (hostap.c) allocates here.
 *
 * Headers are read and written a byte at a time, as the mask ROM does (its struct is packed).
 */
#include "rom.h"

#define MEM_SIZE 0x1000u /* the arena, without the end sentinel */
#define HDR 8u           /* header size */
#define MIN_SIZE 12u     /* smallest block payload */

struct heap_state {
  uint8_t *ram;
  uint8_t *ram_end;
  uint8_t *lfree;
};
#define HEAP (*(struct heap_state *volatile)0x3FFFDD30)

void *impl_ets_memset(void *dst, int c, uint32_t n);

static uint32_t hdr_next(const uint8_t *m) { return m[0] | (uint32_t)m[1] << 8; }
static uint32_t hdr_prev(const uint8_t *m) { return m[2] | (uint32_t)m[3] << 8; }
static void set_next(uint8_t *m, uint32_t v) { m[0] = v & 0xFF; m[1] = (v >> 8) & 0xFF; }
static void set_prev(uint8_t *m, uint32_t v) { m[2] = v & 0xFF; m[3] = (v >> 8) & 0xFF; }

/* base is aligned up to 4: the arena and its sentinel need MEM_SIZE + 8 bytes from there. */
void IMPL(mem_init)(void *base) {
  uint8_t *ram = (uint8_t *)(((uint32_t)base + 3) & ~3u);
  set_next(ram, MEM_SIZE);
  set_prev(ram, 0);
  ram[4] = 0;
  uint8_t *end = ram + MEM_SIZE;
  set_next(end, MEM_SIZE);
  set_prev(end, MEM_SIZE);
  end[4] = 1;
  HEAP.ram = ram;
  HEAP.ram_end = end;
  HEAP.lfree = ram;
}

/* A freed block takes in a free successor and is taken in by a free predecessor. */
static void plug_holes(uint8_t *mem) {
  uint8_t *ram = HEAP.ram;
  uint8_t *nmem = ram + hdr_next(mem);
  if (mem != nmem && !nmem[4] && nmem != HEAP.ram_end) {
    if (HEAP.lfree == nmem) HEAP.lfree = mem;
    set_next(mem, hdr_next(nmem));
    set_prev(ram + hdr_next(nmem), (uint32_t)(mem - ram));
  }
  uint8_t *pmem = ram + hdr_prev(mem);
  if (pmem != mem && !pmem[4]) {
    if (HEAP.lfree == mem) HEAP.lfree = pmem;
    set_next(pmem, hdr_next(mem));
    set_prev(ram + hdr_next(mem), (uint32_t)(pmem - ram));
  }
}

/* The size is taken modulo 64 KB after rounding up to 4 (the ROM's sizes are 16-bit). */
void *IMPL(mem_malloc)(uint32_t size) {
  if (size == 0) return 0;
  size = (size + 3) & 0xFFFC;
  if (size < MIN_SIZE) size = MIN_SIZE;
  if (size > MEM_SIZE) return 0;
  uint8_t *ram = HEAP.ram;
  for (uint32_t ptr = (uint32_t)(HEAP.lfree - ram) & 0xFFFF; (int32_t)ptr < (int32_t)(MEM_SIZE - size);) {
    uint8_t *mem = ram + ptr;
    uint32_t next = hdr_next(mem);
    if (!mem[4] && next - (ptr + HDR) >= size) {
      if (next - (ptr + HDR) >= size + HDR + MIN_SIZE) {
        uint32_t ptr2 = (ptr + HDR + size) & 0xFFFF;
        uint8_t *mem2 = ram + ptr2;
        set_next(mem2, next);
        set_prev(mem2, ptr);
        mem2[4] = 0;
        set_next(mem, ptr2);
        mem[4] = 1;
        if (hdr_next(mem2) != MEM_SIZE) set_prev(ram + hdr_next(mem2), ptr2);
      } else {
        mem[4] = 1;
      }
      if (mem == HEAP.lfree) {
        uint8_t *lf = HEAP.lfree;
        while (lf[4] && lf != HEAP.ram_end) lf = ram + hdr_next(lf);
        HEAP.lfree = lf;
      }
      return mem + HDR;
    }
    ptr = next;
  }
  return 0;
}

/* Pointers outside the arena are ignored. */
void IMPL(mem_free)(void *p) {
  uint8_t *rmem = p;
  if (!rmem || rmem < HEAP.ram || rmem >= HEAP.ram_end) return;
  uint8_t *mem = rmem - HDR;
  mem[4] = 0;
  if (mem < HEAP.lfree) HEAP.lfree = mem;
  plug_holes(mem);
}

/*
 * Shrinks a block in place (lwIP 1.4's mem_trim, as the ROM has it): the size rounds as in
 * mem_malloc; more than 4 KB, or more than the block holds, gives NULL. A pointer outside the
 * arena comes back unchanged, so firmware whose lwIP hands this ROM function buffers from its own
 * heap (esp-link v2.2's pbuf_realloc; no arena was ever given) gets its pointer back. The freed
 * tail joins a free successor, or becomes a free block when ≥ 20 bytes are left; nothing else is
 * merged.
 */
void *IMPL(mem_trim)(void *p, uint32_t size) {
  size = (size + 3) & 0xFFFC;
  if (size < MIN_SIZE) size = MIN_SIZE;
  if (size > MEM_SIZE) return 0;
  uint8_t *rmem = p, *ram = HEAP.ram;
  if (rmem < ram || rmem >= HEAP.ram_end) return p;
  uint8_t *mem = rmem - HDR;
  uint32_t ptr = (uint32_t)(mem - ram), next = hdr_next(mem);
  uint32_t have = (next - ptr - HDR) & 0xFFFF;
  if (have < size) return 0;
  if (have == size) return p;
  uint8_t *succ = ram + next;
  if (!succ[4]) {
    next = hdr_next(succ); /* the successor moves down to start after the new end */
  } else if (have < size + HDR + MIN_SIZE) {
    return p;
  }
  uint32_t ptr2 = (ptr + HDR + size) & 0xFFFF;
  uint8_t *mem2 = ram + ptr2;
  if (succ[4] ? mem2 < HEAP.lfree : HEAP.lfree == succ) HEAP.lfree = mem2;
  set_next(mem2, next);
  set_prev(mem2, ptr);
  mem2[4] = 0;
  set_next(mem, ptr2);
  if (next != MEM_SIZE) set_prev(ram + next, ptr2);
  return p;
}

/* count · size as a 16-bit product (the ROM multiplies with MUL16U). */
void *IMPL(mem_calloc)(uint32_t count, uint32_t size) {
  uint32_t total = (count & 0xFFFF) * (size & 0xFFFF);
  void *p = IMPL(mem_malloc)(total & 0xFFFF);
  if (p) impl_ets_memset(p, 0, total);
  return p;
}

void *IMPL(mem_zalloc)(uint32_t size) { return IMPL(mem_calloc)(1, size); }
