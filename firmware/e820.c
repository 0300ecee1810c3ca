/* The e820 map as a sorted list of disjoint ranges; later additions override earlier ones where they overlap. */
#include "e820.h"
#include "console.h"	/* the map goes to the debug console */
#include "fw_cfg.h"	/* etc/e820 */
#include "memory.h"	/* scratch for the raw file */
#include "util.h"	/* fw_memcpy */

/* In scratch memory (e820_load), not .bss, which entry.S would have to zero. */
static struct e820_entry *map;
static uint32_t map_count;

/* Appends a range to a sorted list under construction, merged into the last one when it continues it with the
 * same type, so the map stays as short as the facts allow. One copy of this code serves every case of
 * e820_set (TCG translates each copy once). */
static void put(struct e820_entry *out, uint32_t *n, uint64_t addr, uint64_t size, uint32_t type)
{
	if (*n && out[*n - 1].type == type && out[*n - 1].addr + out[*n - 1].size == addr)
		out[*n - 1].size += size;
	else
		out[(*n)++] = (struct e820_entry){addr, size, type};
}

void e820_set(uint64_t addr, uint64_t size, uint32_t type)
{
	struct e820_entry out[E820_MAX_ENTRIES];
	uint64_t end = addr + size;
	uint32_t n = 0, placed = !type;	/* type 0 only cuts the range out */
	if (!size || end < addr || !map)
		return;
	/* Room for the worst case: one entry split in two plus the new one. */
	if (map_count + 2 > E820_MAX_ENTRIES) {
		console_printf("error: e820 map full\n");
		return;
	}
	/* The entries are sorted and disjoint: each keeps what lies below and above the new range, which goes in
	 * before the first entry that reaches past its start. */
	for (uint32_t i = 0; i < map_count; i++) {
		const struct e820_entry *e = &map[i];
		uint64_t e_end = e->addr + e->size;
		if (e->addr < addr)
			put(out, &n, e->addr, (e_end < addr ? e_end : addr) - e->addr, e->type);
		if (!placed && e_end > addr) {
			put(out, &n, addr, size, type);
			placed = 1;
		}
		if (e_end > end) {
			uint64_t above = e->addr > end ? e->addr : end;
			put(out, &n, above, e_end - above, e->type);
		}
	}
	if (!placed)
		put(out, &n, addr, size, type);
	fw_memcpy(map, out, n * sizeof(*map));
	map_count = n;
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
