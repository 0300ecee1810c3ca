/* The table-loader's interface: the platform hooks it needs, so the same loader.c builds for the firmware
 * and for the host (fuzzing, differential tests against the Python model). */
#ifndef LOADER_H
#define LOADER_H

#include <stdint.h>	/* fixed-width wire fields */

#define LOADER_NAME_SIZE 56	/* QEMU hw/acpi/bios-linker-loader.c: char file[56] */
#define LOADER_ZONE_HIGH 1
#define LOADER_ZONE_FSEG 2
/* Most ALLOCATEs one script may make; QEMU 7.2 makes at most 4 (rsdp, tables, vmgenid, nvdimm). */
#define LOADER_MAX_ALLOCATIONS 64

/* One fw_cfg file as the directory (selector 0x19) lists it: FWCfgFile's layout (docs/specs/fw_cfg.rst), so the
 * firmware converts the big-endian size and selector where they arrive instead of copying each entry. */
struct fw_file {
	uint32_t size;
	uint16_t select;
	uint16_t reserved;
	char name[LOADER_NAME_SIZE];
};

/* What the loader asks of its platform. Every hook returns 0 (or non-NULL) on success. */
struct loader_env {
	const struct fw_file *(*find)(void *ctx, const char *name);
	int (*read)(void *ctx, const struct fw_file *file, void *dst, uint32_t len);
	/* WRITE_POINTER: write len bytes at offset into a writable fw_cfg file (DMA write). */
	int (*write)(void *ctx, const struct fw_file *file, uint32_t offset, const void *src, uint32_t len);
	/* Memory for an ALLOCATE in a zone; the address is the guest-physical address of the returned pointer.
	 * size may be 0 (an empty file): return any non-NULL pointer then. */
	void *(*alloc)(void *ctx, const char *name, uint32_t size, uint32_t align, int zone);
	void (*log)(void *ctx, const char *message);
	void *ctx;
	/* Added by loader.c's author: the guest-physical address of memory alloc returned. NULL in the firmware
	 * (flat 32-bit mode: the pointer is the address); the host harness maps its buffers to guest addresses.
	 * Leave it zero-initialised (designated initialisers) when you do not need it. */
	uint64_t (*address)(void *ctx, const void *ptr);
};

/* The hooks as the table code calls them. On the host through the env's pointers (host_env.c, the fuzzer); in
 * the firmware bound at build time to main.c's, which link-time optimisation may inline, and where a literal
 * name's length is folded: less code for TCG to translate than loading a pointer and calling through it
 * (pc-1: 99 fewer TCG ops, tb_gen_code 0.17M fewer host instructions under callgrind). */
#ifdef FIRMWARE_HOST
#define ENV_FIND(env, name) ((env)->find((env)->ctx, (name)))
#define ENV_READ(env, file, dst, len) ((env)->read((env)->ctx, (file), (dst), (len)))
#define ENV_CAN_WRITE(env) ((env)->write != 0)
#define ENV_WRITE(env, file, offset, src, len) ((env)->write((env)->ctx, (file), (offset), (src), (len)))
#define ENV_ALLOC(env, name, size, align, zone) ((env)->alloc((env)->ctx, (name), (size), (align), (zone)))
#else
const struct fw_file *env_find(void *ctx, const char *name);
int env_read(void *ctx, const struct fw_file *file, void *dst, uint32_t len);
int env_write(void *ctx, const struct fw_file *file, uint32_t offset, const void *src, uint32_t len);
void *env_alloc(void *ctx, const char *name, uint32_t size, uint32_t align, int zone);
#define ENV_FIND(env, name) ((void)(env), env_find(0, (name)))
#define ENV_READ(env, file, dst, len) ((void)(env), env_read(0, (file), (dst), (len)))
#define ENV_CAN_WRITE(env) ((void)(env), 1)
#define ENV_WRITE(env, file, offset, src, len) ((void)(env), env_write(0, (file), (offset), (src), (len)))
#define ENV_ALLOC(env, name, size, align, zone) ((void)(env), env_alloc(0, (name), (size), (align), (zone)))
#endif

/* The guest-physical address of memory env->alloc returned. The firmware leaves the hook NULL and its pointers
 * are addresses, so it tests nothing: a test would be a branch, and so another translation block under TCG.
 * Always inline, so that no boot path turns it into a call. */
static inline __attribute__((always_inline)) uint64_t loader_address(const struct loader_env *env, const void *ptr)
{
#ifdef FIRMWARE_HOST
	return env->address ? env->address(env->ctx, ptr) : (uint64_t)(uintptr_t)ptr;
#else
	(void)env;
	return (uint64_t)(uintptr_t)ptr;
#endif
}

/* Errors run_table_loader returns (negated). Each names the first check a command failed, as
 * qboot_tables/loader.py's LoaderError field does; the failing command's index goes to *failed_index. */
enum loader_error {
	LOADER_OK = 0,
	LOADER_E_LENGTH = 1,		/* script length not a multiple of 128 */
	LOADER_E_NAME = 2,		/* a file name field: not NUL-terminated, empty, or not ASCII */
	LOADER_E_NO_FILE = 3,		/* no fw_cfg file of that name */
	LOADER_E_NOT_ALLOCATED = 4,	/* a file that no ALLOCATE placed */
	LOADER_E_DUPLICATE = 5,		/* a second ALLOCATE of one file */
	LOADER_E_ALIGN = 6,		/* alignment 0 or not a power of two */
	LOADER_E_ZONE = 7,		/* unknown zone */
	LOADER_E_NO_ROOM = 8,		/* the platform's alloc failed */
	LOADER_E_TOO_MANY = 9,		/* more than LOADER_MAX_ALLOCATIONS files */
	LOADER_E_SIZE = 10,		/* pointer size not 1, 2, 4 or 8 */
	LOADER_E_OFFSET = 11,		/* a field past the end of its file, or a checksum byte outside its range */
	LOADER_E_RANGE = 12,		/* checksum range past the end of its file */
	LOADER_E_SRC_OFFSET = 13,	/* WRITE_POINTER source offset past the end of the source file */
	LOADER_E_OVERFLOW = 14,		/* the pointer value does not fit in the field */
	LOADER_E_IO = 15,		/* the platform's read or write failed */
};

/* Which command field an error refers to, for messages ("dest_file", "offset", ...). */
struct loader_failure {
	int32_t index;		/* command index, -1 for the script as a whole */
	const char *field;
};

/* Runs etc/table-loader. Returns 0 when every command ran, or a negative LOADER_E* code; on error nothing
 * further is written and the caller boots on without ACPI. failure may be NULL. */
int run_table_loader_ex(const struct loader_env *env, const uint8_t *script, uint32_t len,
			struct loader_failure *failure);
int run_table_loader(const struct loader_env *env, const uint8_t *script, uint32_t len);
const char *loader_error_name(int error);

#endif
