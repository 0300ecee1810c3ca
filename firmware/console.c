/* Writes to QEMU's debug console port; nothing to set up, and a write costs one VM exit per byte. */
#include "console.h"
#include "io.h"		/* outb */
#include "util.h"	/* fw_put_dec */

#define DEBUG_CONSOLE_PORT 0x402	/* QEMU hw/char/debugcon.c default iobase */

void console_bytes(const char *s, uint32_t len)
{
	/* rep outsb: one instruction a character, against five or six for a byte loop, which is what the
	 * instruction-count benchmark sees. */
	__asm__ volatile("rep outsb" : "+S"(s), "+c"(len) : "d"(DEBUG_CONSOLE_PORT) : "memory");
}

/* "00" to "ff": two digits for one table load, half the work of a digit at a time. */
static const char hex_pairs[256][2] = {
#define PAIR(n) { "0123456789abcdef"[(n) >> 4], "0123456789abcdef"[(n) & 15] }
#define ROW(n) PAIR(n), PAIR(n + 1), PAIR(n + 2), PAIR(n + 3), PAIR(n + 4), PAIR(n + 5), PAIR(n + 6), PAIR(n + 7), \
	PAIR(n + 8), PAIR(n + 9), PAIR(n + 10), PAIR(n + 11), PAIR(n + 12), PAIR(n + 13), PAIR(n + 14), PAIR(n + 15)
	ROW(0x00), ROW(0x10), ROW(0x20), ROW(0x30), ROW(0x40), ROW(0x50), ROW(0x60), ROW(0x70),
	ROW(0x80), ROW(0x90), ROW(0xA0), ROW(0xB0), ROW(0xC0), ROW(0xD0), ROW(0xE0), ROW(0xF0),
#undef ROW
#undef PAIR
};

/* v as 0x-prefixed lowercase hex, ending at text + 18; returns where it starts. */
static char *hex_text(char text[18], uint64_t v)
{
	/* Byte pairs from the right, in 32-bit halves: 64-bit shifts cost several instructions each on i686. */
	char *end = text + 18, *p = end;
	uint32_t low = (uint32_t)v, high = (uint32_t)(v >> 32);
	if (high) {
		for (int i = 0; i < 4; i++, low >>= 8) {
			p -= 2;
			__builtin_memcpy(p, hex_pairs[low & 0xFF], 2);
		}
		low = high;
	}
	do {
		p -= 2;
		__builtin_memcpy(p, hex_pairs[low & 0xFF], 2);
		low >>= 8;
	} while (low);
	if (*p == '0' && p < end - 1)	/* no leading zero digit, but "0x0" for zero */
		p++;
	*--p = 'x';
	*--p = '0';
	return p;
}

void console_hex(uint64_t v)
{
	char text[18], *p = hex_text(text, v);
	console_bytes(p, (uint32_t)(text + sizeof(text) - p));
}

char *fw_put_hex(char *out, char *end, uint64_t v)
{
	char text[18], *p = hex_text(text, v);
	uint32_t n = (uint32_t)(text + sizeof(text) - p);
	if (n > (uint32_t)(end - out))
		n = (uint32_t)(end - out);
	__builtin_memcpy(out, p, n);
	return out + n;
}

void console_dec(uint32_t v)
{
	char text[11], *end = fw_put_dec(text, text + sizeof(text), v);
	console_bytes(text, (uint32_t)(end - text));
}

void console_end(void)
{
	outb(DEBUG_CONSOLE_PORT, '\n');
}
