/* e820_set_list(list, n) and e820_set(addr, size, type) (e820.h), by hand: the C e820_set kept its 64-bit values
 * on the stack, some 150 instructions in 20 translation blocks for TCG, the largest cost in QEMU's own
 * instructions of any function on microvm (tools/bench-firmware --host-instructions). Here the values stay in registers, and the tests that were
 * branches are flags folded into one register (under TCG each branch ends a translation block, which costs
 * QEMU as much as several instructions).
 *
 * The map (e820.c) is sorted, disjoint and merged, and each call leaves it so. The new map is built in
 * e820_tail from three passes, each clipping a list of entries to a window: the map to [0, addr), the range
 * itself to [addr, end), the map to [end, 2^64). Empty pieces and holes (type 0) are dropped, and a piece that
 * starts where the last entry ends, with its type, is merged into it: the same map, in the same order, as the
 * C version built. */
#include "e820.h"

/* The stack frame, from %esp once the registers are saved: the four window boundaries, 0, addr, end and
 * 2^64 - 1, as consecutive quadwords, so that %edi points at a window's low end and 8(%edi) at its high end. */
#define BOUNDS 0
#define LIST_END 32	/* the end of the list the pass walks */
#define MAP_END 36	/* the map's end */
#define OUT 40		/* the next free entry in e820_tail */
#define WINDOW 44	/* %edi, while put needs it */
#define LAST_END 48	/* the end of the last entry written, 64-bit */
#define ENTRY 56	/* %esi, while put needs it */
#define RANGE 60	/* the list entry being set */
#define RANGES_END 64	/* the list's end */
#define FRAME 68

	.text
	.globl e820_set
	.type e820_set, @function
/* regparm(0) (e820.h): the caller's arguments, addr, size and type, are laid out as a struct e820_entry, a list
 * of one. */
e820_set:
	lea 4(%esp), %eax
	mov $1, %edx
	.size e820_set, . - e820_set
	/* fall through */

	.globl e820_set_list
	.type e820_set_list, @function
/* regparm(3), as the C code is built: %eax = list, %edx = n. */
e820_set_list:
	push %ebp
	push %ebx
	push %esi
	push %edi
	sub $FRAME, %esp
	imul $20, %edx, %edx
	add %eax, %edx
	mov %edx, RANGES_END(%esp)
	mov %eax, %esi
	jmp next_range

range:	/* One range, as e820_set: %esi points at it. */
	mov %esi, RANGE(%esp)
	mov (%esi), %eax
	mov 4(%esi), %edx		/* addr */
	mov %eax, %ebx
	mov %edx, %ecx
	add 8(%esi), %ebx
	adc 12(%esi), %ecx		/* end = addr + size */
	sbb %ebp, %ebp			/* -1: end wraps past 2^64 */
	mov 12(%esi), %edi
	or 8(%esi), %edi
	mov %edi, %esi
	neg %esi			/* CF: size is not zero */
	sbb %esi, %esi
	not %esi
	or %ebp, %esi			/* not zero: an empty or wrapping range, nothing to do */
	/* Room for the worst case, one entry split in two plus the new one: count + 2 <= E820_MAX_ENTRIES. */
	mov e820_count, %edi
	cmp $E820_MAX_ENTRIES - 1, %edi
	cmc				/* CF: full */
	sbb %ebp, %ebp
	or %esi, %ebp
	jnz refuse

	xor %ebp, %ebp
	mov %ebp, BOUNDS(%esp)
	mov %ebp, BOUNDS + 4(%esp)
	mov %eax, BOUNDS + 8(%esp)
	mov %edx, BOUNDS + 12(%esp)
	mov %ebx, BOUNDS + 16(%esp)
	mov %ecx, BOUNDS + 20(%esp)
	dec %ebp
	mov %ebp, BOUNDS + 24(%esp)
	mov %ebp, BOUNDS + 28(%esp)
	imul $20, %edi, %edi
	add $e820_map, %edi
	mov %edi, MAP_END(%esp)
	movl $e820_tail, OUT(%esp)
	movl $0, e820_tail - 4		/* the sentinel's type: nothing merges into it */
	lea BOUNDS(%esp), %edi

pass:	/* The middle pass walks the range alone, the others the map. */
	lea BOUNDS + 8(%esp), %eax
	cmp %eax, %edi
	mov $e820_map, %esi
	mov MAP_END(%esp), %eax
	mov RANGE(%esp), %ebx
	cmove %ebx, %esi
	lea 20(%ebx), %ebx		/* lea: the flags stay */
	cmove %ebx, %eax
	mov %eax, LIST_END(%esp)
	cmp %eax, %esi
	jae next_pass

piece:	/* s (%edx:%eax) and e (%ecx:%ebx): the entry clipped to the window. */
	mov (%esi), %eax
	mov 4(%esi), %edx
	mov %eax, %ebx
	mov %edx, %ecx
	add 8(%esi), %ebx
	adc 12(%esi), %ecx
	mov %edx, %ebp
	cmp (%edi), %eax
	sbb 4(%edi), %ebp		/* CF: s < low */
	cmovb (%edi), %eax
	cmovb 4(%edi), %edx
	mov %ecx, %ebp
	cmp 8(%edi), %ebx
	sbb 12(%edi), %ebp		/* CF: e < high */
	cmovae 8(%edi), %ebx
	cmovae 12(%edi), %ecx
	mov %edx, %ebp
	cmp %ebx, %eax
	sbb %ecx, %ebp			/* CF: s < e */
	sbb %ebp, %ebp
	and 16(%esi), %ebp		/* the type, or 0 for an empty piece or a hole */
	jz skip

	/* Put the piece: a merge (same type as the last entry, starting at its end) rewrites the last entry from
	 * its start, anything else is a new entry; the test is made without a branch. */
	mov %edi, WINDOW(%esp)
	mov %esi, ENTRY(%esp)
	mov OUT(%esp), %edi
	mov %eax, %esi
	xor LAST_END(%esp), %esi
	xor LAST_END + 4(%esp), %edx
	or %edx, %esi
	xor LAST_END + 4(%esp), %edx	/* s's high half back */
	xor -4(%edi), %ebp
	or %ebp, %esi			/* zero: a merge */
	xor -4(%edi), %ebp		/* the type back */
	cmp $1, %esi
	sbb %esi, %esi
	and $20, %esi
	sub %esi, %edi
	test %esi, %esi
	cmovnz (%edi), %eax
	cmovnz 4(%edi), %edx
	mov %ebx, LAST_END(%esp)
	mov %ecx, LAST_END + 4(%esp)
	mov %eax, (%edi)
	mov %edx, 4(%edi)
	sub %eax, %ebx
	sbb %edx, %ecx
	mov %ebx, 8(%edi)
	mov %ecx, 12(%edi)
	mov %ebp, 16(%edi)
	add $20, %edi
	mov %edi, OUT(%esp)
	mov WINDOW(%esp), %edi
	mov ENTRY(%esp), %esi
skip:
	add $20, %esi
	cmp LIST_END(%esp), %esi
	jb piece
next_pass:
	add $8, %edi
	lea BOUNDS + 24(%esp), %eax
	cmp %eax, %edi
	jb pass

	/* The new map over the old one (DF is clear since entry.S). */
	mov OUT(%esp), %ecx
	mov $e820_tail, %esi
	sub %esi, %ecx
	shr $2, %ecx
	imul $0xCCCCCCCD, %ecx, %eax	/* dwords / 5, exact: the inverse of 5 modulo 2^32 */
	mov %eax, e820_count
	mov $e820_map, %edi
	rep movsl
done:
	mov RANGE(%esp), %esi
	add $20, %esi
next_range:
	cmp RANGES_END(%esp), %esi
	jb range
	add $FRAME, %esp
	pop %edi
	pop %esi
	pop %ebx
	pop %ebp
	ret

refuse:	/* A full map with a proper range is an error worth a line (console_printf's test, console.h). */
	test %esi, %esi
	jnz done
	cmpl $0, console_present
	je done
	push $full_message
	call console_print
	add $4, %esp
	jmp done
	.size e820_set_list, . - e820_set_list

	.section .rodata
full_message:
	.asciz "error: e820 map full\n"

	/* Written before it is read, like the map (e820.c): not loaded, not zeroed. */
	.section .noinit, "aw", @nobits
	.balign 4
	.space 20			/* the sentinel entry in front */
	.globl e820_tail
e820_tail:
	.space 20 * E820_MAX_ENTRIES
