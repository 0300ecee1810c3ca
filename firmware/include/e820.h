/* The memory map Linux gets: QEMU's etc/e820 plus what the firmware reserves. */
#ifndef E820_H
#define E820_H

#define E820_RAM 1
#define E820_RESERVED 2
#define E820_ACPI 3
#define E820_NVS 4
#define E820_MAX_ENTRIES 128	/* boot_params.e820_table holds E820_MAX_ENTRIES_ZEROPAGE = 128 */

#ifndef __ASSEMBLER__	/* e820_set.S takes the constants */
#include <stdint.h>	/* 64-bit ranges */

/* Linux's struct boot_e820_entry (arch/x86/include/uapi/asm/bootparam.h): packed, 20 bytes. */
struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct e820_entry) == 20, "an e820 entry is 20 bytes");

/* Read etc/e820 (0 on success); the map is then sorted and without overlaps. */
int e820_load(void);
/* Give [addr, addr + size) the type, replacing whatever was there; type 0 removes the range. In assembly
 * (e820_set.S), which takes its arguments on the stack. */
void e820_set(uint64_t addr, uint64_t size, uint32_t type) __attribute__((regparm(0)));
/* e820_set for each of n entries in turn: one call where there are several ranges (etc/e820, the reservations). */
void e820_set_list(const struct e820_entry *list, uint32_t n);
/* The end of the RAM range that contains 1 MiB, capped at 4 GiB (0 when there is none). */
uint32_t e820_ram_top_below_4g(void);
const struct e820_entry *e820_entries(uint32_t *count);
void e820_print(void);

#endif
#endif
