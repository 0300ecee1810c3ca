/* e820_set.S against the C it replaced (kept here as the reference), on the host in 32-bit mode: random calls,
 * single and in lists, and a map filled to the brim, each map and each "map full" line compared. Run by
 * `make check-e820`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define E820_MAX_ENTRIES 128
struct e820_entry {
	uint64_t addr, size;
	uint32_t type;
} __attribute__((packed));

/* What e820_set.S uses from e820.c and console.c. */
struct e820_entry e820_map[E820_MAX_ENTRIES];
uint32_t e820_count;
int console_present = 1;
static int printed;
void console_print(const char *fmt, ...);
void console_print(const char *fmt, ...)
{
	(void)fmt;
	printed++;
}
void e820_set(uint64_t addr, uint64_t size, uint32_t type) __attribute__((regparm(0)));
void e820_set_list(const struct e820_entry *list, uint32_t n) __attribute__((regparm(3)));

static struct e820_entry ref_map[E820_MAX_ENTRIES], ref_tail[E820_MAX_ENTRIES];
static uint32_t ref_count;
static int ref_printed;

static uint32_t put(struct e820_entry *run, uint32_t k, uint64_t start, uint64_t end, uint32_t type)
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

static void ref_set(uint64_t addr, uint64_t size, uint32_t type)
{
	uint64_t end = addr + size;
	uint32_t n = ref_count, k = 0;
	if (!size || end < addr)
		return;
	if (n + 2 > E820_MAX_ENTRIES) {
		ref_printed++;
		return;
	}
	for (uint32_t j = 0; j <= 2 * n; j++) {
		uint64_t s = addr, e = end;
		uint32_t t = type;
		if (j != n) {
			const struct e820_entry *m = &ref_map[j < n ? j : j - n - 1];
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
		k = put(ref_tail, k, s, e, t);
	}
	memcpy(ref_map, ref_tail, k * sizeof(*ref_map));
	ref_count = k;
}

static long calls;

static void compare(uint64_t addr, uint64_t size, uint32_t type)
{
	if (e820_count == ref_count && !memcmp(e820_map, ref_map, ref_count * sizeof(*ref_map)) && printed == ref_printed)
		return;
	printf("differs after set(0x%llx, 0x%llx, %u): %u entries, %d lines; the reference %u, %d\n",
	       (unsigned long long)addr, (unsigned long long)size, type, e820_count, printed, ref_count, ref_printed);
	exit(1);
}

static void both(uint64_t addr, uint64_t size, uint32_t type)
{
	e820_set(addr, size, type);
	ref_set(addr, size, type);
	calls++;
	compare(addr, size, type);
}

/* A list of n at once, against the reference one by one. */
static void both_list(const struct e820_entry *list, uint32_t n)
{
	e820_set_list(list, n);
	for (uint32_t i = 0; i < n; i++)
		ref_set(list[i].addr, list[i].size, list[i].type);
	calls += n;
	compare(n ? list[n - 1].addr : 0, n ? list[n - 1].size : 0, n ? list[n - 1].type : 0);
}

static void reset(void)
{
	e820_count = ref_count = 0;
	printed = ref_printed = 0;
}

static uint64_t random64(void)
{
	return (uint64_t)rand() << 62 ^ (uint64_t)rand() << 31 ^ (uint64_t)rand();
}

/* Values that make boundaries meet: pages, small numbers, anything, near 2^64, near and above 4 GiB. */
static uint64_t pick(int kind)
{
	switch (kind % 6) {
	case 0: return (uint64_t)(rand() % 16) * 0x1000;
	case 1: return (uint64_t)(rand() % 40);
	case 2: return random64();
	case 3: return ~0ull - (uint64_t)(rand() % 8);
	case 4: return 0x100000000ull - (uint64_t)(rand() % 3) * 0x10000;
	default: return (uint64_t)(rand() % 4) << 32 | (uint64_t)(rand() % 3) * 0x80000000u;
	}
}

int main(void)
{
	srand(1);
	/* Filled until full, below and above 4 GiB, entries apart and touching; then refused ranges on a full map. */
	for (int v = 0; v < 4; v++) {
		reset();
		for (int i = 0; i < 140; i++)
			both((uint64_t)i * 16 + (v & 1 ? 0xFFFFFFF000ull : 0), v & 2 ? 16 : 8, 1 + i % 3);
		both(5, 0, 1);
		both(~0ull, 5, 1);
		both(3, 2, 0);
		if (ref_count != E820_MAX_ENTRIES - 1 || !ref_printed) {
			printf("the map never filled\n");
			return 1;
		}
	}
	for (int round = 0; round < 200000; round++) {
		reset();
		int n = 1 + rand() % (round % 50 == 0 ? 200 : 12), kind = rand(), as_list = round % 3 == 0;
		struct e820_entry list[200];
		for (int i = 0; i < n; i++) {
			uint64_t addr = pick(kind + (rand() % 3 == 0)), size = rand() % 4 ? pick(kind + rand() % 2) : (uint64_t)(rand() % 5);
			uint32_t type = rand() % 4 == 0 ? 0 : rand() % 3 == 0 ? (uint32_t)rand() : 1 + (uint32_t)(rand() % 3);
			if (as_list)
				list[i] = (struct e820_entry){addr, size, type};
			else
				both(addr, size, type);
		}
		if (as_list) {
			uint32_t first = (uint32_t)rand() % (uint32_t)(n + 1);	/* two lists, either may be empty */
			both_list(list, first);
			both_list(list + first, (uint32_t)n - first);
		}
	}
	printf("e820_set.S equals the C reference in %ld calls\n", calls);
	return 0;
}
