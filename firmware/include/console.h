/* The debug console (QEMU isa-debugcon at port 0x402): one line per event, read back by qboot_tables/firmware.py. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdint.h>	/* values printed in hex */

/* A line built from pieces: console_begin("alloc "), console_str(name), console_hex(addr), console_end(). */
void console_str(const char *s);
void console_hex(uint64_t v);	/* 0x-prefixed lowercase hex */
void console_dec(uint32_t v);
void console_end(void);		/* newline */
void console_line(const char *s);	/* s and a newline */

#endif
