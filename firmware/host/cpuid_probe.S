/* A 64 KiB ROM that writes CPUID answers to the debug console (port 0x402) and exits: what QEMU tells a BSP.
 * Each listed (leaf, subleaf) gives 16 bytes: EAX, EBX, ECX, EDX, little-endian; then it writes 0 to port 0xF4
 * (isa-debug-exit). Used by tests/test_firmware_loader.py to measure the topology leaves mptable.c reads. */
.code16
.text
.globl _start
_start:
	cli
	xor %ax, %ax
	mov %ax, %ss
	mov $0x7000, %sp
	mov $table, %si
1:	mov %cs:(%si), %eax
	cmp $0xffffffff, %eax
	je 2f
	mov %cs:4(%si), %ecx
	add $8, %si
	cpuid
	call out32
	mov %ebx, %eax
	call out32
	mov %ecx, %eax
	call out32
	mov %edx, %eax
	call out32
	jmp 1b
2:	mov $0xf4, %dx
	mov $0, %al
	out %al, %dx
	hlt
out32:
	push %dx
	push %ecx
	mov $0x402, %dx
	mov $4, %cx
3:	out %al, %dx
	shr $8, %eax
	loop 3b
	pop %ecx
	pop %dx
	ret
table:	/* (leaf, subleaf) pairs, ended by leaf FFFFFFFFh; keep in step with firmware_host.CPUID_PROBE_LEAVES */
	.long 0,0, 1,0, 4,0, 0xb,0, 0xb,1, 0xb,2, 0x1f,0, 0x1f,1, 0x1f,2, 0xffffffff,0
.org 0xfff0	/* the reset vector, 16 bytes below 4 GiB: into the F-segment alias */
	ljmp $0xf000, $_start
.org 0x10000
