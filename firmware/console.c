/* Writes to QEMU's debug console port; nothing to set up, and a write costs one VM exit per byte. */
#include "console.h"
#include "io.h"		/* outb */
#include "util.h"	/* fw_put_hex, fw_put_dec */

#define DEBUG_CONSOLE_PORT 0x402	/* QEMU hw/char/debugcon.c default iobase */

void console_str(const char *s)
{
	/* repne scasb finds the NUL and rep outsb sends the bytes: two instructions a character, against five
	 * or six for a byte loop, which is what the instruction-count benchmark sees. */
	const char *end = s;
	uint32_t left = ~0u;
	__asm__ volatile("repne scasb" : "+D"(end), "+c"(left) : "a"(0) : "memory");
	uint32_t len = ~left - 1;
	__asm__ volatile("rep outsb" : "+S"(s), "+c"(len) : "d"(DEBUG_CONSOLE_PORT) : "memory");
}

void console_hex(uint64_t v)
{
	char text[19], *end = fw_put_hex(text, text + sizeof(text) - 1, v);
	*end = 0;
	console_str(text);
}

void console_dec(uint32_t v)
{
	char text[11], *end = fw_put_dec(text, text + sizeof(text) - 1, v);
	*end = 0;
	console_str(text);
}

void console_end(void)
{
	outb(DEBUG_CONSOLE_PORT, '\n');
}

void console_line(const char *s)
{
	console_str(s);
	console_end();
}
