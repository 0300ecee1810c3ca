/* SMBIOS placement: QEMU's etc/smbios files into memory, the entry point into the F-segment, a type 0 when absent. */
#include "smbios.h"
#include "util.h"

/* DMTF DSP0134 3.6.0 §5.2.1 (2.1 entry point, 1Fh bytes) and §5.2.2 (3.0 entry point, 18h bytes). */
#define EP21_SIZE 0x1F
#define EP30_SIZE 0x18
#define EP21_CHECKSUM 0x04
#define EP21_LENGTH 0x05
#define EP21_MAX_STRUCTURE 0x08
#define EP21_INTERMEDIATE 0x10
#define EP21_INTERMEDIATE_CHECKSUM 0x15
#define EP21_TABLE_LENGTH 0x16
#define EP21_TABLE_ADDRESS 0x18
#define EP21_STRUCTURE_COUNT 0x1C
#define EP30_CHECKSUM 0x05
#define EP30_LENGTH 0x06
#define EP30_TABLE_MAX 0x0C
#define EP30_TABLE_ADDRESS 0x10
#define TYPE_END_OF_TABLE 127

/* §7.1 BIOS Information, laid out as SeaBIOS's struct smbios_type_0 (18h bytes, src/std/smbios.h) so that
 * qboot_tables.smbios.seabios_type0() with our strings is the same structure. */
static const uint8_t type0_formatted[0x18] = {
	0, 0x18, 0, 0,			/* type 0, length, handle 0 */
	1, 2, 0x00, 0xE8, 3, 0,		/* vendor, version strings; segment E800h; date string; ROM size */
	1 << 3, 0, 0, 0, 0, 0, 0, 0,	/* characteristics: "not supported" */
	0, 1 << 2,			/* extension bytes: targeted content distribution */
	0, 0, 0xFF, 0xFF,		/* system BIOS release 0.0; no embedded controller */
};
static const char type0_strings[] = SMBIOS_TYPE0_VENDOR "\0" SMBIOS_TYPE0_VERSION "\0" SMBIOS_TYPE0_DATE "\0";
/* Formatted area, the strings with their NULs (sizeof counts the literal's own), and the set's final NUL. */
#define TYPE0_SIZE (sizeof(type0_formatted) + sizeof(type0_strings))

static void log_msg(const struct loader_env *env, const char *a, uint64_t x, const char *b, uint64_t y)
{
	char line[160], *end = line + sizeof(line) - 1, *p = line;
	if (!env->log)
		return;
	p = fw_put_str(p, end, "smbios: ");
	p = fw_put_str(p, end, a);
	p = fw_put_hex(p, end, x);
	p = fw_put_str(p, end, b);
	if (b[0])
		p = fw_put_hex(p, end, y);
	*p = 0;
	env->log(env->ctx, line);
}

/* Whether the structures hold a type 0, walking them as §6.1.3 lays them out. A malformed table counts as
 * having one, so we add nothing to a table we cannot read. */
static int has_type0(const uint8_t *t, uint32_t len)
{
	uint32_t at = 0;
	while (at < len) {
		uint32_t next;
		if (len - at < 4 || t[at + 1] < 4 || t[at + 1] > len - at)
			return 1;
		if (t[at] == 0)
			return 1;
		/* The string set ends at the first double NUL after the formatted area. */
		for (next = at + t[at + 1]; next + 1 < len && fw_load_le(t + next, 2); next++)	/* both bytes at once */
			;
		if (next + 1 >= len)
			return 1;
		if (t[at] == TYPE_END_OF_TABLE)
			return 0;
		at = next + 2;
	}
	return 0;
}

static uint64_t address_of(const struct loader_env *env, const void *ptr)
{
	return env->address ? env->address(env->ctx, ptr) : (uint64_t)(uintptr_t)ptr;
}

/* Sets the byte at `at` so that [start, end) sums to zero. */
static void fix_checksum(uint8_t *ep, uint32_t at, uint32_t start, uint32_t end)
{
	ep[at] = (uint8_t)(ep[at] - fw_sum8(ep + start, end - start));
}

int smbios_setup(const struct loader_env *env, int add_type0)
{
	/* Without an anchor (microvm has no SMBIOS) the tables are not looked for: each miss scans the directory. */
	const struct fw_file *anchor = env->find(env->ctx, SMBIOS_ANCHOR_FILE);
	const struct fw_file *tables = anchor ? env->find(env->ctx, SMBIOS_TABLES_FILE) : 0;
	uint8_t ep[EP21_SIZE > EP30_SIZE ? EP21_SIZE : EP30_SIZE];
	uint8_t *table, *entry;
	uint32_t ep_size, extra = 0, length;
	uint64_t table_address;
	int is_30;

	if (!anchor || !tables)
		return -SMBIOS_E_ABSENT;
	if (anchor->size < 5 || env->read(env->ctx, anchor, ep, anchor->size < sizeof(ep) ? anchor->size : sizeof(ep)))
		return -SMBIOS_E_ANCHOR;
	/* The anchors as little-endian dwords, compared in place rather than by a byte loop. */
	is_30 = fw_load_le(ep, 4) == fw_unfolded(0x334D535Fu) && ep[4] == '_';	/* "_SM3_" */
	if (!is_30 && fw_load_le(ep, 4) != fw_unfolded(0x5F4D535Fu))	/* "_SM_" */
		return -SMBIOS_E_ANCHOR;
	ep_size = is_30 ? EP30_SIZE : EP21_SIZE;
	if (anchor->size < ep_size)
		return -SMBIOS_E_ANCHOR;

	/* Read the tables where they will live, leaving room in front for a type 0 we may add. */
	table = env->alloc(env->ctx, SMBIOS_TABLES_FILE, tables->size + (add_type0 ? TYPE0_SIZE : 0), 16,
			   LOADER_ZONE_HIGH);
	if (!table)
		return -SMBIOS_E_NO_ROOM;
	if (env->read(env->ctx, tables, table + (add_type0 ? TYPE0_SIZE : 0), tables->size))
		return -SMBIOS_E_IO;
	if (add_type0 && !has_type0(table + TYPE0_SIZE, tables->size)) {
		/* A 2.1 table is at most FFFFh bytes long (its length is 16-bit); 3.0 has a 32-bit maximum. */
		if (is_30 || fw_load_le(ep + EP21_TABLE_LENGTH, 2) + TYPE0_SIZE <= 0xFFFF)
			extra = TYPE0_SIZE;
	}
	if (extra) {
		fw_memcpy(table, type0_formatted, sizeof(type0_formatted));
		fw_memcpy(table + sizeof(type0_formatted), type0_strings, sizeof(type0_strings));
	} else if (add_type0) {
		/* We kept room we do not need: move the table down and clear the spare tail. */
		fw_memmove(table, table + TYPE0_SIZE, tables->size);
		fw_memset(table + tables->size, 0, TYPE0_SIZE);
	}
	table_address = address_of(env, table);

	if (is_30) {
		fw_store_le(ep + EP30_TABLE_MAX, fw_load_le(ep + EP30_TABLE_MAX, 4) + extra, 4);
		fw_store_le(ep + EP30_TABLE_ADDRESS, table_address, 8);
		length = ep[EP30_LENGTH] < ep_size ? ep[EP30_LENGTH] : ep_size;
		fix_checksum(ep, EP30_CHECKSUM, 0, length);
	} else {
		if (extra) {
			fw_store_le(ep + EP21_TABLE_LENGTH, fw_load_le(ep + EP21_TABLE_LENGTH, 2) + extra, 2);
			fw_store_le(ep + EP21_STRUCTURE_COUNT, fw_load_le(ep + EP21_STRUCTURE_COUNT, 2) + 1, 2);
			if (fw_load_le(ep + EP21_MAX_STRUCTURE, 2) < extra)
				fw_store_le(ep + EP21_MAX_STRUCTURE, extra, 2);
		}
		fw_store_le(ep + EP21_TABLE_ADDRESS, table_address, 4);
		/* §5.2.1: the intermediate checksum first (10h to the end), then the whole entry point's. */
		fix_checksum(ep, EP21_INTERMEDIATE_CHECKSUM, EP21_INTERMEDIATE, ep_size);
		length = ep[EP21_LENGTH] < ep_size ? ep[EP21_LENGTH] : ep_size;
		fix_checksum(ep, EP21_CHECKSUM, 0, length);
	}

	entry = env->alloc(env->ctx, SMBIOS_ANCHOR_FILE, anchor->size, 16, LOADER_ZONE_FSEG);
	if (!entry)
		return -SMBIOS_E_NO_ROOM;
	/* Anything QEMU put after the entry point stays as it was. */
	if (env->read(env->ctx, anchor, entry, anchor->size))
		return -SMBIOS_E_IO;
	fw_memcpy(entry, ep, ep_size);
	if (!env->log)
		return 0;
	log_msg(env, "tables at ", table_address, ", entry point at ", address_of(env, entry));
	if (extra)
		log_msg(env, "added a type 0, bytes: ", extra, "", 0);
	return 0;
}
