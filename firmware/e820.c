/* The e820 map as a sorted list of disjoint ranges; later additions override earlier ones where they overlap. */
#include "e820.h"
#include "console.h"	/* the map goes to the debug console */
#include "fw_cfg.h"	/* etc/e820 */
#include "util.h"	/* fw_memcpy */

/* In .noinit, which entry.S does not zero (each rep stosl iteration is an executed instruction under TCG): the
 * map, the entries after a change while it is spliced in, and etc/e820 as it arrives. Nothing is read before it
 * is written. */
static struct e820_entry map[E820_MAX_ENTRIES] __attribute__((section(".noinit")));
static struct e820_entry tail[E820_MAX_ENTRIES] __attribute__((section(".noinit")));
static struct e820_entry raw[E820_MAX_ENTRIES] __attribute__((section(".noinit")));
static uint32_t map_count;

/* Appends [start, end) of the type to run[0..k), unless it is empty or a hole (type 0), merging it into the last
 * entry when it continues it with the same type; returns the new count. */
static inline uint32_t put(struct e820_entry *run, uint32_t k, uint64_t start, uint64_t end, uint32_t type)
{
	if (start >= end || !type)
		return k;
	if (k && run[k - 1].type == type && run[k - 1].addr + run[k - 1].size == start) {
		run[k - 1].size = end - run[k - 1].addr;
		return k;
	}
	run[k] = (struct e820_entry){start, end - start, type};
	return k + 1;
}

void e820_set(uint64_t addr, uint64_t size, uint32_t type)
{
	uint64_t end = addr + size;
	uint32_t n = map_count, k = 0;
	if (!size || end < addr)
		return;
	/* Room for the worst case: one entry split in two plus the new one. */
	if (n + 2 > E820_MAX_ENTRIES) {
		console_printf("error: e820 map full\n");
		return;
	}
	/* The map is sorted, disjoint and merged (each call leaves it so). The new one is rebuilt in tail from 2n+1
	 * pieces in address order: each entry's part below the range, the range, each entry's part above it; put
	 * drops the empty ones and merges neighbours. One loop and one put: TCG translates each copy of code once,
	 * and that costs QEMU more than the few pieces more this executes. */
	for (uint32_t j = 0; j <= 2 * n; j++) {
		uint64_t s = addr, e = end;
		uint32_t t = type;
		if (j != n) {
			const struct e820_entry *m = &map[j < n ? j : j - n - 1];
			s = m->addr;
			e = s + m->size;
			t = m->type;
			if (j < n) {
				if (e > addr)
					e = addr;
			} else if (s < end) {
				s = end;
			}
		}
		k = put(tail, k, s, e, t);
	}
	fw_memcpy(map, tail, k * sizeof(*map));
	map_count = k;
}

int e820_load(void)
{
	const struct fw_file *file = fw_cfg_find("etc/e820");
	/* Tested together (fw_one_test): under TCG each branch ends a translation block. */
	if (!file || fw_one_test((file->size == 0) | (file->size % sizeof(*raw) != 0) | (file->size > sizeof(raw))))
		return -1;
	fw_cfg_read_item(file->select, raw, file->size);
	map_count = 0;
	/* Entry by entry, even one alone (microvm's etc/e820): a shortcut would be more code for TCG to translate,
	 * each of its branches a translation block, where e820_set is translated anyway for the reservations. */
	for (uint32_t i = 0; i < file->size / sizeof(*raw); i++)
		e820_set(raw[i].addr, raw[i].size, raw[i].type);
	return 0;
}

uint32_t e820_ram_top_below_4g(void)
{
	for (uint32_t i = 0; i < map_count; i++) {
		const struct e820_entry *e = &map[i];
		uint64_t end = e->addr + e->size;
		if (fw_one_test((e->type == E820_RAM) & (e->addr <= 0x100000) & (end > 0x100000)))
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
