/* The debug console (QEMU isa-debugcon at port 0x402): one line per event, read back by qboot_tables/firmware.py. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdint.h>	/* values printed in hex */

/* Looks for the device once (main calls it first); returns 1 when it is there. Without it nothing prints. */
int console_init(void);
extern int console_present;	/* what console_init found */
/* printf for the few conversions the firmware needs: %s, %u, %x and %llx (no 0x prefix: write it in fmt).
 * One call per line keeps each call site a few instructions, which TCG translates once each. */
void console_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Tested at the call site: without a console no call is made, so TCG never translates console_print. */
#define console_printf(...) do { if (console_present) console_print(__VA_ARGS__); } while (0)

#endif
