/* libFuzzer target: fw_cfg files and a table-loader script (or an MP table configuration) through the C code. */
#include <stdlib.h>
#include <string.h>

#include "host_env.h"
#include "mptable.h"
#include "smbios.h"

/*
 * Input layout (firmware_host.fuzz_input writes it, so fixtures seed the corpus):
 *   u8 flags: bits 0-3 the number of files, bit 4 add a type 0, bit 5 keep a ragged script length, bit 6
 *      the input ends in an MP table configuration (struct mp_tail) instead, bit 7 legacy SMBIOS follows the files
 *   per file: u8 name length, name, u32 size (low 18 bits), u16 data length, data (the rest reads as zeros)
 *   with bit 7: u16 length and that many bytes of FW_CFG_SMBIOS_ENTRIES, u16 CPU count, u16 RAM size in MiB
 *      (built from when QEMU gave no etc/smbios files, as main.c does)
 *   the rest: etc/table-loader (cut to whole 128-byte entries unless bit 5)
 */
#define MAX_FILE_SIZE (1u << 18)
#define DEFAULT_RAM_TOP (128u << 20)

/* What an MP table is built from: the machine, fw_cfg's CPU counts and the CPUID leaves the topology comes from. */
struct mp_tail {
	uint8_t machine;
	uint8_t nb_cpus[2];
	uint8_t apic_id_limit[2];
	uint8_t max_leaf;
	uint8_t leaf_b[2][4][4];	/* subleaf 0 and 1: EAX, EBX, ECX, EDX; also leaf 1Fh's, 1's and 4's (tail_cpuid) */
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static const struct mp_tail *fuzz_tail;

static void tail_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	memset(regs, 0, 4 * sizeof(regs[0]));
	if (leaf == 0)
		regs[0] = fuzz_tail->max_leaf;
	else if ((leaf == 0xB || leaf == 0x1F) && subleaf < 2)
		for (int r = 0; r < 4; r++)
			regs[r] = le32(fuzz_tail->leaf_b[subleaf][r]);
	else if (leaf == 0x1F && subleaf == 2) {
		/* A die level from the bytes no leaf 0Bh reading uses: its subleaves' EDX (the x2APIC ID). */
		regs[0] = le32(fuzz_tail->leaf_b[0][3]);
		regs[1] = le32(fuzz_tail->leaf_b[1][3]);
		regs[2] = 2 | 5 << 8;
	} else if (leaf == 1 || leaf == 4)	/* read only when leaves 1Fh and 0Bh said nothing */
		for (int r = 0; r < 4; r++)
			regs[r] = le32(fuzz_tail->leaf_b[leaf == 4][r]);
}

static void fuzz_mptable(struct host *h, const struct mp_tail *tail)
{
	struct mptable_config c;
	struct loader_env env;
	memset(&c, 0, sizeof(c));
	fuzz_tail = tail;
	c.machine = (enum mptable_machine)(tail->machine % 3);
	c.nb_cpus = tail->nb_cpus[0] | tail->nb_cpus[1] << 8;	/* fw_cfg NB_CPUS is 16-bit */
	c.apic_id_limit = tail->apic_id_limit[0] | tail->apic_id_limit[1] << 8;
	memcpy(c.oem_id, "BOCHS ", 6);
	mptable_topology_from_cpuid(tail_cpuid, c.apic_id_limit, &c.topology);
	host_loader_env(h, &env);
	mptable_place(&env, &c);
}

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
	struct smbios_legacy_input legacy = {0};
	uint8_t *legacy_copy = NULL;
	int rc;

	host_init(&h);
	h.quiet = 1;
	if (flags & 64) {
		struct mp_tail tail;
		if (left < sizeof(tail))
			return 0;
		memcpy(&tail, data + size - sizeof(tail), sizeof(tail));
		left -= sizeof(tail);
		h.ram_top = DEFAULT_RAM_TOP;
		fuzz_mptable(&h, &tail);
		host_free(&h);
		host_init(&h);
		h.quiet = 1;
	}
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
	if (flags & 128) {
		uint32_t len = take(&p, &left, 2);
		if (len > left)
			len = (uint32_t)left;
		legacy_copy = malloc(len ? len : 1);	/* exactly len bytes: ASan sees a read past the item */
		memcpy(legacy_copy, p, len);
		legacy.entries = legacy_copy;
		legacy.size = len;
		p += len;
		left -= len;
		legacy.cpus = take(&p, &left, 2);
		legacy.ram_size = (uint64_t)take(&p, &left, 2) << 20;
	}
	if (!host_file(&h, "etc/e820"))
		h.ram_top = DEFAULT_RAM_TOP;
	script_len = flags & 32 ? left : left - left % 128;
	host_loader_env(&h, &env);
	rc = run_table_loader(&env, p, (uint32_t)script_len);
	if (!rc && smbios_setup(&env, flags & 16) == -SMBIOS_E_ABSENT && (flags & 128))
		smbios_legacy_setup(&env, &legacy);
	/* Every region must still be exactly its own: touching each byte lets ASan check the allocator too. */
	for (size_t r = 0; r < h.nregions; r++) {
		volatile uint8_t sink = 0;
		for (uint32_t b = 0; b < h.regions[r].size; b++)
			sink ^= h.regions[r].buf[b];
		(void)sink;
	}
	free(legacy_copy);
	host_free(&h);
	return 0;
}
