/* The e820 map as a sorted list of disjoint ranges; later additions override earlier ones where they overlap. */
#include "e820.h"
#include "console.h"	/* the map goes to the debug console */
#include "fw_cfg.h"	/* etc/e820 */
#include "util.h"	/* fw_memcpy */

/* In .noinit, which entry.S does not zero (each rep stosl iteration is an executed instruction under TCG): the
 * map with room for e820_set's end marker, the list e820_set builds before it replaces the map, and etc/e820
 * as it arrives. Nothing is read before it is written. */
static struct e820_entry map[E820_MAX_ENTRIES + 1] __attribute__((section(".noinit")));
static struct e820_entry building[E820_MAX_ENTRIES] __attribute__((section(".noinit")));
static struct e820_entry raw[E820_MAX_ENTRIES] __attribute__((section(".noinit")));
static uint32_t map_count, building_count;

/* Appends [start, end) of the type to the list under construction, unless it is empty or a hole (type 0), and
 * merges it into the last entry when it continues it with the same type, so the map stays as short as the facts
 * allow. Everything e820_set keeps goes through this one copy (TCG translates each copy of code once). */
static void put(uint64_t start, uint64_t end, uint32_t type)
{
	struct e820_entry *next = &building[building_count], *last;
	if (start >= end || !type)
		return;
	if (building_count && (last = next - 1)->type == type && last->addr + last->size == start) {
		last->size = end - last->addr;
	} else {
		*next = (struct e820_entry){start, end - start, type};
		building_count++;
	}
}

void e820_set(uint64_t addr, uint64_t size, uint32_t type)
{
	uint64_t end = addr + size;
	uint32_t placed = 0;
	if (!size || end < addr)
		return;
	/* Room for the worst case: one entry split in two plus the new one. */
	if (map_count + 2 > E820_MAX_ENTRIES) {
		console_printf("error: e820 map full\n");
		return;
	}
	building_count = 0;
	/* The entries are sorted and disjoint: each keeps what lies below and above the new range, which goes in
	 * before the first entry that reaches past its start. The entry after the last reaches to the top, so the
	 * new range always finds its place. */
	map[map_count] = (struct e820_entry){~0ull, 0, 0};
	for (const struct e820_entry *e = map; e <= &map[map_count]; e++) {
		uint64_t e_end = e->addr + e->size;
		put(e->addr, e_end < addr ? e_end : addr, e->type);
		if (!placed && e_end > addr) {
			put(addr, end, type);
			placed = 1;
		}
		put(e->addr > end ? e->addr : end, e_end, e->type);
	}
	fw_memcpy(map, building, building_count * sizeof(*map));
	map_count = building_count;
}

int e820_load(void)
{
	const struct fw_file *file = fw_cfg_find("etc/e820");
	if (!file || !file->size || file->size % sizeof(*raw) || file->size > sizeof(raw))
		return -1;
	fw_cfg_read_item(file->select, raw, file->size);
	map_count = 0;
	for (uint32_t i = 0; i < file->size / sizeof(*raw); i++)
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
