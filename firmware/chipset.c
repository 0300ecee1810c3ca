/* The chipset registers the ACPI tables describe: PM I/O base, q35's MMCONFIG window, and PCI IRQ routing. */
#include "pci.h"
#include "console.h"	/* phase line */
#include "io.h"		/* ELCR ports */

#define I440FX_PAM0 0x59	/* QEMU hw/pci-host/i440fx.c I440FX_PAM */
#define Q35_PAM0 0x90		/* QEMU include/hw/pci-host/q35.h MCH_HOST_BRIDGE_PAM0 */
#define PAM_RW 3		/* a PAM nibble of 3: reads and writes go to RAM */
#define PM_IO_BASE 0x600	/* the FADT's PM1a/PM timer blocks sit here (QEMU acpi-build reads it back) */
#define I440FX_ID 0x12378086
#define Q35_MCH_ID 0x29C08086
/* PIIX3/PIIX4 at 00:01.x (QEMU hw/isa/piix3.c, hw/acpi/piix4.c). */
#define PIIX_ISA_BDF PCI_BDF(0, 1, 0)
#define PIIX_PIRQA_ROUT 0x60	/* PIRQA..D route registers, one IRQ number each */
#define PIIX4_PM_BDF PCI_BDF(0, 1, 3)
#define PIIX4_PMBA 0x40		/* bit 0 marks I/O space */
#define PIIX4_PMREGMISC 0x80	/* bit 0 enables the PM I/O space */
/* q35 (QEMU include/hw/pci-host/q35.h, include/hw/southbridge/ich9.h). */
#define Q35_PCIEXBAR 0x60	/* 64-bit: bit 0 enable, bits 2:1 size (0 = 256 MiB) */
#define Q35_PCIEXBAR_BASE 0xB0000000u	/* where SeaBIOS puts it; MCFG reports it */
#define ICH9_LPC_BDF PCI_BDF(0, 0x1F, 0)
#define ICH9_PMBASE 0x40
#define ICH9_ACPI_CTRL 0x44
#define ICH9_ACPI_CTRL_ACPI_EN 0x80
#define ICH9_PIRQA_ROUT 0x60	/* PIRQA..D */
#define ICH9_PIRQE_ROUT 0x68	/* PIRQE..H */
/* Edge/level control of the 8259s (ports 0x4D0/0x4D1): PCI interrupts are level-triggered. */
#define PORT_ELCR1 0x4D0
#define PORT_ELCR2 0x4D1

/* The four route registers of PIRQA..D as one dword (PIRQA in the low byte), written at once. */
#define PIRQ_ROUTES ((uint32_t)PIRQA_IRQ | PIRQB_IRQ << 8 | PIRQC_IRQ << 16 | (uint32_t)PIRQD_IRQ << 24)

/* Inlined into both chipsets' set-up, of which one runs: no call and return for TCG to translate. */
static inline __attribute__((always_inline)) void set_level_triggered(void)
{
	uint16_t elcr = inb(PORT_ELCR1) | inb(PORT_ELCR2) << 8;
	elcr |= 1u << PIRQA_IRQ | 1u << PIRQB_IRQ | 1u << PIRQC_IRQ | 1u << PIRQD_IRQ;
	outb(PORT_ELCR1, (uint8_t)elcr);
	outb(PORT_ELCR2, (uint8_t)(elcr >> 8));
}

/* PAM0 of the chipset found, until chipset_open_eseg has used it; 0: no PAM, or the E-segment is open. */
static uint8_t eseg_pam0;

/* PAM0 bits 5:4 map 0xF0000-0xFFFFF; PAM5 and PAM6 map 0xE0000-0xEFFFF in 16 KiB quarters. The firmware
 * runs from the ROM below 4 GiB, so nothing needs copying: the segments simply become RAM for the tables. The
 * F-segment does now; the E-segment only when a table does not fit in the F-segment (chipset_open_eseg), as
 * QEMU rebuilds its memory map at every config write that touches PAM (i440fx_write_config, mch_write_config),
 * some 400 thousand host instructions each (callgrind, mch_update_pam), and the F-segment mostly suffices. */
static void make_bios_area_ram(uint8_t pam0)
{
	pci_write8(PCI_BDF(0, 0, 0), pam0, PAM_RW << 4);
	eseg_pam0 = pam0;
}

void chipset_open_eseg(void)
{
	uint8_t pam0 = eseg_pam0;
	if (!pam0)
		return;
	eseg_pam0 = 0;
	/* PAM5 and PAM6 in one dword write (keeping its other bytes): one memory map rebuild, not two. */
	uint8_t dword = (uint8_t)((pam0 + 5) & ~3), shift = (uint8_t)(8 * ((pam0 + 5) & 3));
	uint32_t both = (uint32_t)(PAM_RW << 4 | PAM_RW) * 0x0101u;
	if (shift <= 16) {
		uint32_t old = pci_read32(PCI_BDF(0, 0, 0), dword);
		pci_write32(PCI_BDF(0, 0, 0), dword, (old & ~(0xFFFFu << shift)) | both << shift);
	} else {
		pci_write8(PCI_BDF(0, 0, 0), pam0 + 5, PAM_RW << 4 | PAM_RW);
		pci_write8(PCI_BDF(0, 0, 0), pam0 + 6, PAM_RW << 4 | PAM_RW);
	}
}

static void i440fx_setup(void)
{
	make_bios_area_ram(I440FX_PAM0);
	pci_write32(PIIX_ISA_BDF, PIIX_PIRQA_ROUT, PIRQ_ROUTES);
	set_level_triggered();
	pci_write32(PIIX4_PM_BDF, PIIX4_PMBA, PM_IO_BASE | 1);
	pci_write8(PIIX4_PM_BDF, PIIX4_PMREGMISC, 0x01);
}

static void q35_setup(void)
{
	make_bios_area_ram(Q35_PAM0);
	/* Reset leaves the register disabled at this base with a zero high half (hw/pci-host/q35.c mch_reset,
	 * MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT), and the firmware runs only after a reset: one write enables it. Each
	 * write remaps the window (mch_update_pciexbar), a memory map rebuild in QEMU. */
	pci_write32(PCI_BDF(0, 0, 0), Q35_PCIEXBAR, Q35_PCIEXBAR_BASE | 1);
	pci_write32(ICH9_LPC_BDF, ICH9_PIRQA_ROUT, PIRQ_ROUTES);
	pci_write32(ICH9_LPC_BDF, ICH9_PIRQE_ROUT, PIRQ_ROUTES);	/* E..H as A..D */
	set_level_triggered();
	pci_write32(ICH9_LPC_BDF, ICH9_PMBASE, PM_IO_BASE | 1);
	pci_write8(ICH9_LPC_BDF, ICH9_ACPI_CTRL, ICH9_ACPI_CTRL_ACPI_EN);
}

enum chipset chipset_setup(void)
{
	uint32_t host = pci_read32(PCI_BDF(0, 0, 0), 0);
	if (host == I440FX_ID) {
		i440fx_setup();
		console_printf("phase chipset i440fx: PAM F RAM, PMBA 0x600, PIRQ 10,10,11,11\n");
		return CHIPSET_I440FX;
	}
	if (host == Q35_MCH_ID) {
		q35_setup();
		console_printf("phase chipset q35: PAM F RAM, PCIEXBAR 0xb0000000, PMBASE 0x600, PIRQ 10,10,11,11\n");
		return CHIPSET_Q35;
	}
	if (host == 0xFFFFFFFFu) {	/* an unassigned port reads all ones: no configuration mechanism #1 */
		console_printf("phase chipset none: no PCI host bridge\n");
		return CHIPSET_NONE;
	}
	console_printf("phase chipset unknown host bridge 0x%x\n", host);
	return CHIPSET_UNKNOWN;
}
