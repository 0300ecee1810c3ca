/* Reset vector to 32-bit flat mode, running in place from the ROM below 4 GiB; then .data and .bss in RAM. */
#include "layout.h"

#define BOOT_CS 0x10	/* Linux's 32-bit boot protocol wants flat code at 0x10 and data at 0x18 */
#define BOOT_DS 0x18

	.section .text.start, "ax"
	.code16
	.globl start16
start16:
	cli
	cld
	/* Since reset CS has had base 0xFFFF0000 (Intel SDM Vol. 3A §9.1.4), so offsets are from there. */
	lgdtl %cs:gdt_descriptor_offset
	movl %cr0, %eax
	orl $1, %eax		/* PE */
	movl %eax, %cr0
	/* The data segments are loaded here, in 16-bit protected mode, where TCG goes on translating after a load
	 * into DS or ES; in 32-bit code each one ends a translation block (QEMU target/i386/tcg/translate.c
	 * gen_movl_seg_T0), and every block costs QEMU about as much to translate as twenty instructions. */
	movw $BOOT_DS, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	movw %ax, %ss
	ljmpl $BOOT_CS, $start32

	.code32
start32:
	movl $STACK_TOP, %esp
	/* .data and .bss in one copy (firmware.ld loads .bss as zeros): one string instruction, not two. */
	movl $data_load, %esi
	movl $data_start, %edi
	movl $data_words, %ecx
	rep movsl
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
	jmp start16
	.balign 16, 0
