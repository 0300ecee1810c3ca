/* Small freestanding helpers (no libc) that the firmware and its host build share. */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>	/* memcpy, memset: libc on the host, string.c in the firmware (-fno-builtin keeps them calls) */

/* Named fw_* so they never clash with a libc on the host. They go through memcpy/memset: the host's libc (which
 * the sanitizers watch), or string.c in the firmware, whose string instructions cost far fewer guest instructions
 * than a byte loop; small constant sizes become plain moves. */
static inline __attribute__((always_inline)) void fw_memcpy(void *dst, const void *src, size_t n)
{
	/* A short constant copy becomes a few moves in place: a call would end a translation block in TCG and
	 * start another after it. */
	if (__builtin_constant_p(n) && n <= 16)
		__builtin_memcpy(dst, src, n);
	else
		memcpy(dst, src, n);
}

static inline void fw_memset(void *dst, int value, size_t n)
{
	memset(dst, value, n);
}

static inline void fw_memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
}

static inline int fw_memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

/* Whether n bytes at a and at b are equal. The firmware compares with one repe cmpsb (string.c), which TCG
 * translates once, where a compare loop is several translation blocks at every place it is inlined. */
#ifdef FIRMWARE_HOST
static inline int fw_bytes_equal(const void *a, const void *b, size_t n)
{
	return !fw_memcmp(a, b, n);
}
static inline int fw_words_equal(const void *a, const void *b, size_t words)
{
	return !fw_memcmp(a, b, 4 * words);
}
#else
int fw_bytes_equal(const void *a, const void *b, size_t n);
/* Whether `words` dwords at a and at b are equal: repe cmpsl, a quarter of the iterations of fw_bytes_equal. */
int fw_words_equal(const void *a, const void *b, size_t words);
#endif

/* x, hidden from the optimiser, so that a condition such as (a > b) | (c != d) is computed whole and tested with
 * one branch: GCC otherwise splits it into a branch per part, and under TCG every branch ends a translation block,
 * which costs QEMU more than the instructions around it. */
static inline __attribute__((always_inline)) uint32_t fw_one_test(uint32_t x)
{
	__asm__("" : "+r"(x));
	return x;
}

/* The index of the first NUL in n bytes at p, or n when there is none. The firmware scans with one repne scasb
 * (string.c), an executed instruction a byte where a compare loop takes five or six. */
#ifdef FIRMWARE_HOST
static inline size_t fw_nul_at(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i = 0;
	while (i < n && b[i])
		i++;
	return i;
}
#else
size_t fw_nul_at(const void *p, size_t n);
#endif

/* 8-bit sum of a byte range: ACPI and SMBIOS checksums make it zero. The firmware sums with SSE2 when the CPU
 * has it (string.c); the host build, which the sanitizers and the differential tests check, sums bytes. */
static inline uint8_t fw_sum8_bytes(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t sum = 0;
	while (n--)
		sum += *b++;
	return sum;
}

#ifdef FIRMWARE_HOST
static inline uint8_t fw_sum8(const void *p, size_t n)
{
	return fw_sum8_bytes(p, n);
}
#else
uint8_t fw_sum8(const void *p, size_t n);
/* Turn SSE on (CR4.OSFXSR) when CPUID offers SSE2, so that fw_sum8 may use it; main calls it first. */
void cpu_enable_sse2(void);
#endif

/* Little-endian loads and stores of 1..8 bytes at any alignment (wire formats are little-endian). A
 * little-endian CPU moves the field as it is: a few moves for a constant size, one memcpy call otherwise, which
 * TCG translates once, where an inlined byte loop over a 64-bit value is a dozen translation blocks. */
static inline __attribute__((always_inline)) uint64_t fw_load_le(const uint8_t *p, unsigned size)
{
	uint64_t v = 0;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	fw_memcpy(&v, p, size <= 8 ? size : 8);
#else
	while (size--)
		v = v << 8 | p[size];
#endif
	return v;
}

static inline __attribute__((always_inline)) void fw_store_le(uint8_t *p, uint64_t v, unsigned size)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	fw_memcpy(p, &v, size <= 8 ? size : 8);
#else
	for (unsigned i = 0; i < size; i++, v >>= 8)
		p[i] = (uint8_t)v;
#endif
}

/* v, built at run time so that it appears in no instruction: on microvm the ROM is the F-segment guests scan
 * for entry points (memory.c fseg_is_rom), so the ROM must not hold an anchor such as "_MP_" itself. */
static inline uint32_t fw_unfolded(uint32_t v)
{
	uint32_t x = v - 1;
	__asm__("" : "+r"(x));
	return x + 1;
}

/* Hex, and 32-bit decimal (a 64-bit division would need libgcc), into a caller's buffer for one-line debug
 * messages; each returns the new end of the text. */
#ifdef FIRMWARE_HOST
static inline char *fw_put_str(char *out, char *end, const char *s)
{
	while (*s && out < end)
		*out++ = *s++;
	return out;
}
#else
/* strlen by repne scasb (string.c): the firmware then copies with memcpy's string moves, not a byte loop. */
size_t fw_strlen(const char *s);
static inline char *fw_put_str(char *out, char *end, const char *s)
{
	size_t n = fw_strlen(s);
	if (n > (size_t)(end - out))
		n = (size_t)(end - out);
	memcpy(out, s, n);
	return out + n;
}
#endif

#ifndef FIRMWARE_HOST
/* console.c: two digits a table load, as console_hex prints them. */
char *fw_put_hex(char *out, char *end, uint64_t v);
#else
static inline char *fw_put_hex(char *out, char *end, uint64_t v)
{
	char digits[16];
	int n = 0;
	do {
		digits[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	out = fw_put_str(out, end, "0x");
	while (n && out < end)
		*out++ = digits[--n];
	return out;
}
#endif

static inline char *fw_put_dec(char *out, char *end, uint32_t v)
{
	char digits[10];
	int n = 0;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n && out < end)
		*out++ = digits[--n];
	return out;
}

#endif
