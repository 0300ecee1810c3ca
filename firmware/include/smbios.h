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
};

/* Places the tables (zone HIGH, 16-aligned, through env->alloc named SMBIOS_TABLES_FILE) and the entry point
 * (zone FSEG, 16-aligned, named SMBIOS_ANCHOR_FILE), in that order, as qboot_tables/loader.py does. With
 * add_type0, a table without a type 0 gets ours in front. Returns 0 or a negative SMBIOS_E_* code. */
int smbios_setup(const struct loader_env *env, int add_type0);

#endif
