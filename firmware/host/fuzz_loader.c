/* libFuzzer target: one input is a set of fw_cfg files plus a table-loader script, run through loader.c and smbios.c. */
#include <stdlib.h>
#include <string.h>

#include "host_env.h"
#include "smbios.h"

/*
 * Input layout (firmware_host.fuzz_input writes it, so fixtures seed the corpus):
 *   u8 flags: bits 0-3 the number of files, bit 4 add a type 0, bit 5 keep a ragged script length
 *   per file: u8 name length, name, u32 size (low 18 bits), u16 data length, data (the rest reads as zeros)
 *   the rest: etc/table-loader (cut to whole 128-byte entries unless bit 5)
 */
#define MAX_FILE_SIZE (1u << 18)
#define DEFAULT_RAM_TOP (128u << 20)

static uint32_t take(const uint8_t **p, size_t *left, unsigned bytes)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < bytes && *left; i++, (*p)++, (*left)--)
		v |= (uint32_t)**p << (8 * i);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct host h;
	struct loader_env env;
	const uint8_t *p = data;
	size_t left = size, script_len;
	uint32_t flags = take(&p, &left, 1);
	int rc;

	host_init(&h);
	h.quiet = 1;
	h.strict = 1;
	for (uint32_t i = 0; i < (flags & 15) && left; i++) {
		char name[LOADER_NAME_SIZE];
		size_t name_len = take(&p, &left, 1) % LOADER_NAME_SIZE;
		uint32_t file_size, data_len;
		uint8_t *contents;
		if (name_len > left)
			name_len = left;
		memcpy(name, p, name_len);
		name[name_len] = 0;
		p += name_len;
		left -= name_len;
		file_size = take(&p, &left, 4) % MAX_FILE_SIZE;
		data_len = take(&p, &left, 2);
		if (data_len > left)
			data_len = (uint32_t)left;
		if (data_len > file_size)
			data_len = file_size;
		contents = calloc(1, file_size ? file_size : 1);
		memcpy(contents, p, data_len);
		p += data_len;
		left -= data_len;
		/* A name with an inner NUL is just a shorter name; duplicates shadow nothing (first one wins). */
		host_add_file(&h, name, contents, file_size);
		free(contents);
	}
	if (!host_file(&h, "etc/e820"))
		h.ram_top = DEFAULT_RAM_TOP;
	script_len = flags & 32 ? left : left - left % 128;
	host_loader_env(&h, &env);
	rc = run_table_loader(&env, p, (uint32_t)script_len);
	if (!rc)
		smbios_setup(&env, flags & 16);
	/* Every region must still be exactly its own: touching each byte lets ASan check the allocator too. */
	for (size_t r = 0; r < h.nregions; r++) {
		volatile uint8_t sink = 0;
		for (uint32_t b = 0; b < h.regions[r].size; b++)
			sink ^= h.regions[r].buf[b];
		(void)sink;
	}
	host_free(&h);
	return 0;
}
