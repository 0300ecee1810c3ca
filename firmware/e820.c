/* The e820 map as a sorted list of disjoint ranges; later additions override earlier ones where they overlap. */
#include "e820.h"
#include "console.h"	/* the map goes to the debug console */
#include "fw_cfg.h"	/* etc/e820 */
#include "util.h"	/* fw_one_test */

/* In .noinit, which entry.S does not zero (each rep stosl iteration is an executed instruction under TCG): the
 * map and etc/e820 as it arrives. Nothing is read before it is written. Global for e820_set.S, which also keeps
 * the entries after a change while they are spliced in (e820_tail). */
struct e820_entry e820_map[E820_MAX_ENTRIES] __attribute__((section(".noinit")));
static struct e820_entry raw[E820_MAX_ENTRIES] __attribute__((section(".noinit")));
uint32_t e820_count;

int e820_load(void)
{
	const struct fw_file *file = fw_cfg_find("etc/e820");
	/* Tested together (fw_one_test): under TCG each branch ends a translation block. */
	if (!file || fw_one_test((file->size == 0) | (file->size % sizeof(*raw) != 0) | (file->size > sizeof(raw))))
		return -1;
	fw_cfg_read_item(file->select, raw, file->size);
	e820_count = 0;
	/* Entry by entry, even one alone (microvm's etc/e820), as the reservations are set. */
	e820_set_list(raw, file->size / sizeof(*raw));
	return 0;
}

uint32_t e820_ram_top_below_4g(void)
{
	for (uint32_t i = 0; i < e820_count; i++) {
		const struct e820_entry *e = &e820_map[i];
		uint64_t end = e->addr + e->size;
		if (fw_one_test((e->type == E820_RAM) & (e->addr <= 0x100000) & (end > 0x100000)))
			return end > 0x100000000ull ? 0xFFFFF000u : (uint32_t)end;
	}
	return 0;
}

const struct e820_entry *e820_entries(uint32_t *count)
{
	*count = e820_count;
	return e820_map;
}

void e820_print(void)
{
	console_printf("phase e820 %u entries\n", e820_count);
	for (uint32_t i = 0; i < e820_count; i++)
		console_printf("e820 0x%llx 0x%llx %u\n", e820_map[i].addr, e820_map[i].size, e820_map[i].type);
}
