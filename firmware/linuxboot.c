/* The 32-bit boot protocol (Linux Documentation/x86/boot.rst): kernel at 1 MiB, a zero page, and a jump. */
#include "linuxboot.h"
#include "console.h"	/* phase lines */
#include "e820.h"	/* the map for boot_params */
#include "fw_cfg.h"	/* kernel, initrd, command line and setup items */
#include "io.h"		/* phys */
#include "layout.h"	/* fixed low-memory addresses */
#include "util.h"	/* fw_one_test */
#include <string.h>	/* memcpy, memset (string.c) */

#define SETUP_HEADER_START 0x1F1	/* boot_params.hdr starts at setup_sects */
#define SETUP_HEADER_MAGIC 0x53726448	/* "HdrS" at 0x202 */
#define LOADER_TYPE_UNDEFINED 0xFF	/* type_of_loader for a boot loader without an assigned ID */
#define LOADFLAGS_CAN_USE_HEAP 0x80

/* The parts of struct boot_params (arch/x86/include/uapi/asm/bootparam.h) a 32-bit entry needs. */
struct boot_params {
	uint8_t screen_info[0x40];
	uint8_t pad0[0x1E8 - 0x40];
	uint8_t e820_entries;		/* 0x1E8 */
	uint8_t pad1[SETUP_HEADER_START - 0x1E9];
	struct {
		uint8_t setup_sects;	/* 0x1F1 */
		uint8_t pad2[0x202 - 0x1F2];
		uint32_t header;	/* 0x202 "HdrS" */
		uint16_t version;	/* 0x206 */
		uint8_t pad3[0x210 - 0x208];
		uint8_t type_of_loader;	/* 0x210 */
		uint8_t loadflags;	/* 0x211 */
		uint16_t setup_move_size;
		uint32_t code32_start;	/* 0x214 */
		uint32_t ramdisk_image;	/* 0x218 */
		uint32_t ramdisk_size;	/* 0x21C */
		uint32_t bootsect_kludge;
		uint16_t heap_end_ptr;	/* 0x224 */
		uint8_t ext_loader_ver;
		uint8_t ext_loader_type;
		uint32_t cmd_line_ptr;	/* 0x228 */
		uint32_t initrd_addr_max;	/* 0x22C */
		uint8_t pad4[0x238 - 0x230];
		uint32_t cmdline_size;	/* 0x238 */
		uint8_t pad5[0x250 - 0x23C];
		uint64_t setup_data;	/* 0x250 */
	} __attribute__((packed)) hdr;
	uint8_t pad6[0x2D0 - 0x258];
	struct e820_entry e820_table[E820_MAX_ENTRIES];	/* 0x2D0 */
	uint8_t pad7[0x1000 - 0x2D0 - E820_MAX_ENTRIES * 20];
} __attribute__((packed));
_Static_assert(sizeof(struct boot_params) == 0x1000, "boot_params is one page");
_Static_assert(__builtin_offsetof(struct boot_params, hdr.code32_start) == 0x214, "code32_start at 0x214");
_Static_assert(__builtin_offsetof(struct boot_params, hdr.cmdline_size) == 0x238, "cmdline_size at 0x238");
_Static_assert(__builtin_offsetof(struct boot_params, hdr.setup_data) == 0x250, "setup_data at 0x250");
_Static_assert(__builtin_offsetof(struct boot_params, e820_table) == 0x2D0, "e820_table at 0x2D0");

/* entry.S reads its arguments from the stack, whatever -mregparm the C code is built with. */
void enter_linux(uint32_t entry, struct boot_params *params) __attribute__((noreturn, regparm(0)));

static void fail(const char *why)
{
	console_printf("error: linux boot: %s\n", why);
}

void linux_boot(uint32_t initrd_top)
{
	uint32_t setup_size = fw_cfg_read32(FW_CFG_SETUP_SIZE);
	uint32_t kernel_size = fw_cfg_read32(FW_CFG_KERNEL_SIZE);
	struct boot_params *params = phys(BOOT_PARAMS_ADDR);
	uint8_t *zero_page = (uint8_t *)params;
	/* Tests made together where they can be (fw_one_test): under TCG each branch ends a translation block. */
	if (fw_one_test((kernel_size == 0) | (setup_size < 0x250))) {
		fail(kernel_size ? "setup sectors missing" : "no kernel in fw_cfg (-kernel)");
		return;
	}
	/* The zero page: zeros, with the setup sectors' header in place. The header runs from 0x1F1 to 0x202 plus
	 * the byte at 0x201 (the jump at 0x200 skips over it), so it is read in two parts. */
	uint32_t head = setup_size < sizeof(*params) ? setup_size : sizeof(*params);
	fw_cfg_zero(params, sizeof(*params));
	fw_cfg_read_at(FW_CFG_SETUP_DATA, SETUP_HEADER_START, zero_page + SETUP_HEADER_START, 0x202 - SETUP_HEADER_START);
	uint32_t header_end = 0x202 + zero_page[0x201];
	header_end = fw_one_test(header_end > head) ? 0x250 : header_end;	/* a conditional move, no block */
	fw_cfg_read(zero_page + 0x202, header_end - 0x202);
	if (fw_one_test((params->hdr.header != SETUP_HEADER_MAGIC) | (params->hdr.version < 0x0206))) {
		fail("not a bzImage of boot protocol 2.06 or later");
		return;
	}

	fw_cfg_read_item(FW_CFG_KERNEL_DATA, phys(KERNEL_ADDR), kernel_size);

	/* QEMU filled in its own loader's addresses; these are ours. */
	params->hdr.type_of_loader = LOADER_TYPE_UNDEFINED;
	params->hdr.loadflags &= ~LOADFLAGS_CAN_USE_HEAP;	/* the heap is the real-mode setup's; not run */
	params->hdr.heap_end_ptr = 0;
	params->hdr.setup_data = 0;

	uint32_t cmdline_size = fw_cfg_read32(FW_CFG_CMDLINE_SIZE);	/* includes the NUL */
	uint32_t cmdline_max = params->hdr.cmdline_size + 1 < CMDLINE_MAX ? params->hdr.cmdline_size + 1 : CMDLINE_MAX;
	char *cmdline = phys(CMDLINE_ADDR);
	if (cmdline_size > cmdline_max) {
		fail("command line truncated");
		cmdline_size = cmdline_max;
	}
	fw_cfg_read_item(FW_CFG_CMDLINE_DATA, cmdline, cmdline_size);
	cmdline[cmdline_size - (cmdline_size != 0)] = 0;
	params->hdr.cmd_line_ptr = CMDLINE_ADDR;

	uint32_t initrd_size = fw_cfg_read32(FW_CFG_INITRD_SIZE);
	if (initrd_size) {
		/* As high as possible: below the tables and at most initrd_addr_max, page-aligned. */
		uint32_t top = initrd_top;
		if (params->hdr.initrd_addr_max && params->hdr.initrd_addr_max < top - 1)
			top = params->hdr.initrd_addr_max + 1;
		uint32_t address = (top - initrd_size) & ~0xFFFu;
		if (initrd_size > top || address < KERNEL_ADDR + kernel_size) {
			fail("the initrd does not fit between the kernel and the tables");
			return;
		}
		fw_cfg_read_item(FW_CFG_INITRD_DATA, phys(address), initrd_size);
		params->hdr.ramdisk_image = address;
		params->hdr.ramdisk_size = initrd_size;
	}

	uint32_t count;
	const struct e820_entry *map = e820_entries(&count);
	memcpy(params->e820_table, map, count * sizeof(*map));
	params->e820_entries = (uint8_t)count;

	console_printf("phase boot kernel 0x%x protocol 0x%x initrd 0x%x 0x%x\n", params->hdr.code32_start,
		       params->hdr.version, params->hdr.ramdisk_image, initrd_size);
	enter_linux(params->hdr.code32_start, params);
}
