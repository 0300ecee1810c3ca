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

void console_hex(uint64_t v)
{
	/* Digits from the right, in 32-bit halves: 64-bit shifts cost several instructions each on i686. */
	char text[18], *p = text + sizeof(text);
	uint32_t low = (uint32_t)v, high = (uint32_t)(v >> 32);
	if (high) {
		for (int i = 0; i < 8; i++, low >>= 4)
			*--p = "0123456789abcdef"[low & 15];
		low = high;
	}
	do {
		*--p = "0123456789abcdef"[low & 15];
		low >>= 4;
	} while (low);
	*--p = 'x';
	*--p = '0';
	console_bytes(p, (uint32_t)(text + sizeof(text) - p));
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
