/* Writes to QEMU's debug console port; nothing to set up, and a write costs one VM exit per byte. */
#include "console.h"
#include "io.h"		/* outb */
#include "util.h"	/* fw_put_hex, fw_put_dec */

#define DEBUG_CONSOLE_PORT 0x402	/* QEMU hw/char/debugcon.c default iobase */

void console_str(const char *s)
{
	while (*s)
		outb(DEBUG_CONSOLE_PORT, (uint8_t)*s++);
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
