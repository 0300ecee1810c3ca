/* The host platform for the table code: in-memory fw_cfg files, the Python model's allocator, recorded writes. */
#ifndef HOST_ENV_H
#define HOST_ENV_H

#include <stddef.h>
#include <stdint.h>

#include "loader.h"

#define HOST_MAX_RANGES 256

struct host_file {
	struct fw_file entry;
	uint8_t *data;		/* entry.size bytes, owned */
};

/* One block the loader (or SMBIOS placement) allocated: host buffer and the guest address it stands for. */
struct host_region {
	char name[LOADER_NAME_SIZE];
	uint64_t address;
	uint32_t size;
	int zone;
	uint8_t *buf;		/* exactly size bytes (1 when size is 0), so ASan sees every overrun */
};

struct host_write {
	uint32_t file;		/* index into files */
	uint32_t offset;
	uint32_t len;
	uint8_t data[8];
};

struct host_zone {
	uint64_t ranges[HOST_MAX_RANGES][2];	/* free [start, end) */
	int count;
	int top_down;
};

/* A fw_cfg item at a fixed selector rather than a file (FW_CFG_SMBIOS_ENTRIES, the CPU counts, the RAM size). */
struct host_item {
	uint16_t select;
	uint32_t size;
	uint8_t *data;		/* owned */
};

struct host_placement {
	char name[LOADER_NAME_SIZE];
	uint64_t address;
};

struct host {
	struct host_file *files;
	size_t nfiles;
	struct host_region *regions;
	size_t nregions;
	struct host_write *writes;
	size_t nwrites;
	struct host_item *items;
	size_t nitems;
	struct host_placement *placements;
	size_t nplacements;
	uint64_t ram_top;	/* 0: take it from etc/e820 on first HIGH allocation */
	int zones_ready;
	struct host_zone fseg, high;
	int quiet;		/* drop log messages (the fuzzer) */
	int strict;		/* abort on a transfer outside a file: loader.c must have refused it first */
	void (*log)(struct host *h, const char *message);
};

void host_init(struct host *h);
void host_free(struct host *h);
/* Copies data. A name that does not fit the 56-byte directory entry is refused (returns -1). */
int host_add_file(struct host *h, const char *name, const uint8_t *data, uint32_t size);
void host_add_item(struct host *h, uint16_t select, const uint8_t *data, uint32_t size);
/* The item at `select`, or NULL; host_item_le reads its first bytes (up to 8) as a little-endian number, 0
 * when it is absent, as fw_cfg reads past an item's end give zeros. */
const struct host_item *host_item(const struct host *h, uint16_t select);
uint64_t host_item_le(const struct host *h, uint16_t select, unsigned bytes);
/* What the firmware's main.c gives smbios_legacy_setup, from the items: 0 and *in filled when the machine has
 * FW_CFG_SMBIOS_ENTRIES. */
struct smbios_legacy_input;
int host_legacy_input(const struct host *h, struct smbios_legacy_input *in);
int host_add_placement(struct host *h, const char *name, uint64_t address);
const struct host_file *host_file(const struct host *h, const char *name);
void host_loader_env(struct host *h, struct loader_env *env);

#endif
