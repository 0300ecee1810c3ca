/* The firmware's memory: scratch in low RAM, and the table-loader's HIGH and FSEG zones. */
#ifndef MEMORY_H
#define MEMORY_H

#include <stdint.h>	/* addresses */

/* Bump allocation in low RAM for data the firmware drops before Linux runs; NULL when full. align: a power of
 * two (every caller passes a constant). */
void *scratch_alloc(uint32_t size, uint32_t align);
/* The scratch not given out yet, *size bytes, for data whose size is learnt while reading it: it stays the
 * caller's only until the next scratch_alloc. */
void *scratch_free_space(uint32_t *size);

/* HIGH grows down from the top of RAM below 4 GiB; FSEG uses what the firmware leaves of 0xE0000-0xFFFFF. */
void zones_init(uint32_t ram_top_below_4g);
/* Prints "alloc <name> <addr> <size>"; NULL when the zone has no room. align must be a power of two: the
 * table-loader refuses any other before it asks (LOADER_E_ALIGN), and the other callers pass 16. */
void *zone_alloc(const char *name, uint32_t size, uint32_t align, int zone);
uint32_t high_zone_bottom(void);	/* lowest address the HIGH zone gave out (the RAM top if none) */
uint32_t high_zone_top(void);

/* What the zones have given out so far; zone_rollback zeroes and frees everything given out since. */
struct zone_mark {
	uint32_t high_next;
	uint32_t fseg_next[2];
};
struct zone_mark zone_mark(void);
void zone_rollback(struct zone_mark mark);

#endif
