/*
 * Special registers: reset values and which bits a write keeps, limited to the registers and
 * bits where QEMU's lx106 model and the ISA agree (xtensa-lx106.md §2.3: QEMU keeps extra bits
 * of PS, VECBASE, EXCCAUSE, EPSn and INTENABLE, and CCOUNT follows the host clock), so the
 * output is a fair differential test.
 */
#include <stdio.h>
#include <stdint.h>

/* Read, write ~0, read, write 0, read, restore: one asm block so nothing runs in between. */
#define PROBE(name)                                                                       \
	do {                                                                              \
		uint32_t o, ones, zero;                                                   \
		__asm__ volatile("rsr." #name " %0\n\t"                                   \
				 "wsr." #name " %3\n\t"                                   \
				 "isync\n\t"                                              \
				 "rsr." #name " %1\n\t"                                   \
				 "wsr." #name " %4\n\t"                                   \
				 "isync\n\t"                                              \
				 "rsr." #name " %2\n\t"                                   \
				 "wsr." #name " %0\n\t"                                   \
				 "isync"                                                  \
				 : "=&r"(o), "=&r"(ones), "=&r"(zero)                     \
				 : "r"(0xffffffffu), "r"(0u));                            \
		printf("%-10s wr~0->%08x wr0->%08x\n", #name, (unsigned)ones,             \
		       (unsigned)zero);                                                   \
	} while (0)

#define READ(name)                                                                        \
	do {                                                                              \
		uint32_t v;                                                               \
		__asm__ volatile("rsr." #name " %0" : "=r"(v));                           \
		printf("%-10s read=%08x\n", #name, (unsigned)v);                          \
	} while (0)

int main(void)
{
	uint32_t ps, v, a, b;

	READ(prid);
	READ(176);
	READ(208);
	READ(interrupt);
	READ(litbase);
	READ(vecbase);
	PROBE(sar);
	PROBE(litbase);
	PROBE(epc1);
	PROBE(epc2);
	PROBE(epc3);
	PROBE(depc);
	PROBE(excsave1);
	PROBE(excsave2);
	PROBE(excsave3);
	PROBE(excvaddr);
	PROBE(ddr);
	/* PS: only INTLEVEL, EXCM and UM exist on lx106 */
	__asm__ volatile("rsr.ps %0\n\twsr.ps %2\n\trsync\n\trsr.ps %1\n\twsr.ps %0\n\trsync"
			 : "=&r"(ps), "=&r"(v)
			 : "r"(0xffffffcfu));
	printf("ps         initial=%08x wr ffffffcf->(masked 3f)%08x\n", (unsigned)ps,
	       (unsigned)(v & 0x3f));
	/* RSIL returns the old PS and sets INTLEVEL */
	__asm__ volatile("rsil %0, 3\n\trsr.ps %1\n\twsr.ps %0\n\trsync" : "=&r"(a), "=&r"(b));
	printf("rsil 3     old=%08x new=%08x\n", (unsigned)a, (unsigned)(b & 0x3f));
	/* XSR swaps */
	a = 0x12345678;
	__asm__ volatile("wsr.excsave1 %1\n\txsr.excsave1 %0\n\trsr.excsave1 %1"
			 : "+r"(a), "=&r"(b)
			 : "1"(0xcafef00du));
	printf("xsr        got=%08x now=%08x\n", (unsigned)a, (unsigned)b);
	/* INTSET raises only the software interrupt (bit 7); keep interrupts masked */
	__asm__ volatile("rsil %0, 15\n\twsr.intset %2\n\trsync\n\trsr.interrupt %1\n\t"
			 "wsr.intclear %2\n\trsync\n\twsr.ps %0\n\trsync"
			 : "=&r"(ps), "=&r"(v)
			 : "r"(0xffffffffu));
	printf("intset ~0  interrupt=%08x\n", (unsigned)v);
	READ(interrupt);
	return 0;
}
