/* The e820 map as a sorted list of disjoint ranges; later additions override earlier ones where they overlap. */
#include "e820.h"
#include "console.h"	/* the map goes to the debug console */
#include "fw_cfg.h"	/* etc/e820 */
#include "memory.h"	/* scratch for the raw file */

/* In scratch memory (e820_load), not .bss, which entry.S would have to zero. */
static struct e820_entry *map;
static uint32_t map_count;

void e820_set(uint64_t addr, uint64_t size, uint32_t type)
{
	struct e820_entry out[E820_MAX_ENTRIES];
	uint64_t end = addr + size;
	uint32_t n = 0, inserted = 0;
	if (!size || end < addr || !map)
		return;
	/* Room for the worst case: one entry split in two plus the new one. */
	if (map_count + 2 > E820_MAX_ENTRIES) {
		console_printf("error: e820 map full\n");
		return;
	}
	for (uint32_t i = 0; i < map_count; i++) {
		const struct e820_entry *e = &map[i];
		uint64_t e_end = e->addr + e->size;
		if (!inserted && type && e->addr >= addr) {
			out[n++] = (struct e820_entry){addr, size, type};
			inserted = 1;
		}
		if (e_end <= addr || e->addr >= end) {	/* disjoint */
			out[n++] = *e;
			continue;
		}
		if (e->addr < addr)	/* the part below the new range */
			out[n++] = (struct e820_entry){e->addr, addr - e->addr, e->type};
		if (!inserted && type) {
			out[n++] = (struct e820_entry){addr, size, type};
			inserted = 1;
		}
		if (e_end > end)	/* the part above */
			out[n++] = (struct e820_entry){end, e_end - end, e->type};
	}
	if (!inserted && type)
		out[n++] = (struct e820_entry){addr, size, type};
	/* Merge neighbours of one type, so the map stays as short as the facts allow. */
	map_count = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct e820_entry *last = map_count ? &map[map_count - 1] : 0;
		if (last && last->type == out[i].type && last->addr + last->size == out[i].addr)
			last->size += out[i].size;
		else
			map[map_count++] = out[i];
	}
}

int e820_load(void)
{
	const struct fw_file *file = fw_cfg_find("etc/e820");
	map_count = 0;
	map = scratch_alloc(E820_MAX_ENTRIES * sizeof(*map), 4);
	if (!map || !file || !file->size || file->size % sizeof(struct e820_entry))
		return -1;
	struct e820_entry *raw = scratch_alloc(file->size, 4);
	if (!raw)
		return -1;
	fw_cfg_read_item(file->select, raw, file->size);
	for (uint32_t i = 0; i < file->size / sizeof(struct e820_entry); i++)
		e820_set(raw[i].addr, raw[i].size, raw[i].type);
	return 0;
}

uint32_t e820_ram_top_below_4g(void)
{
	for (uint32_t i = 0; i < map_count; i++) {
		const struct e820_entry *e = &map[i];
		uint64_t end = e->addr + e->size;
		if (e->type == E820_RAM && e->addr <= 0x100000 && end > 0x100000)
			return end > 0x100000000ull ? 0xFFFFF000u : (uint32_t)end;
	}
	return 0;
}

const struct e820_entry *e820_entries(uint32_t *count)
{
	*count = map_count;
	return map;
}

void e820_print(void)
{
	console_printf("phase e820 %u entries\n", map_count);
	for (uint32_t i = 0; i < map_count; i++)
		console_printf("e820 0x%llx 0x%llx %u\n", map[i].addr, map[i].size, map[i].type);
}
