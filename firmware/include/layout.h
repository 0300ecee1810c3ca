/* Where the firmware keeps things in low RAM; everything here is free again once Linux runs. */
#ifndef LAYOUT_H
#define LAYOUT_H

#define ROM_SIZE 0x10000		/* must match firmware.ld; the ROM runs in place just below 4 GiB */
/* 16 bytes below the reset vector that the image never uses (firmware.ld checks): where a ROM that is RAM
 * (microvm) keeps its boot marker, and the memory.c probe looks. */
#define ROM_SPARE 0xFFFFFFE0u
#define STACK_TOP 0x8000		/* the stack grows down to 0x1000, above the real-mode IVT and BDA */
#define BOOT_PARAMS_ADDR 0x8000		/* Linux's zero page, 4 KiB */
#define CMDLINE_ADDR 0x9000		/* the kernel command line, up to CMDLINE_MAX bytes with its NUL */
#define CMDLINE_MAX 0x7000
#define SCRATCH_START 0x10000		/* fw_cfg directory, table-loader script, kernel setup: scratch only */
#define SCRATCH_END 0x90000
#define DATA_ADDR 0x90000		/* .data, .bss and .noinit (firmware.ld) */
#define LOW_RAM_END 0xA0000		/* VGA memory starts here */
#define FSEG_ZONE_START 0xE0000		/* table-loader FSEG zone: 0xE0000-0xFFFFF */
#define FSEG_START 0xF0000		/* Linux scans only here for SMBIOS and the MP table */
#define BIOS_AREA_END 0x100000
#define KERNEL_ADDR 0x100000		/* the protected-mode kernel (Documentation/x86/boot.rst, code32_start) */

#endif
