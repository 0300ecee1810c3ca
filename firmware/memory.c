/* Allocators for scratch data and for the tables Linux keeps (the loader's zones). */
#include "memory.h"
#include "console.h"	/* the alloc lines the Python side links with */
#include "io.h"		/* phys */
#include "layout.h"	/* scratch and F-segment bounds, ROM_SIZE */
#include "loader.h"	/* LOADER_ZONE_HIGH, LOADER_ZONE_FSEG */
#include "pci.h"	/* chipset_open_eseg */
#include "util.h"	/* fw_memset */

/* Leave the kernel's own first 16 MiB alone: the decompressor runs at LOAD_PHYSICAL_ADDR (16 MiB). */
#define HIGH_ZONE_FLOOR 0x1000000

struct range {
	uint32_t next, end;
};

static uint32_t scratch_next = SCRATCH_START;
static uint32_t high_top, high_next;
/* The F-segment first (Linux scans only 0xF0000-0xFFFFF for SMBIOS and the MP table), then 0xE0000-0xEFFFF. */
static struct range fseg_ranges[2];

static uint32_t align_up(uint32_t v, uint32_t align)
{
	return (v + align - 1) & ~(align - 1);
}

void *scratch_alloc(uint32_t size, uint32_t align)
{
	/* scratch_next never passes SCRATCH_END, far below 4 GiB, so aligning it cannot wrap. */
	uint32_t start = align_up(scratch_next, align);
	if (start > SCRATCH_END || size > SCRATCH_END - start)
		return 0;
	scratch_next = start + size;
	return (void *)(uintptr_t)start;
}

void *scratch_free_space(uint32_t *size)
{
	*size = scratch_next < SCRATCH_END ? SCRATCH_END - scratch_next : 0;
	return (void *)(uintptr_t)scratch_next;
}

/* firmware.ld: the end of the ROM's bytes (code, rodata, .data's load image), at its address below 4 GiB. */
extern const char image_end[];
#define ROM_BASE (0u - ROM_SIZE)

/* Whether 0xF0000-0xFFFFF is the ROM itself rather than RAM of its own. QEMU maps the ROM's last 64 KiB there
 * (hw/i386/x86.c x86_bios_rom_init, "isa-bios") and makes both writable RAM when the machine passes
 * isapc_ram_fw, as microvm does (hw/i386/microvm.c microvm_devices_init): a table written there would
 * overwrite the code running at 0xFFFF0000. On pc and q35 PAM has turned the segment into separate RAM. The
 * probe writes the F-segment twin of a spare byte below the reset vector and looks for it at the top. */
static int fseg_is_rom(void)
{
	volatile uint8_t *fseg = phys(BIOS_AREA_END - (0u - ROM_SPARE)), *rom = phys(ROM_SPARE);
	uint8_t kept = *fseg, probe = (uint8_t)~*rom;
	*fseg = probe;
	int aliased = *rom == probe;
	*fseg = kept;
	return aliased;
}

void zones_init(uint32_t ram_top_below_4g)
{
	high_top = high_next = ram_top_below_4g;
	fseg_ranges[0] = (struct range){FSEG_START, BIOS_AREA_END};
	if (fseg_is_rom()) {
		/* Only what lies between the image and ROM_SPARE (then the reset vector) is free. */
		fseg_ranges[0].next = align_up(FSEG_START + (uint32_t)(uintptr_t)image_end - ROM_BASE, 16);
		fseg_ranges[0].end = FSEG_START + (ROM_SPARE - ROM_BASE);
	}
	fseg_ranges[1] = (struct range){FSEG_ZONE_START, FSEG_START};
}

void *zone_alloc(const char *name, uint32_t size, uint32_t align, int zone)
{
	uint32_t address = 0;
	/* Each zone's tests are made together (fw_one_test): one branch, where each is a translation block under
	 * TCG. */
	if (zone == LOADER_ZONE_HIGH) {
		/* Down from the top, never below the floor (nor anywhere when the RAM ends below it). */
		uint32_t start = (high_next - size) & ~(align - 1);
		if (fw_one_test((size <= high_next) & (start >= HIGH_ZONE_FLOOR)))
			address = high_next = start;
	} else if (zone == LOADER_ZONE_FSEG) {
		/* The first range where it fits; each next is at most 1 MiB, so aligning cannot wrap. */
		uint32_t start0 = align_up(fseg_ranges[0].next, align), start1 = align_up(fseg_ranges[1].next, align);
		uint32_t fits0 = (start0 <= fseg_ranges[0].end) & (size <= fseg_ranges[0].end - start0);
		uint32_t fits1 = (start1 <= fseg_ranges[1].end) & (size <= fseg_ranges[1].end - start1);
		if (fw_one_test(fits0 | fits1)) {
			address = fits0 ? start0 : start1;
			fseg_ranges[!fits0].next = address + size;
			if (!fits0)	/* the E-segment's first table: PAM makes it RAM now (chipset.c) */
				chipset_open_eseg();
		}
	}
	/* One test for the usual case, placed and no console (each test is a translation block under TCG). */
	if (fw_one_test((address == 0) | (console_present != 0))) {
		if (!address) {
			console_printf("error: no room for %s size 0x%x\n", name, size);
			return 0;
		}
		console_printf("alloc %s 0x%x 0x%x\n", name, address, size);
	}
	return (void *)(uintptr_t)address;
}

uint32_t high_zone_bottom(void)
{
	return high_next;
}

uint32_t high_zone_top(void)
{
	return high_top;
}

struct zone_mark zone_mark(void)
{
	return (struct zone_mark){high_next, {fseg_ranges[0].next, fseg_ranges[1].next}};
}

void zone_rollback(struct zone_mark mark)
{
	fw_memset((void *)(uintptr_t)high_next, 0, mark.high_next - high_next);
	high_next = mark.high_next;
	for (unsigned i = 0; i < 2; i++) {
		fw_memset((void *)(uintptr_t)mark.fseg_next[i], 0, fseg_ranges[i].next - mark.fseg_next[i]);
		fseg_ranges[i].next = mark.fseg_next[i];
	}
}
