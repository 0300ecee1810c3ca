/* SMBIOS placement: QEMU's etc/smbios files into memory, the entry point into the F-segment, a type 0 when absent. */
#ifndef SMBIOS_H
#define SMBIOS_H

#include "loader.h"

#define SMBIOS_ANCHOR_FILE "etc/smbios/smbios-anchor"
#define SMBIOS_TABLES_FILE "etc/smbios/smbios-tables"

/* The BIOS Information (type 0) strings we add when QEMU gives no type 0. qboot_tables/firmware_host.py reads
 * these three lines, so the Python model (smbios.place_smbios type0_strings=...) builds the same bytes. */
#define SMBIOS_TYPE0_VENDOR "qboot-tables"
#define SMBIOS_TYPE0_VERSION "qboot-tables 1.0"
#define SMBIOS_TYPE0_DATE "11/25/2026"

enum smbios_error {
	SMBIOS_OK = 0,
	SMBIOS_E_ABSENT = 1,	/* QEMU gave no anchor or no tables: nothing to place */
	SMBIOS_E_ANCHOR = 2,	/* anchor neither _SM_ nor _SM3_, or cut short */
	SMBIOS_E_NO_ROOM = 3,
	SMBIOS_E_IO = 4,
	SMBIOS_E_ENTRIES = 5,	/* FW_CFG_SMBIOS_ENTRIES malformed: cut short, or an entry too short for its kind */
	SMBIOS_E_TABLE_SIZE = 6,	/* the legacy table would overrun SeaBIOS's 32 KiB build buffer */
	SMBIOS_E_UNWALKABLE = 7,	/* QEMU's strings or structures would make a guest misread the legacy table */
};

/* Places the tables (zone HIGH, 16-aligned, through env->alloc named SMBIOS_TABLES_FILE) and the entry point
 * (zone FSEG, 16-aligned, named SMBIOS_ANCHOR_FILE), in that order, as qboot_tables/loader.py does. With
 * add_type0, a table without a type 0 gets ours in front. Returns 0 or a negative SMBIOS_E_* code. */
int smbios_setup(const struct loader_env *env, int add_type0);

/* Legacy SMBIOS (QEMU hw/smbios/smbios.c smbios_get_tables_legacy): machine types pc-i440fx-2.0 down to 1.4 and
 * isapc give no etc/smbios files, only type 0 and 1 fields and -smbios file= structures at the selector
 * FW_CFG_SMBIOS_ENTRIES, and the firmware builds the table. These names are the Python model's
 * (qboot_tables/read/loader.py LEGACY_SMBIOS_TABLES, LEGACY_SMBIOS_ANCHOR): no fw_cfg file holds them. */
#define SMBIOS_LEGACY_TABLES "smbios/legacy-tables"
#define SMBIOS_LEGACY_ANCHOR "smbios/legacy-anchor"

struct smbios_legacy_input {
	const uint8_t *entries;	/* the item from its start: u16 count, then the entries */
	uint32_t size;
	uint32_t cpus;		/* SeaBIOS's MaxCountCPUs: the larger of fw_cfg's max_cpus and nb_cpus, at least 1 */
	uint64_t ram_size;	/* fw_cfg's RAM size: the split used only when etc/e820 lists no RAM */
};

/* How many bytes the item needs, judged from its first len bytes: more than len means read on from len. 0 when
 * an entry's length is shorter than its header (qboot_tables/smbios_legacy.py entries_size). */
uint32_t smbios_legacy_entries_size(const uint8_t *raw, uint32_t len);
/* Builds the table as SeaBIOS's smbios_legacy_setup does and places it as qboot_tables/read/loader.py's
 * place_legacy_smbios does: SMBIOS_LEGACY_TABLES (16-aligned, zone FSEG up to 600 bytes, else HIGH), then
 * SMBIOS_LEGACY_ANCHOR (a 2.4 entry point, 16-aligned in FSEG). Returns 0 or a negative SMBIOS_E_* code. */
int smbios_legacy_setup(const struct loader_env *env, const struct smbios_legacy_input *in);

#endif
