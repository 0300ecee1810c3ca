/* The memory functions GCC may emit calls to even with -ffreestanding (struct copies, large zeroing). */
#include <stddef.h>	/* size_t */
#include "util.h"	/* fw_memcpy and friends do the work */

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int value, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *dst, const void *src, size_t n)
{
	/* rep movsb: one instruction per copy under TCG, where a byte loop costs one block per byte. */
	void *d = dst;
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *memset(void *dst, int value, size_t n)
{
	void *d = dst;
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(value) : "memory");
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
