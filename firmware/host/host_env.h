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
int host_add_placement(struct host *h, const char *name, uint64_t address);
const struct host_file *host_file(const struct host *h, const char *name);
void host_loader_env(struct host *h, struct loader_env *env);

#endif
