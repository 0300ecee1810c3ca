/* The memory functions GCC may emit calls to even with -ffreestanding (struct copies, large zeroing). */
#include <stddef.h>	/* size_t */
#include "util.h"	/* fw_memcpy and friends do the work */

/* Never inlined (link-time optimisation would): each copy of a rep string instruction is two or three more
 * translation blocks for TCG, where a call costs one. */
void *memcpy(void *dst, const void *src, size_t n) __attribute__((noinline));
void *memset(void *dst, int value, size_t n) __attribute__((noinline));
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* Under TCG each iteration of a rep string instruction is one executed block: dwords first, then the tail. */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	size_t words = n / 4, tail = n % 4;
	__asm__ volatile("rep movsl" : "+D"(d), "+S"(src), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(tail) : : "memory");
	return dst;
}

int fw_bytes_equal(const void *a, const void *b, size_t n)
{
	const void *x = a, *y = b;
	uint8_t equal;
	/* With n zero, repe cmpsb compares nothing and leaves ZF as test set it: equal. */
	__asm__ volatile("test %3, %3\n\trepe cmpsb\n\tsete %0"
			 : "=q"(equal), "+S"(x), "+D"(y), "+c"(n) : : "memory", "cc");
	return equal;
}

int fw_words_equal(const void *a, const void *b, size_t words)
{
	const void *x = a, *y = b;
	uint8_t equal;
	__asm__ volatile("test %3, %3\n\trepe cmpsl\n\tsete %0"
			 : "=q"(equal), "+S"(x), "+D"(y), "+c"(words) : : "memory", "cc");
	return equal;
}

size_t fw_nul_at(const void *p, size_t n)
{
	const uint8_t *d = p;
	size_t left = n;
	if (!n)
		return 0;
	__asm__ volatile("repne scasb" : "+D"(d), "+c"(left) : "a"(0) : "memory", "cc");
	/* The scan stops after a NUL or after the last byte: either way the last byte it read is d[-1]. */
	return d[-1] ? n : (size_t)(d - (const uint8_t *)p) - 1;
}

static int have_sse2;

size_t strlen(const char *s);
size_t strlen(const char *s)
{
	return fw_strlen(s);
}

size_t fw_strlen(const char *s)
{
	uint32_t left = ~0u;
	__asm__ volatile("repne scasb" : "+D"(s), "+c"(left) : "a"(0) : "memory");
	return ~left - 1;
}

/* rep stosl and stosb only: an SSE2 loop would cut the executed count of the one 4 KiB zero page, but costs more
 * to translate than it saves under TCG. */
void *memset(void *dst, int value, size_t n)
{
	void *d = dst;
	uint32_t pattern = (uint8_t)value * 0x01010101u;
	size_t words = n / 4, tail = n % 4;
	__asm__ volatile("rep stosl" : "+D"(d), "+c"(words) : "a"(pattern) : "memory");
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(tail) : "a"(pattern) : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	fw_memmove(dst, src, n);
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	return fw_memcmp(a, b, n);
}

void cpu_enable_sse2(void)
{
	uint32_t eax = 1, ebx, ecx = 0, edx, cr4;
	/* CPUID leaf 1 EDX bit 26 is SSE2 (Intel SDM vol. 2A, CPUID); QEMU's default CPU models have it. */
	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	if (!(edx >> 26 & 1))
		return;
	/* SDM vol. 3A §13.1.3: CR0.EM clear and CR4.OSFXSR set before SSE instructions run. EM is clear since
	 * reset (CR0 = 60000010H, §9.1.1) and entry.S sets only PE, so CR0 is left alone: each write to a control
	 * register ends a translation block under TCG. (CR0.MP matters only to WAIT with CR0.TS set, never here.) */
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | 1u << 9));
	have_sse2 = 1;
}

/* 16 zero bytes, 16 of ones, 16 zero bytes: the 16 read at masks + k keep a vector's last k bytes, those read at
 * masks + 32 - k its first k. */
static const uint8_t masks[48] = {[16 ... 31] = 0xFF};

uint8_t fw_sum8(const void *p, size_t n)
{
	if (!have_sse2)
		return fw_sum8_bytes(p, n);
	/* paddb adds 16 bytes into 16 byte-wide totals, each modulo 256 as the checksum is, straight from memory:
	 * one instruction for 16 bytes, where movdqu and psadbw took three. Its memory operand must be aligned,
	 * so the sum runs over the aligned blocks that cover the range, and the bytes of the first block before p
	 * and of the last block from p + n on are taken off again; both blocks lie inside the pages the range
	 * touches. Eight blocks a round, after single blocks until the rest is a multiple of eight. */
	uintptr_t start = (uintptr_t)p, end = start + n;
	const uint8_t *first = (const uint8_t *)(start & ~(uintptr_t)15), *b = first;
	size_t blocks = (((end + 15) & ~(uintptr_t)15) - (uintptr_t)first) / 16;
	const uint8_t *before = masks + 32 - (start & 15), *after = masks + (-end & 15);
	uint32_t sum;
	__asm__ volatile(
		"pxor %%xmm0, %%xmm0\n\t"
		"pxor %%xmm1, %%xmm1\n\t"
		"1:\n\t"
		"test $7, %[blocks]\n\t"
		"jz 2f\n\t"
		"paddb (%[b]), %%xmm1\n\t"
		"add $16, %[b]\n\t"
		"dec %[blocks]\n\t"
		"jmp 1b\n\t"
		"2:\n\t"
		"shr $3, %[blocks]\n\t"
		"jz 3f\n\t"
		"4:\n\t"
		"paddb (%[b]), %%xmm1\n\t"
		"paddb 16(%[b]), %%xmm1\n\t"
		"paddb 32(%[b]), %%xmm1\n\t"
		"paddb 48(%[b]), %%xmm1\n\t"
		"paddb 64(%[b]), %%xmm1\n\t"
		"paddb 80(%[b]), %%xmm1\n\t"
		"paddb 96(%[b]), %%xmm1\n\t"
		"paddb 112(%[b]), %%xmm1\n\t"
		"sub $-128, %[b]\n\t"
		"dec %[blocks]\n\t"
		"jnz 4b\n\t"
		"3:\n\t"
		"movdqa (%[first]), %%xmm2\n\t"	/* the first block's bytes before p */
		"movdqu (%[before]), %%xmm3\n\t"
		"pand %%xmm3, %%xmm2\n\t"
		"psubb %%xmm2, %%xmm1\n\t"
		"movdqa -16(%[b]), %%xmm2\n\t"	/* the last block's bytes from p + n on */
		"movdqu (%[after]), %%xmm3\n\t"
		"pand %%xmm3, %%xmm2\n\t"
		"psubb %%xmm2, %%xmm1\n\t"
		"psadbw %%xmm0, %%xmm1\n\t"	/* the 16 totals added, in two 8-byte halves */
		"pshufd $0x4e, %%xmm1, %%xmm2\n\t"
		"paddd %%xmm2, %%xmm1\n\t"
		"movd %%xmm1, %[sum]\n\t"
		: [b] "+&r"(b), [blocks] "+&r"(blocks), [sum] "=&r"(sum)
		: [first] "r"(first), [before] "r"(before), [after] "r"(after)
		/* No xmm clobbers: GCC cannot name them for -march=i686, nor does it use them there. */
		: "memory", "cc");
	return (uint8_t)sum;
}
