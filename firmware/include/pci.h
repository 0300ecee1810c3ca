/* PCI configuration mechanism #1 (ports 0xCF8/0xCFC), chipset set-up and bus enumeration. */
#ifndef PCI_H
#define PCI_H

#include <stdint.h>	/* register widths */
#include "io.h"		/* the configuration ports */

#define PCI_BDF(bus, dev, fn) ((uint32_t)(bus) << 8 | (uint32_t)(dev) << 3 | (uint32_t)(fn))

#define PCI_CONFIG_ADDRESS 0xCF8
#define PCI_CONFIG_DATA 0xCFC

/* Always inlined: most callers pass constants, so an access is an immediate and two port instructions, where a
 * call would end a TCG translation block and start another after it (a block costs about four instructions). */
#define PCI_CONFIG_ACCESS static inline __attribute__((always_inline))

PCI_CONFIG_ACCESS void pci_select(uint32_t bdf, uint8_t reg)
{
	outl(PCI_CONFIG_ADDRESS, 0x80000000u | bdf << 8 | (reg & 0xFC));
}

PCI_CONFIG_ACCESS uint32_t pci_read32(uint32_t bdf, uint8_t reg)
{
	pci_select(bdf, reg);
	return inl(PCI_CONFIG_DATA);
}

PCI_CONFIG_ACCESS uint16_t pci_read16(uint32_t bdf, uint8_t reg)
{
	pci_select(bdf, reg);
	return inw(PCI_CONFIG_DATA + (reg & 2));
}

PCI_CONFIG_ACCESS uint8_t pci_read8(uint32_t bdf, uint8_t reg)
{
	pci_select(bdf, reg);
	return inb(PCI_CONFIG_DATA + (reg & 3));
}

PCI_CONFIG_ACCESS void pci_write32(uint32_t bdf, uint8_t reg, uint32_t v)
{
	pci_select(bdf, reg);
	outl(PCI_CONFIG_DATA, v);
}

PCI_CONFIG_ACCESS void pci_write16(uint32_t bdf, uint8_t reg, uint16_t v)
{
	pci_select(bdf, reg);
	outw(PCI_CONFIG_DATA + (reg & 2), v);
}

PCI_CONFIG_ACCESS void pci_write8(uint32_t bdf, uint8_t reg, uint8_t v)
{
	pci_select(bdf, reg);
	outb(PCI_CONFIG_DATA + (reg & 3), v);
}

/* The ISA IRQ each PIRQ line A..D goes to, SeaBIOS's choice (src/fw/pciinit.c pci_irqs): chipset.c routes them,
 * pci.c writes them into interrupt lines, and mptable.c lists them for pc. */
#define PIRQA_IRQ 10
#define PIRQB_IRQ 10
#define PIRQC_IRQ 11
#define PIRQD_IRQ 11

/* CHIPSET_NONE: nothing answers at 0xCF8/0xCFC (QEMU's microvm, hw/i386/microvm.c, which has no PCI unless
 * pcie=on puts a GPEX host behind ECAM): no PAM, no PM base, no bus to enumerate. */
enum chipset { CHIPSET_UNKNOWN, CHIPSET_I440FX, CHIPSET_Q35, CHIPSET_NONE };

/* PAM (0xF0000-0xFFFFF become RAM), PM base, q35 PCIEXBAR, PIRQ routing; nothing on CHIPSET_NONE. */
enum chipset chipset_setup(void);
/* Make 0xE0000-0xEFFFF RAM too, once, before the first table goes there (memory.c); nothing without PAM. */
void chipset_open_eseg(void);
/* Assign BARs and bus numbers on bus 0 and behind bridges; returns the number of functions found. */
uint32_t pci_setup(enum chipset chipset, uint32_t ram_top_below_4g);

#endif
