/* The debug console (QEMU isa-debugcon at port 0x402): one line per event, read back by qboot_tables/firmware.py. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdint.h>	/* values printed in hex */

/* A line built from pieces: console_begin("alloc "), console_str(name), console_hex(addr), console_end(). */
void console_bytes(const char *s, uint32_t len);
void console_hex(uint64_t v);	/* 0x-prefixed lowercase hex */
void console_dec(uint32_t v);
void console_end(void);		/* newline */

/* Inlined so that a literal's length is a constant: GCC folds __builtin_strlen of one, and calls strlen
 * (string.c) for any other string. */
static inline __attribute__((always_inline)) void console_str(const char *s)
{
	console_bytes(s, (uint32_t)__builtin_strlen(s));
}

static inline __attribute__((always_inline)) void console_line(const char *s)	/* s and a newline */
{
	console_str(s);
	console_end();
}

#endif
