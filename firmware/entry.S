/* Reset vector to 32-bit flat mode; then make 0xE0000-0xFFFFF RAM (PAM) and shadow the ROM there. */
#include "layout.h"

#define BOOT_CS 0x10	/* Linux's 32-bit boot protocol wants flat code at 0x10 and data at 0x18 */
#define BOOT_DS 0x18
#define PCI_CONFIG_ADDRESS 0xCF8
#define PCI_CONFIG_DATA 0xCFC
#define I440FX_ID 0x12378086	/* 00:00.0 device:vendor on -M pc */
#define I440FX_PAM0 0x59	/* QEMU hw/pci-host/i440fx.c I440FX_PAM */
#define Q35_MCH_ID 0x29C08086	/* 00:00.0 on -M q35 */
#define Q35_PAM0 0x90		/* QEMU include/hw/pci-host/q35.h MCH_HOST_BRIDGE_PAM0 */
#define PAM_RW 3		/* a PAM nibble of 3: reads and writes go to RAM */

	.section .text.start, "ax"
	.code16
	.globl start16
start16:
	cli
	cld
	/* The far jump from the reset vector left CS based at 0xF0000; firmware.ld gives the offset. */
	lgdtl %cs:gdt_descriptor_offset
	movl %cr0, %eax
	orl $1, %eax		/* PE */
	movl %eax, %cr0
	ljmpl $BOOT_CS, $start32

	.code32
start32:
	movl $BOOT_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	movl $STACK_TOP, %esp
	/* Run the shadowing from the 4 GiB alias: the low copy disappears while PAM switches it to RAM. */
	movl $shadow_rom, %eax
	addl $(ROM_HIGH_BASE - ROM_LOW_BASE), %eax
	jmp *%eax

/* Position-independent from here to the jump back. */
shadow_rom:
	movl $0x80000000, %eax	/* 00:00.0 register 0 */
	movw $PCI_CONFIG_ADDRESS, %dx
	outl %eax, %dx
	movw $PCI_CONFIG_DATA, %dx
	inl %dx, %eax
	movl $I440FX_PAM0, %ecx
	cmpl $I440FX_ID, %eax
	je 1f
	movl $Q35_PAM0, %ecx
	cmpl $Q35_MCH_ID, %eax
	je 1f
	jmp no_pam
1:	/* PAM0 bits 5:4 map 0xF0000-0xFFFFF; PAM5 and PAM6 map 0xE0000-0xEFFFF in 16 KiB quarters. */
	movb $(PAM_RW << 4), %bl
	call pam_write
	addl $5, %ecx
	movb $(PAM_RW << 4 | PAM_RW), %bl
	call pam_write
	incl %ecx
	call pam_write
	/* Only the image: the rest of the segment is zero in a fresh guest, and the loader fills what it uses. */
	movl $ROM_HIGH_BASE, %esi
	movl $ROM_LOW_BASE, %edi
	movl $image_end, %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	rep movsl
	movl $shadowed, %eax
	jmp *%eax

/* Byte %bl to host bridge register %cl. */
pam_write:
	movl %ecx, %eax
	andl $0xFC, %eax
	orl $0x80000000, %eax
	movw $PCI_CONFIG_ADDRESS, %dx
	outl %eax, %dx
	movl %ecx, %edx
	andl $3, %edx
	addl $PCI_CONFIG_DATA, %edx
	movb %bl, %al
	outb %al, %dx
	ret

/* No known host bridge: the ROM stays read-only and C code cannot run. */
no_pam:
	movw $0x402, %dx
	movb $'?', %al
	outb %al, %dx
	jmp halt

shadowed:
	call main
halt:
	cli
	hlt
	jmp halt

	.globl enter_linux
/* enter_linux(entry, boot_params): Linux's 32-bit boot protocol (Documentation/x86/boot.rst, "32-bit BOOT
 * PROTOCOL"): flat __BOOT_CS/__BOOT_DS, interrupts off, %esi = boot_params, %ebp = %edi = %ebx = 0. */
enter_linux:
	movl 4(%esp), %eax
	movl 8(%esp), %esi
	xorl %ebp, %ebp
	xorl %edi, %edi
	xorl %ebx, %ebx
	cli
	jmp *%eax

	.section .rodata
	.balign 8
gdt:
	.quad 0
	.quad 0
	.quad 0x00CF9B000000FFFF	/* 0x10: code, base 0, 4 GiB, 32-bit, accessed (so the CPU never writes it) */
	.quad 0x00CF93000000FFFF	/* 0x18: data, base 0, 4 GiB, read/write, accessed */
gdt_end:
	.globl gdt_descriptor
gdt_descriptor:
	.word gdt_end - gdt - 1
	.long gdt

	.section .reset, "ax"
	.code16
	.globl reset_vector
reset_vector:
	ljmp $(ROM_LOW_BASE >> 4), $start16_offset
	.balign 16, 0
