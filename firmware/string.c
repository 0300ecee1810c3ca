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
	uint32_t eax = 1, ebx, ecx = 0, edx, cr0, cr4;
	/* CPUID leaf 1 EDX bit 26 is SSE2 (Intel SDM vol. 2A, CPUID); QEMU's default CPU models have it. */
	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	if (!(edx >> 26 & 1))
		return;
	/* SDM vol. 3A §13.1.3: CR0.EM clear, CR0.MP set, CR4.OSFXSR set before SSE instructions run. */
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"((cr0 & ~4u) | 2u));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | 1u << 9));
	have_sse2 = 1;
}

/* 16 zero bytes, then 16 of ones: the 16 read from tail_mask + r keep a vector's last r bytes. */
static const uint8_t tail_mask[32] = {[16 ... 31] = 0xFF};

uint8_t fw_sum8(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t sum = 0;
	size_t blocks = have_sse2 ? n / 16 : 0;
	if (blocks) {
		/* psadbw against zero adds each 8-byte half into a 16-bit total: 64 bytes for 15 instructions,
		 * where the byte loop takes four per byte under TCG. */
		__asm__ volatile(
			"pxor %%xmm0, %%xmm0\n\t"
			"pxor %%xmm1, %%xmm1\n\t"
			"4:\n\t"	/* single blocks until the rest is a multiple of four */
			"test $3, %[blocks]\n\t"
			"jz 2f\n\t"
			"movdqu (%[b]), %%xmm2\n\t"
			"psadbw %%xmm0, %%xmm2\n\t"
			"paddd %%xmm2, %%xmm1\n\t"
			"add $16, %[b]\n\t"
			"dec %[blocks]\n\t"
			"jmp 4b\n\t"
			"2:\n\t"
			"shr $2, %[blocks]\n\t"
			"jz 3f\n\t"
			"1:\n\t"	/* then four a round */
			"movdqu (%[b]), %%xmm2\n\t"
			"movdqu 16(%[b]), %%xmm3\n\t"
			"movdqu 32(%[b]), %%xmm4\n\t"
			"movdqu 48(%[b]), %%xmm5\n\t"
			"psadbw %%xmm0, %%xmm2\n\t"
			"psadbw %%xmm0, %%xmm3\n\t"
			"psadbw %%xmm0, %%xmm4\n\t"
			"psadbw %%xmm0, %%xmm5\n\t"
			"paddd %%xmm2, %%xmm1\n\t"
			"paddd %%xmm3, %%xmm4\n\t"
			"paddd %%xmm5, %%xmm1\n\t"
			"paddd %%xmm4, %%xmm1\n\t"
			"add $64, %[b]\n\t"
			"dec %[blocks]\n\t"
			"jnz 1b\n\t"
			"3:\n\t"	/* the tail: the last 16 bytes, less those already summed (masked off) */
			"test %[tail], %[tail]\n\t"
			"jz 5f\n\t"
			"movdqu -16(%[b],%[tail]), %%xmm2\n\t"
			"movdqu (%[mask],%[tail]), %%xmm3\n\t"
			"pand %%xmm3, %%xmm2\n\t"
			"psadbw %%xmm0, %%xmm2\n\t"
			"paddd %%xmm2, %%xmm1\n\t"
			"5:\n\t"
			"pshufd $0x4e, %%xmm1, %%xmm2\n\t"	/* the high half's total beside the low one */
			"paddd %%xmm2, %%xmm1\n\t"
			"movd %%xmm1, %[sum]\n\t"
			: [b] "+r"(b), [blocks] "+r"(blocks), [sum] "=r"(sum)
			: [tail] "r"(n % 16), [mask] "r"(tail_mask)
			/* No xmm clobbers: GCC cannot name them for -march=i686, nor does it use them there. */
			: "memory", "cc");
		return (uint8_t)sum;
	}
	return fw_sum8_bytes(b, n);
}
