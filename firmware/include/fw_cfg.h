/* QEMU's fw_cfg interface (docs/specs/fw_cfg.rst): DMA when offered, port I/O otherwise, files by name. */
#ifndef FW_CFG_H
#define FW_CFG_H

#include <stdint.h>	/* selector and length widths */
#include "loader.h"	/* struct fw_file, shared with the table-loader */

/* Well-known selectors (QEMU include/standard-headers/linux/qemu_fw_cfg.h). */
#define FW_CFG_SIGNATURE 0x00
#define FW_CFG_ID 0x01
#define FW_CFG_RAM_SIZE 0x03
#define FW_CFG_NB_CPUS 0x05
#define FW_CFG_KERNEL_SIZE 0x08
#define FW_CFG_INITRD_SIZE 0x0B
#define FW_CFG_MAX_CPUS 0x0F
#define FW_CFG_KERNEL_DATA 0x11
#define FW_CFG_INITRD_DATA 0x12
#define FW_CFG_CMDLINE_SIZE 0x14
#define FW_CFG_CMDLINE_DATA 0x15
#define FW_CFG_SETUP_SIZE 0x17
#define FW_CFG_SETUP_DATA 0x18
#define FW_CFG_FILE_DIR 0x19
#define FW_CFG_SMBIOS_ENTRIES 0x8001	/* legacy SMBIOS (FW_CFG_ARCH_LOCAL + 1, hw/i386/fw_cfg.h) */

/* 0 when no fw_cfg answers; otherwise 1 and fw_cfg_has_dma() says which transport is used. */
int fw_cfg_init(void);
int fw_cfg_has_dma(void);
/* Select an item and read len bytes from its start; then fw_cfg_read continues where the last read ended. */
void fw_cfg_read_item(uint16_t select, void *dst, uint32_t len);
void fw_cfg_read(void *dst, uint32_t len);
/* Select an item and read len bytes from offset on; fw_cfg_read then continues after them. */
void fw_cfg_read_at(uint16_t select, uint32_t offset, void *dst, uint32_t len);
/* Zero len bytes at dst: by DMA when there is DMA, else with memset. */
void fw_cfg_zero(void *dst, uint32_t len);
uint32_t fw_cfg_read32(uint16_t select);	/* little-endian items such as sizes */
/* Write len bytes at offset into a file (DMA only: QEMU 7.2 ignores port writes). 0 on success. */
int fw_cfg_write(uint16_t select, uint32_t offset, const void *src, uint32_t len);
/* Read the whole file directory (selector 0x19) into scratch memory; returns the entry count. */
uint32_t fw_cfg_load_directory(void);
/* The entry named name, or NULL; n is strlen(name). */
const struct fw_file *fw_cfg_find_n(const char *name, uint32_t n);
/* Always inline: a literal's length is folded at compile time, where fw_strlen's repne scasb would be three
 * more translation blocks for TCG. */
static inline __attribute__((always_inline)) const struct fw_file *fw_cfg_find(const char *name)
{
	return fw_cfg_find_n(name, (uint32_t)__builtin_strlen(name));
}

#endif
