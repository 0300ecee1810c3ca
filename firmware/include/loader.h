/* The table-loader's interface: the platform hooks it needs, so the same loader.c builds for the firmware
 * and for the host (fuzzing, differential tests against the Python model). */
#ifndef LOADER_H
#define LOADER_H

#include <stdint.h>	/* fixed-width wire fields */

#define LOADER_NAME_SIZE 56	/* QEMU hw/acpi/bios-linker-loader.c: char file[56] */
#define LOADER_ZONE_HIGH 1
#define LOADER_ZONE_FSEG 2

/* One fw_cfg file as the directory (selector 0x19) lists it. */
struct fw_file {
	char name[LOADER_NAME_SIZE];
	uint32_t size;
	uint16_t select;
};

/* What the loader asks of its platform. Every hook returns 0 (or non-NULL) on success. */
struct loader_env {
	const struct fw_file *(*find)(void *ctx, const char *name);
	int (*read)(void *ctx, const struct fw_file *file, void *dst, uint32_t len);
	/* WRITE_POINTER: write len bytes at offset into a writable fw_cfg file (DMA write). */
	int (*write)(void *ctx, const struct fw_file *file, uint32_t offset, const void *src, uint32_t len);
	/* Memory for an ALLOCATE in a zone; the address is the guest-physical address of the returned pointer. */
	void *(*alloc)(void *ctx, const char *name, uint32_t size, uint32_t align, int zone);
	void (*log)(void *ctx, const char *message);
	void *ctx;
};

/* Runs etc/table-loader. Returns 0 when every command ran, or a negative LOADER_E* code; on error nothing
 * further is written and the caller boots on without ACPI. */
int run_table_loader(const struct loader_env *env, const uint8_t *script, uint32_t len);

#endif
