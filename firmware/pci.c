/* PCI configuration access and enumeration: every BAR gets an address in the PCI hole, bridges get bus
 * numbers and windows, so Linux keeps what it finds (it only reassigns what lies outside the _CRS windows). */
#include "pci.h"
#include "console.h"	/* summary line */
#include "util.h"	/* fw_one_test */

/* Type 0 and type 1 header registers (PCI Local Bus Specification 3.0, §6.1; PCI-to-PCI Bridge 1.2, §3.2). */
#define PCI_VENDOR_ID 0x00
#define PCI_COMMAND 0x04
#define PCI_COMMAND_IO 0x1
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4
#define PCI_HEADER_TYPE 0x0E
#define PCI_HEADER_MULTIFUNCTION 0x80
#define PCI_BAR0 0x10
#define PCI_BAR_IO 0x1
#define PCI_BAR_MEM_64 0x4
#define PCI_INTERRUPT_LINE 0x3C
#define PCI_INTERRUPT_PIN 0x3D
#define PCI_PRIMARY_BUS 0x18
#define PCI_SECONDARY_BUS 0x19
#define PCI_SUBORDINATE_BUS 0x1A
#define PCI_IO_BASE 0x1C
#define PCI_IO_LIMIT 0x1D
#define PCI_MEMORY_BASE 0x20
#define PCI_MEMORY_LIMIT 0x22
#define PCI_PREF_MEMORY_BASE 0x24
#define PCI_PREF_MEMORY_LIMIT 0x26
#define PCI_PREF_BASE_UPPER32 0x28
#define PCI_PREF_LIMIT_UPPER32 0x2C
#define PCI_IO_BASE_UPPER16 0x30
#define PCI_IO_LIMIT_UPPER16 0x32

/* The I/O range above the legacy ISA ports, and the top of the 32-bit hole (the I/O APIC is at 0xFEC00000). */
#define PCI_IO_START 0xC000
#define PCI_IO_END 0x10000
#define PCI_MEM_END 0xFEC00000u
#define BRIDGE_IO_ALIGN 0x1000
#define BRIDGE_MEM_ALIGN 0x100000

static const uint8_t pirq_irqs[4] = {PIRQA_IRQ, PIRQB_IRQ, PIRQC_IRQ, PIRQD_IRQ};

struct pci_space {
	uint32_t io, io_end;
	uint32_t mem, mem_end;
	uint8_t last_bus;
	uint32_t functions;
	uint32_t skipped;
};

static uint32_t align_up(uint32_t v, uint32_t align)
{
	return (v + align - 1) & ~(align - 1);
}

/* Take size bytes, naturally aligned, from [*next, end); 0 when they do not fit. */
static int take(uint32_t *next, uint32_t end, uint32_t size, uint32_t *address)
{
	uint32_t start = align_up(*next, size);
	if (start < *next || start > end || size > end - start)
		return 0;
	*address = start;
	*next = start + size;
	return 1;
}

/* Size and place BARs [first, first + count); returns the command bits the function now needs. */
static uint16_t assign_bars(uint32_t bdf, unsigned count, struct pci_space *space)
{
	uint16_t command = 0;
	for (unsigned i = 0; i < count; i++) {
		uint8_t reg = PCI_BAR0 + 4 * i;
		uint32_t original = pci_read32(bdf, reg);
		pci_write32(bdf, reg, 0xFFFFFFFF);
		uint32_t probe = pci_read32(bdf, reg);
		if (!probe || probe == 0xFFFFFFFF) {	/* no BAR here */
			pci_write32(bdf, reg, original);
			continue;
		}
		if (probe & PCI_BAR_IO) {
			uint32_t size = (~(probe & ~3u) + 1) & 0xFFFF, address;
			if (size && take(&space->io, space->io_end, size, &address)) {
				pci_write32(bdf, reg, address);
				command |= PCI_COMMAND_IO;
			} else {
				space->skipped++;
			}
			continue;
		}
		uint64_t mask = probe & ~0xFu;
		int is64 = (probe & 0x6) == PCI_BAR_MEM_64 && i + 1 < count;
		if (is64) {
			pci_write32(bdf, reg + 4, 0xFFFFFFFF);
			mask |= (uint64_t)pci_read32(bdf, reg + 4) << 32;
		} else {
			mask |= 0xFFFFFFFF00000000ull;
		}
		uint64_t size = ~mask + 1;
		uint32_t address;
		/* Everything goes below 4 GiB; a BAR too large for the hole stays unassigned for Linux to place. */
		if (size && size <= 0x80000000u && take(&space->mem, space->mem_end, (uint32_t)size, &address)) {
			pci_write32(bdf, reg, address);
			if (is64)
				pci_write32(bdf, reg + 4, 0);
			command |= PCI_COMMAND_MEMORY;
		} else {
			space->skipped++;
		}
		i += is64;
	}
	return command;
}

static void setup_bus(uint8_t bus, unsigned pin_swizzle, struct pci_space *space);

static void setup_bridge(uint32_t bdf, uint8_t bus, unsigned pin_swizzle, struct pci_space *space)
{
	uint16_t command = assign_bars(bdf, 2, space) | PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	uint8_t secondary = ++space->last_bus;
	pci_write8(bdf, PCI_PRIMARY_BUS, bus);
	pci_write8(bdf, PCI_SECONDARY_BUS, secondary);
	pci_write8(bdf, PCI_SUBORDINATE_BUS, 0xFF);	/* until the buses below are counted */
	space->io = align_up(space->io, BRIDGE_IO_ALIGN);
	space->mem = align_up(space->mem, BRIDGE_MEM_ALIGN);
	uint32_t io_base = space->io, mem_base = space->mem;
	setup_bus(secondary, pin_swizzle, space);
	pci_write8(bdf, PCI_SUBORDINATE_BUS, space->last_bus);
	space->io = align_up(space->io, BRIDGE_IO_ALIGN);
	space->mem = align_up(space->mem, BRIDGE_MEM_ALIGN);
	/* A window whose base is above its limit is closed. */
	if (space->io > io_base) {
		pci_write8(bdf, PCI_IO_BASE, (uint8_t)(io_base >> 8 & 0xF0));
		pci_write8(bdf, PCI_IO_LIMIT, (uint8_t)((space->io - 1) >> 8 & 0xF0));
	} else {
		pci_write8(bdf, PCI_IO_BASE, 0xF0);
		pci_write8(bdf, PCI_IO_LIMIT, 0x00);
	}
	pci_write16(bdf, PCI_IO_BASE_UPPER16, 0);
	pci_write16(bdf, PCI_IO_LIMIT_UPPER16, 0);
	if (space->mem > mem_base) {
		pci_write16(bdf, PCI_MEMORY_BASE, (uint16_t)(mem_base >> 16 & 0xFFF0));
		pci_write16(bdf, PCI_MEMORY_LIMIT, (uint16_t)((space->mem - 1) >> 16 & 0xFFF0));
	} else {
		pci_write16(bdf, PCI_MEMORY_BASE, 0xFFF0);
		pci_write16(bdf, PCI_MEMORY_LIMIT, 0x0000);
	}
	/* Prefetchable BARs behind the bridge sit in its non-prefetchable window, so this one stays closed. */
	pci_write16(bdf, PCI_PREF_MEMORY_BASE, 0xFFF0);
	pci_write16(bdf, PCI_PREF_MEMORY_LIMIT, 0x0000);
	pci_write32(bdf, PCI_PREF_BASE_UPPER32, 0);
	pci_write32(bdf, PCI_PREF_LIMIT_UPPER32, 0);
	pci_write16(bdf, PCI_COMMAND, pci_read16(bdf, PCI_COMMAND) | command);
}

static void setup_function(uint32_t bdf, uint8_t bus, uint8_t dev, unsigned pin_swizzle, uint8_t header,
			   struct pci_space *space)
{
	space->functions++;
	uint16_t command = pci_read16(bdf, PCI_COMMAND);
	/* Stop decoding while the BARs hold sizing patterns. */
	pci_write16(bdf, PCI_COMMAND, command & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	if ((header & 0x7F) == 1) {
		setup_bridge(bdf, bus, pin_swizzle + dev, space);
	} else if ((header & 0x7F) == 0) {
		/* The BARs get addresses, but decoding stays as it was (off since reset): Linux turns it on when a
		 * driver binds (pci_enable_device), as it does after OVMF, which enables only what its own drivers
		 * use. Each BAR that starts decoding costs QEMU a memory-map rebuild: about 0.4 million host
		 * instructions, as much as translating some eighty guest instructions under TCG. */
		if (bdf != PCI_BDF(0, 0, 0))	/* the host bridge decodes nothing through BARs */
			assign_bars(bdf, 6, space);
		pci_write16(bdf, PCI_COMMAND, command);
	}
	/* INTx through the standard swizzle to PIRQA..D; Linux follows the ACPI _PRT, this is for everyone else. */
	uint8_t pin = pci_read8(bdf, PCI_INTERRUPT_PIN);
	if (pin >= 1 && pin <= 4)
		pci_write8(bdf, PCI_INTERRUPT_LINE, pirq_irqs[(pin - 1 + dev + pin_swizzle) & 3]);
}

/* The first slot from dev (at most 32) on whose function 0 answers, or 32. Most slots are empty: a loop of its
 * own keeps its values in registers, some seven instructions a slot where setup_bus's loops took thirty. The
 * addresses are added, not ORed as PCI_BDF does: slot 32 is the next bus, which an OR folds back onto an
 * odd-numbered bus's own slot 0. */
static inline __attribute__((always_inline)) uint8_t next_device(uint8_t bus, uint8_t dev)
{
	const uint32_t bus_start = 0x80000000u + ((uint32_t)bus << 16);
	uint32_t address = bus_start + ((uint32_t)dev << 11), end = bus_start + (32u << 11);
	for (; address < end; address += 1u << 11) {
		outl(PCI_CONFIG_ADDRESS, address);
		uint16_t vendor = inw(PCI_CONFIG_DATA);
		if ((uint16_t)(vendor + 1) > 1)	/* neither 0xFFFF (nothing there) nor 0 */
			break;
	}
	return (uint8_t)((address - bus_start) >> 11);
}

static void setup_bus(uint8_t bus, unsigned pin_swizzle, struct pci_space *space)
{
	/* next_device once in the code, so that TCG translates one copy of its loop. */
	for (uint8_t dev = 0; (dev = next_device(bus, dev)) < 32; dev++) {
		for (uint8_t fn = 0; fn < 8; fn++) {
			uint32_t bdf = PCI_BDF(bus, dev, fn);
			/* Neither 0xFFFF (nothing there) nor 0; function 0 answers (next_device). */
			if ((uint16_t)(pci_read16(bdf, PCI_VENDOR_ID) + 1) <= 1)
				continue;
			uint8_t header = pci_read8(bdf, PCI_HEADER_TYPE);
			setup_function(bdf, bus, dev, pin_swizzle, header, space);
			if (fw_one_test((fn == 0) & !(header & PCI_HEADER_MULTIFUNCTION)))
				break;
		}
	}
}

uint32_t pci_setup(enum chipset chipset, uint32_t ram_top_below_4g)
{
	/* The hole starts where SeaBIOS starts it (src/fw/pciinit.c): on q35 above the 256 MiB MMCONFIG
	 * window at 0xB0000000; on pc at 2 GiB, or 3 GiB when RAM reaches past 2 GiB. QEMU's _CRS for the
	 * host bridge starts at the top of RAM, so both lie inside it. */
	uint32_t hole = chipset == CHIPSET_Q35 ? 0xC0000000u : ram_top_below_4g <= 0x80000000u ? 0x80000000u : 0xC0000000u;
	if (hole < ram_top_below_4g)
		hole = align_up(ram_top_below_4g, 0x10000000);
	struct pci_space space = {PCI_IO_START, PCI_IO_END, hole, PCI_MEM_END, 0, 0, 0};
	setup_bus(0, 0, &space);
	console_printf("phase pci %u functions, %u buses, io to 0x%x, mem 0x%x to 0x%x", space.functions,
		       space.last_bus + 1u, space.io, hole, space.mem);
	if (space.skipped)
		console_printf(", unassigned BARs %u", space.skipped);
	console_printf("\n");
	return space.functions;
}
