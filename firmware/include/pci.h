/* PCI configuration mechanism #1 (ports 0xCF8/0xCFC), chipset set-up and bus enumeration. */
#ifndef PCI_H
#define PCI_H

#include <stdint.h>	/* register widths */

#define PCI_BDF(bus, dev, fn) ((uint32_t)(bus) << 8 | (uint32_t)(dev) << 3 | (uint32_t)(fn))

uint32_t pci_read32(uint32_t bdf, uint8_t reg);
uint16_t pci_read16(uint32_t bdf, uint8_t reg);
uint8_t pci_read8(uint32_t bdf, uint8_t reg);
void pci_write32(uint32_t bdf, uint8_t reg, uint32_t v);
void pci_write16(uint32_t bdf, uint8_t reg, uint16_t v);
void pci_write8(uint32_t bdf, uint8_t reg, uint8_t v);

enum chipset { CHIPSET_UNKNOWN, CHIPSET_I440FX, CHIPSET_Q35 };

/* PAM (0xE0000-0xFFFFF become RAM), PM base, q35 PCIEXBAR, PIRQ routing. */
enum chipset chipset_setup(void);
/* Assign BARs and bus numbers on bus 0 and behind bridges; returns the number of functions found. */
uint32_t pci_setup(enum chipset chipset, uint32_t ram_top_below_4g);

#endif
