/* Writes to QEMU's debug console port when the device is there; a write costs one I/O exit per byte. */
#include "console.h"
#include "io.h"		/* inb, rep outsb */
#include "util.h"	/* fw_put_dec, fw_strlen */
#include <stdarg.h>	/* console_printf's arguments */

#define DEBUG_CONSOLE_PORT 0x402	/* QEMU hw/char/debugcon.c default iobase */
#define DEBUG_CONSOLE_READBACK 0xE9	/* what a read of the port returns (debugcon.c "readback" default) */

int console_present;

int console_init(void)
{
	/* An unassigned port reads 0xFF. Without the device no one could read the text, so none is formatted:
	 * the lines cost guest code that TCG would translate for nothing (SeaBIOS makes the same check,
	 * src/hw/serialio.c qemu_debug_preinit). */
	console_present = inb(DEBUG_CONSOLE_PORT) == DEBUG_CONSOLE_READBACK;
	return console_present;
}

static void console_bytes(const char *s, uint32_t len)
{
	/* rep outsb: one instruction a character, against five or six for a byte loop. */
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

/* v as lowercase hex digits without leading zeros ("0" for zero), ending at text + 16; returns the start. */
static char *hex_digits(char text[16], uint64_t v)
{
	/* Byte pairs from the right, in 32-bit halves: 64-bit shifts cost several instructions each on i686. */
	char *end = text + 16, *p = end;
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
	if (*p == '0' && p < end - 1)	/* no leading zero digit */
		p++;
	return p;
}

char *fw_put_hex(char *out, char *end, uint64_t v)
{
	char text[16], *p = hex_digits(text, v);
	out = fw_put_str(out, end, "0x");
	uint32_t n = (uint32_t)(text + sizeof(text) - p);
	if (n > (uint32_t)(end - out))
		n = (uint32_t)(end - out);
	__builtin_memcpy(out, p, n);
	return out + n;
}

void console_print(const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	while (*fmt) {
		const char *run = fmt, *text;
		char digits[16], *digits_end = digits + sizeof(digits);
		uint32_t wide = 0;
		while (*fmt && *fmt != '%')
			fmt++;
		console_bytes(run, (uint32_t)(fmt - run));
		if (!*fmt)
			break;
		while (*++fmt == 'l')
			wide++;
		switch (*fmt++) {
		case 's':
			text = va_arg(args, const char *);
			digits_end = (char *)text + fw_strlen(text);
			break;
		case 'u':
			text = digits;
			digits_end = fw_put_dec(digits, digits_end, va_arg(args, uint32_t));
			break;
		case 'x':
			text = hex_digits(digits, wide ? va_arg(args, uint64_t) : va_arg(args, uint32_t));
			break;
		default:	/* only the conversions above appear in the firmware's formats */
			text = digits_end = digits;
			break;
		}
		console_bytes(text, (uint32_t)(digits_end - text));
	}
	va_end(args);
}
