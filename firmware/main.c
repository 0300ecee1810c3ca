/* Sequences the boot: chipset, fw_cfg, PCI, ACPI tables, SMBIOS, MP table, e820, Linux. */
#include "console.h"	/* phase lines */
#include "e820.h"	/* the memory map */
#include "fw_cfg.h"	/* the transport and the file directory */
#include "io.h"		/* phys */
#include "layout.h"	/* fixed addresses */
#include "linuxboot.h"	/* the last step */
#include "loader.h"	/* run_table_loader_ex and its platform hooks */
#include "memory.h"	/* zones and scratch */
#include "pci.h"	/* chipset and bus set-up */
#include "smbios.h"	/* smbios_setup */
#include "util.h"	/* fw_memset, cpu_enable_sse2 */
#if __has_include("mptable.h")
#include "mptable.h"	/* mptable_setup, once it exists */
#define HAVE_MPTABLE 1
#endif

void main(void);

const struct fw_file *env_find(void *ctx, const char *name)
{
	(void)ctx;
	return fw_cfg_find(name);
}

int env_read(void *ctx, const struct fw_file *file, void *dst, uint32_t len)
{
	(void)ctx;
	if (len > file->size)
		return -1;
	fw_cfg_read_item(file->select, dst, len);
	return 0;
}

int env_write(void *ctx, const struct fw_file *file, uint32_t offset, const void *src, uint32_t len)
{
	(void)ctx;
	if (offset > file->size || len > file->size - offset)
		return -1;
	return fw_cfg_write(file->select, offset, src, len);
}

void *env_alloc(void *ctx, const char *name, uint32_t size, uint32_t align, int zone)
{
	(void)ctx;
	return zone_alloc(name, size, align, zone);
}

static void env_log(void *ctx, const char *message)
{
	(void)ctx;
	console_printf("%s\n", message);
}

/* Not const: main drops .log when there is no debug console, so the table code formats no lines. */
static struct loader_env env = {
	.find = env_find,
	.read = env_read,
	.write = env_write,
	.alloc = env_alloc,
	.log = env_log,
};

static void load_acpi_tables(void)
{
	const struct fw_file *file = fw_cfg_find("etc/table-loader");
	if (!file) {
		console_printf("phase loader: no etc/table-loader, no ACPI\n");
		return;
	}
	/* Selecting an ACPI file makes QEMU rebuild the tables from the chipset state we just programmed
	 * (hw/i386/acpi-build.c acpi_build_update), which may resize them: read the directory again after it. */
	uint32_t size = file->size;
	uint8_t *script = scratch_alloc(size, 16);
	if (!script) {
		console_printf("error: etc/table-loader too large, no ACPI\n");
		return;
	}
	fw_cfg_read_item(file->select, script, size);
	fw_cfg_load_directory();
	file = fw_cfg_find("etc/table-loader");
	if (!file || file->size != size) {
		console_printf("error: etc/table-loader changed size on rebuild, no ACPI\n");
		return;
	}
	console_printf("phase loader %u commands\n", size / 128);
	struct zone_mark before = zone_mark();
	struct loader_failure failure = {-1, ""};
	int error = run_table_loader_ex(&env, script, size, &failure);
	if (error) {
		/* Wipe what the loader placed so that no guest finds a half-linked RSDP. */
		zone_rollback(before);
		console_printf("error: loader: %s at command %u field %s; booting without ACPI\nrollback\n",
			       loader_error_name(error), (uint32_t)failure.index, failure.field ? failure.field : "?");
	}
}

/* Old machine types (pc-i440fx-2.0 and older, isapc) have no etc/smbios files, only FW_CFG_SMBIOS_ENTRIES
 * (QEMU hw/i386/fw_cfg.c fw_cfg_build_smbios adds it in legacy mode alone). The item publishes no size: its
 * count and each entry's length say how much more to read, as SeaBIOS's qemu_cfg_legacy walks it. Out of line
 * and cold: pc and q35 never get here, and their path stays as it was (tools/bench-firmware). */
static __attribute__((noinline, cold)) int load_legacy_smbios(void)
{
	struct smbios_legacy_input in = {0};
	uint32_t room, have = 0, need = 2, nb, max;
	/* Read from the start again while more is needed (DMA: the bytes cost no guest instructions); the item
	 * is dropped before anything else takes scratch. */
	uint8_t *raw = scratch_free_space(&room);
	while (need > have) {
		if (need > room)
			return -SMBIOS_E_NO_ROOM;
		fw_cfg_read_item(FW_CFG_SMBIOS_ENTRIES, raw, need);
		have = need;
		need = smbios_legacy_entries_size(raw, have);
	}
	nb = fw_cfg_read32(FW_CFG_NB_CPUS) & 0xFFFF;	/* 16-bit items */
	max = fw_cfg_read32(FW_CFG_MAX_CPUS) & 0xFFFF;
	in.entries = raw;
	in.size = have;
	in.cpus = nb > max ? nb : max;
	if (!in.cpus)
		in.cpus = 1;
	fw_cfg_read_item(FW_CFG_RAM_SIZE, &in.ram_size, sizeof(in.ram_size));
	console_printf("smbios: FW_CFG_SMBIOS_ENTRIES %u bytes\n", have);
	return smbios_legacy_setup(&env, &in);
}

/* In .data: one list for one e820_set_list call, the HIGH zone's range filled in when it is known. */
static struct e820_entry reservations[] = {
	/* VGA memory and option ROM space are not RAM; the F- and E-segments hold the firmware and its tables. */
	{LOW_RAM_END, FSEG_ZONE_START - LOW_RAM_END, 0},
	{FSEG_ZONE_START, BIOS_AREA_END - FSEG_ZONE_START, E820_RESERVED},
	/* ACPI tables (FACS included: Linux must never reuse it) and SMBIOS, in the HIGH zone. */
	{0, 0, E820_RESERVED},
	/* The ROM below 4 GiB. */
	{0x100000000ull - ROM_SIZE, ROM_SIZE, E820_RESERVED},
};

static void reserve_firmware_memory(void)
{
	/* Whole pages, as Linux trims RAM to pages anyway; an empty range sets nothing. */
	uint32_t bottom = high_zone_bottom() & ~0xFFFu, top = high_zone_top();
	reservations[2].addr = bottom;
	reservations[2].size = bottom < top ? top - bottom : 0;
	e820_set_list(reservations, sizeof(reservations) / sizeof(reservations[0]));
}

/* microvm's Generic Event Device sleep control register (QEMU hw/i386/microvm.h GED_MMIO_BASE_REGS,
 * include/hw/acpi/generic_event_device.h ACPI_GED_REG_SLEEP_CTL): SLP_EN (bit 5) with SLP_TYP 5, S5. */
#define GED_SLEEP_CTL 0xFEA00200u
#define GED_SLEEP_S5 (1u << 5 | 5u << 2)

/* After a fatal error: ACPI soft-off, so a test sees QEMU exit instead of waiting for its timeout. On pc and
 * q35 through PM1a_CNT (SLP_EN, and SLP_TYP 0, QEMU's \_S5), at the PM base chipset_setup programmed; on
 * microvm through the GED, which exists only with acpi=on (without it the write reaches nothing, and the
 * firmware halts after its "power off" line). */
static void power_off(enum chipset chipset)
{
	console_printf("power off\n");
	if (chipset == CHIPSET_NONE)
		*(volatile uint8_t *)phys(GED_SLEEP_CTL) = GED_SLEEP_S5;
	else
		outw(0x604, 0x2000);
}

/* Linux reboots, once ACPI and the keyboard controller have failed, by jumping to the reset vector in real mode
 * (arch/x86/kernel/reboot.c, BOOT_BIOS before BOOT_TRIPLE), and so it does on microvm with acpi=off, which has
 * neither. Where the ROM is RAM (microvm: hw/i386/x86.c x86_bios_rom_init with isapc_ram_fw), QEMU writes the
 * image back on every reset (hw/core/loader.c rom_reset), so a marker found there means no reset happened: make
 * one with a triple fault, which QEMU's -no-reboot turns into an exit. Where the ROM is ROM the store is lost. */
#define BOOT_MARKER 0x544F4F42u	/* "BOOT" */
static void reset_if_restarted(void)
{
	volatile uint32_t *marker = phys(ROM_SPARE + 4);
	if (*marker == BOOT_MARKER) {
		static const struct { uint16_t limit; uint32_t base; } __attribute__((packed)) no_idt = {0, 0};
		console_printf("restart without a reset: triple fault\n");
		__asm__ volatile("lidt %0\n\tint3" : : "m"(no_idt));
	}
	*marker = BOOT_MARKER;
}

void main(void)
{
	int console = console_init();
	if (!console)
		env.log = 0;
	reset_if_restarted();
	console_printf("phase start\n");
	cpu_enable_sse2();
	enum chipset chipset = chipset_setup();
	if (!fw_cfg_init()) {
		console_printf("error: no fw_cfg at port 0x510; nothing to boot\n");
		power_off(chipset);
		return;
	}
	console_printf("phase fw_cfg %s\n", fw_cfg_has_dma() ? "dma" : "io");
	fw_cfg_load_directory();
	if (e820_load()) {
		console_printf("error: no usable etc/e820; nothing to boot\n");
		power_off(chipset);
		return;
	}
	uint32_t ram_top = e820_ram_top_below_4g();
	if (chipset != CHIPSET_NONE)
		pci_setup(chipset, ram_top);
	zones_init(ram_top);
	load_acpi_tables();
	console_printf("phase smbios\n");
	int error = smbios_setup(&env, 1);
	/* No FW_CFG_SMBIOS_ENTRIES reads as zeros (hw/nvram/fw_cfg.c): no entries, nothing to build, as in the
	 * model. Checked here, where microvm (no SMBIOS at all) pays for the port read alone. */
	if (error == -SMBIOS_E_ABSENT && fw_cfg_read32(FW_CFG_SMBIOS_ENTRIES) & 0xFFFF)
		error = load_legacy_smbios();
	if (error && error != -SMBIOS_E_ABSENT) {
		console_printf("error: smbios %u\n", (uint32_t)-error);
	}
#ifdef HAVE_MPTABLE
	console_printf("phase mptable\n");
	mptable_setup(&env);
#endif
	reserve_firmware_memory();
	if (console)	/* its lines are all it does */
		e820_print();
	linux_boot(high_zone_bottom() & ~0xFFFu);
	power_off(chipset);
}
