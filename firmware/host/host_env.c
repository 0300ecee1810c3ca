/* The host platform for the table code: in-memory fw_cfg files, the Python model's allocator, recorded writes. */
#include "host_env.h"
#include "fw_cfg.h"	/* the selectors the legacy SMBIOS input comes from */
#include "smbios.h"	/* struct smbios_legacy_input */

#include <stdlib.h>
#include <string.h>

#define FOUR_GIB (1ULL << 32)
#define E820_ENTRY_SIZE 20	/* QEMU hw/i386/e820_memory_layout.h: u64 address, u64 length, u32 type */
#define E820_RAM 1

void host_init(struct host *h)
{
	memset(h, 0, sizeof(*h));
}

void host_free(struct host *h)
{
	for (size_t i = 0; i < h->nfiles; i++)
		free(h->files[i].data);
	for (size_t i = 0; i < h->nregions; i++)
		free(h->regions[i].buf);
	for (size_t i = 0; i < h->nitems; i++)
		free(h->items[i].data);
	free(h->items);
	free(h->files);
	free(h->regions);
	free(h->writes);
	free(h->placements);
	memset(h, 0, sizeof(*h));
}

static void *grow(void *array, size_t count, size_t item)
{
	/* Double at powers of two, so appends stay amortised O(1). */
	if (count & (count - 1) && count)
		return array;
	return realloc(array, (count ? count * 2 : 1) * item);
}

int host_add_file(struct host *h, const char *name, const uint8_t *data, uint32_t size)
{
	struct host_file *f;
	if (strlen(name) >= LOADER_NAME_SIZE)
		return -1;
	h->files = grow(h->files, h->nfiles, sizeof(*h->files));
	f = &h->files[h->nfiles++];
	memset(f, 0, sizeof(*f));
	strcpy(f->entry.name, name);
	f->entry.size = size;
	f->entry.select = (uint16_t)(0x20 + h->nfiles - 1);	/* FW_CFG_FILE_FIRST: file selectors start at 0x20 */
	f->data = malloc(size ? size : 1);
	if (size)
		memcpy(f->data, data, size);
	return 0;
}

void host_add_item(struct host *h, uint16_t select, const uint8_t *data, uint32_t size)
{
	struct host_item *it;
	h->items = grow(h->items, h->nitems, sizeof(*h->items));
	it = &h->items[h->nitems++];
	it->select = select;
	it->size = size;
	it->data = malloc(size ? size : 1);
	if (size)
		memcpy(it->data, data, size);
}

const struct host_item *host_item(const struct host *h, uint16_t select)
{
	for (size_t i = 0; i < h->nitems; i++)
		if (h->items[i].select == select)
			return &h->items[i];
	return NULL;
}

uint64_t host_item_le(const struct host *h, uint16_t select, unsigned bytes)
{
	const struct host_item *it = host_item(h, select);
	uint64_t v = 0;
	for (unsigned i = 0; it && i < bytes && i < it->size; i++)
		v |= (uint64_t)it->data[i] << (8 * i);
	return v;
}

int host_legacy_input(const struct host *h, struct smbios_legacy_input *in)
{
	const struct host_item *entries = host_item(h, FW_CFG_SMBIOS_ENTRIES);
	uint64_t nb = host_item_le(h, FW_CFG_NB_CPUS, 2), max = host_item_le(h, FW_CFG_MAX_CPUS, 2);
	if (!entries)
		return -1;
	in->entries = entries->data;
	in->size = entries->size;
	in->cpus = (uint32_t)(nb > max ? nb : max);
	if (!in->cpus)
		in->cpus = 1;
	in->ram_size = host_item_le(h, FW_CFG_RAM_SIZE, 8);
	return 0;
}

int host_add_placement(struct host *h, const char *name, uint64_t address)
{
	struct host_placement *p;
	if (strlen(name) >= LOADER_NAME_SIZE)
		return -1;
	h->placements = grow(h->placements, h->nplacements, sizeof(*h->placements));
	p = &h->placements[h->nplacements++];
	strcpy(p->name, name);
	p->address = address;
	return 0;
}

const struct host_file *host_file(const struct host *h, const char *name)
{
	for (size_t i = 0; i < h->nfiles; i++)
		if (!strcmp(h->files[i].entry.name, name))
			return &h->files[i];
	return NULL;
}

/* ---- the allocator: the same first-fit zones as qboot_tables/loader.py (_Zone) */

static uint64_t e820_ram_top(const struct host *h)
{
	const struct host_file *f = host_file(h, "etc/e820");
	uint64_t top = 0;
	for (uint32_t at = 0; f && at + E820_ENTRY_SIZE <= f->entry.size; at += E820_ENTRY_SIZE) {
		uint64_t address, length;
		uint32_t type;
		memcpy(&address, f->data + at, 8);
		memcpy(&length, f->data + at + 8, 8);
		memcpy(&type, f->data + at + 16, 4);
		if (type != E820_RAM || address >= FOUR_GIB)
			continue;
		uint64_t end = length > FOUR_GIB - address ? FOUR_GIB : address + length;
		if (end > top)
			top = end;
	}
	return top;
}

static void zone_add(struct host_zone *z, uint64_t start, uint64_t end)
{
	if (z->count < HOST_MAX_RANGES) {
		z->ranges[z->count][0] = start;
		z->ranges[z->count][1] = end;
		z->count++;
	}
}

/* Take [address, address+size) out of a zone's free ranges, keeping their order. */
static void zone_reserve(struct host_zone *z, uint64_t address, uint64_t size)
{
	struct host_zone out = { .top_down = z->top_down };
	for (int i = 0; i < z->count; i++) {
		uint64_t start = z->ranges[i][0], end = z->ranges[i][1];
		if (address + size <= start || address >= end) {
			zone_add(&out, start, end);
			continue;
		}
		if (start < address)
			zone_add(&out, start, address);
		if (address + size < end)
			zone_add(&out, address + size, end);
	}
	*z = out;
}

static int zone_allocate(struct host_zone *z, uint64_t size, uint64_t align, uint64_t *address)
{
	for (int i = 0; i < z->count; i++) {
		uint64_t start = z->ranges[i][0], end = z->ranges[i][1], a;
		if (z->top_down) {
			if (size > end)
				continue;
			a = (end - size) & ~(align - 1);
			if (a >= start) {
				z->ranges[i][1] = a;
				*address = a;
				return 0;
			}
		} else {
			a = (start + align - 1) & ~(align - 1);
			if (a + size <= end) {
				z->ranges[i][0] = a + size;
				*address = a;
				return 0;
			}
		}
	}
	return -1;
}

static void zones_init(struct host *h)
{
	/* loader.py FSEG_RANGES: 0xF0000 first (Linux looks for SMBIOS only there), then 0xE0000. */
	uint64_t top = h->ram_top ? h->ram_top : e820_ram_top(h);
	h->fseg = (struct host_zone){ .top_down = 0 };
	zone_add(&h->fseg, 0xF0000, 0x100000);
	zone_add(&h->fseg, 0xE0000, 0xF0000);
	h->high = (struct host_zone){ .top_down = 1 };
	if (top > 0x100000)
		zone_add(&h->high, 0x100000, top);
	for (size_t i = 0; i < h->nregions; i++)
		zone_reserve(h->regions[i].zone == LOADER_ZONE_FSEG ? &h->fseg : &h->high, h->regions[i].address,
			     h->regions[i].size);
	h->zones_ready = 1;
}

static void *host_alloc(void *ctx, const char *name, uint32_t size, uint32_t align, int zone)
{
	struct host *h = ctx;
	struct host_zone *z;
	struct host_region *r;
	uint64_t address = 0;
	int placed = 0;

	for (size_t i = 0; i < h->nplacements; i++)
		if (!strcmp(h->placements[i].name, name)) {
			address = h->placements[i].address;
			placed = 1;
		}
	if (placed) {
		/* A caller-placed block must not overlap another (loader.py refuses that too). */
		for (size_t i = 0; i < h->nregions; i++)
			if (address < h->regions[i].address + h->regions[i].size &&
			    h->regions[i].address < address + size)
				return NULL;
		if (h->zones_ready)
			zone_reserve(zone == LOADER_ZONE_FSEG ? &h->fseg : &h->high, address, size);
	} else {
		if (!h->zones_ready)
			zones_init(h);
		z = zone == LOADER_ZONE_FSEG ? &h->fseg : &h->high;
		if (zone_allocate(z, size, align, &address))
			return NULL;
	}
	h->regions = grow(h->regions, h->nregions, sizeof(*h->regions));
	r = &h->regions[h->nregions++];
	memset(r, 0, sizeof(*r));
	strncpy(r->name, name, LOADER_NAME_SIZE - 1);
	r->address = address;
	r->size = size;
	r->zone = zone;
	r->buf = calloc(1, size ? size : 1);
	return r->buf;
}

static uint64_t host_address(void *ctx, const void *ptr)
{
	struct host *h = ctx;
	for (size_t i = 0; i < h->nregions; i++)
		if (h->regions[i].buf == ptr)
			return h->regions[i].address;
	abort();	/* loader.c asked about memory it was never given */
}

static const struct fw_file *host_find(void *ctx, const char *name)
{
	const struct host_file *f = host_file(ctx, name);
	return f ? &f->entry : NULL;
}

static int host_read(void *ctx, const struct fw_file *file, void *dst, uint32_t len)
{
	const struct host_file *f = (const struct host_file *)file;	/* entry is the first member */
	(void)ctx;
	if (len > f->entry.size) {
		if (((struct host *)ctx)->strict)
			abort();
		return -1;
	}
	memcpy(dst, f->data, len);
	return 0;
}

static int host_write(void *ctx, const struct fw_file *file, uint32_t offset, const void *src, uint32_t len)
{
	struct host *h = ctx;
	struct host_file *f = (struct host_file *)file;
	struct host_write *w;
	if (len > sizeof(w->data) || offset > f->entry.size || len > f->entry.size - offset) {
		if (h->strict)
			abort();
		return -1;
	}
	/* QEMU keeps what a DMA write puts into a writable file, so the host copy changes too. */
	memcpy(f->data + offset, src, len);
	h->writes = grow(h->writes, h->nwrites, sizeof(*h->writes));
	w = &h->writes[h->nwrites++];
	w->file = (uint32_t)(f - h->files);
	w->offset = offset;
	w->len = len;
	memcpy(w->data, src, len);
	return 0;
}

static void host_log(void *ctx, const char *message)
{
	struct host *h = ctx;
	if (!h->quiet && h->log)
		h->log(h, message);
}

void host_loader_env(struct host *h, struct loader_env *env)
{
	*env = (struct loader_env){
		.find = host_find,
		.read = host_read,
		.write = host_write,
		.alloc = host_alloc,
		.log = host_log,
		.ctx = h,
		.address = host_address,
	};
}
