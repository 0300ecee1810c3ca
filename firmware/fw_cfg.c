/* fw_cfg transport: DMA descriptors when the ID item has the DMA bit, otherwise byte reads from port 0x511. */
#include "fw_cfg.h"
#include "io.h"		/* ports */
#include "memory.h"	/* scratch_alloc for the directory */
#include "util.h"	/* fw_load_le */

/* x86 ports (QEMU hw/nvram/fw_cfg.c, FW_CFG_IO_BASE 0x510 and FW_CFG_DMA_IO_BASE 0x514). */
#define PORT_SELECTOR 0x510
#define PORT_DATA 0x511
#define PORT_DMA_HIGH 0x514
#define PORT_DMA_LOW 0x518
#define FW_CFG_ID_DMA 0x2
/* DMA control bits (docs/specs/fw_cfg.rst, "FWCfgDmaAccess"). */
#define DMA_CTL_ERROR 0x01
#define DMA_CTL_READ 0x02
#define DMA_CTL_SKIP 0x04
#define DMA_CTL_SELECT 0x08
#define DMA_CTL_WRITE 0x10

struct fw_cfg_dma_access {
	uint32_t control;	/* big-endian, like every field */
	uint32_t length;
	uint64_t address;
} __attribute__((packed));
_Static_assert(sizeof(struct fw_cfg_dma_access) == 16, "FWCfgDmaAccess is 16 bytes");

_Static_assert(sizeof(struct fw_file) == 64, "FWCfgFile is 64 bytes");
/* fw_cfg_find.S's constants. */
_Static_assert(__builtin_offsetof(struct fw_file, size) == 0 && __builtin_offsetof(struct fw_file, select) == 4 &&
	       __builtin_offsetof(struct fw_file, reserved) == 6 && __builtin_offsetof(struct fw_file, name) == 8 &&
	       LOADER_NAME_SIZE == 56, "struct fw_file as fw_cfg_find.S lays it out");

static int use_dma;
/* Global for fw_cfg_find.S (fw_cfg_find_n), which reads them. */
struct fw_file *fw_cfg_directory;
uint32_t fw_cfg_directory_count;


static int dma_transfer(uint32_t control, void *address, uint32_t len)
{
	static volatile struct fw_cfg_dma_access access __attribute__((aligned(16)));
	access.control = __builtin_bswap32(control);
	access.length = __builtin_bswap32(len);
	access.address = __builtin_bswap64((uint32_t)(uintptr_t)address);
	__asm__ volatile("" : : : "memory");
	/* The descriptor address is big-endian too; the write to the low half starts the transfer. The high half
	 * stays zero: QEMU clears the whole address at every transfer (hw/nvram/fw_cfg.c fw_cfg_dma_transfer), and
	 * fw_cfg_init wrote zero there once, in case a previous guest left a half-written address. */
	outl(PORT_DMA_LOW, __builtin_bswap32((uint32_t)(uintptr_t)&access));
	/* QEMU completes the transfer before the write returns; the loop only honours the protocol. */
	uint32_t status;
	while ((status = __builtin_bswap32(access.control)) & ~DMA_CTL_ERROR)
		;
	return status & DMA_CTL_ERROR ? -1 : 0;
}

int fw_cfg_init(void)
{
	char signature[4];
	uint32_t features;
	use_dma = 0;
	fw_cfg_read_item(FW_CFG_SIGNATURE, signature, sizeof(signature));
	if (fw_load_le((const uint8_t *)signature, 4) != 0x554D4551u)	/* "QEMU", little-endian */
		return 0;
	fw_cfg_read_item(FW_CFG_ID, &features, sizeof(features));
	/* Reading the DMA port's 8 bytes gives "QEMU CFG" when the DMA interface really is there. */
	if (features & FW_CFG_ID_DMA) {
		uint32_t high = inl(PORT_DMA_HIGH), low = inl(PORT_DMA_LOW);
		use_dma = __builtin_bswap32(high) == 0x51454D55 && __builtin_bswap32(low) == 0x20434647;
		outl(PORT_DMA_HIGH, 0);
	}
	return 1;
}

int fw_cfg_has_dma(void)
{
	return use_dma;
}

void fw_cfg_read_item(uint16_t select, void *dst, uint32_t len)
{
	if (use_dma) {
		dma_transfer(DMA_CTL_SELECT | DMA_CTL_READ | (uint32_t)select << 16, dst, len);
		return;
	}
	outw(PORT_SELECTOR, select);
	insb(PORT_DATA, dst, len);
}

void fw_cfg_read(void *dst, uint32_t len)
{
	if (use_dma)
		dma_transfer(DMA_CTL_READ, dst, len);
	else
		insb(PORT_DATA, dst, len);
}

void fw_cfg_read_at(uint16_t select, uint32_t offset, void *dst, uint32_t len)
{
	if (use_dma) {
		dma_transfer(DMA_CTL_SELECT | DMA_CTL_SKIP | (uint32_t)select << 16, 0, offset);
		dma_transfer(DMA_CTL_READ, dst, len);
		return;
	}
	outw(PORT_SELECTOR, select);
	while (offset--)
		inb(PORT_DATA);
	insb(PORT_DATA, dst, len);
}

/* Selector 0xFFFF names no item (QEMU include/hw/nvram/fw_cfg.h FW_CFG_INVALID), and a DMA read of no item, or
 * past an item's end, stores zeros (hw/nvram/fw_cfg.c fw_cfg_dma_transfer, dma_memory_set): one transfer, where
 * rep stosl executes once per dword. */
#define SELECT_NOTHING 0xFFFFu

void fw_cfg_zero(void *dst, uint32_t len)
{
	/* One test for both ways (a branch is a translation block under TCG); a DMA error cannot happen here,
	 * as no item is selected. */
	if (use_dma)
		dma_transfer(DMA_CTL_SELECT | DMA_CTL_READ | SELECT_NOTHING << 16, dst, len);
	else
		memset(dst, 0, len);
}

uint32_t fw_cfg_read32(uint16_t select)
{
	/* Port I/O even with DMA: four byte reads cost fewer instructions than building a descriptor and waiting
	 * for it. Past a shorter item's end the port reads zeros (hw/nvram/fw_cfg.c fw_cfg_data_read). Four inb,
	 * not rep insb: TCG ends a translation block at a rep string instruction and starts another after it,
	 * and each block costs QEMU about as much to translate as thirty instructions. */
	outw(PORT_SELECTOR, select);
	uint32_t v = inb(PORT_DATA);
	v |= (uint32_t)inb(PORT_DATA) << 8;
	v |= (uint32_t)inb(PORT_DATA) << 16;
	return v | (uint32_t)inb(PORT_DATA) << 24;
}

int fw_cfg_write(uint16_t select, uint32_t offset, const void *src, uint32_t len)
{
	if (!use_dma)
		return -1;
	/* Select and skip to the offset, then write from there (docs/specs/fw_cfg.rst: SKIP advances the offset). */
	if (dma_transfer(DMA_CTL_SELECT | DMA_CTL_SKIP | (uint32_t)select << 16, 0, offset))
		return -1;
	return dma_transfer(DMA_CTL_WRITE, (void *)src, len);
}

uint32_t fw_cfg_load_directory(void)
{
	uint32_t count_be, count;
	fw_cfg_read_item(FW_CFG_FILE_DIR, &count_be, sizeof(count_be));
	count = __builtin_bswap32(count_be);
	/* Bounded by scratch memory, not by a fixed table: 8 K entries fit in 512 KiB. Selectors are 16-bit, so a
	 * larger count is garbage, and would wrap the size in bytes. */
	struct fw_file *files = count >> 16 ? 0 : scratch_alloc(count * sizeof(*files), 4);
	fw_cfg_directory_count = 0;
	if (!files)
		return 0;
	/* Entries stay as QEMU wrote them, big-endian, until fw_cfg_find returns one: the firmware looks up fewer
	 * files than the directory holds, and reads it twice. No name is read as a string before it has matched a
	 * name whose NUL lies inside the field. */
	fw_cfg_read(files, count * sizeof(*files));
	fw_cfg_directory = files;
	fw_cfg_directory_count = count;
	return count;
}
