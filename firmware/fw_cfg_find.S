/* fw_cfg_find_n(name, n) (fw_cfg.h), by hand: the C version, with its scan loop already in inline assembly,
 * kept its other values on the stack and tested in seven branches; under TCG each branch ends a translation
 * block, and the spills are guest loads and stores, both far costlier for QEMU to translate than register
 * moves (tools/bench-firmware --host-instructions).
 *
 * A linear search (QEMU sorts the directory only for newer machine types, fw_cfg_add_file_callback), comparing
 * the name with its NUL, so that "etc/acpi/tables" does not find "etc/acpi/tables2". No entry holds an empty
 * name or one without room for its NUL, and there may be no directory at all. The names share prefixes
 * ("etc/acpi/"), so an entry is first tested where they differ most: its NUL must be where the name's is,
 * after the same last character (one 16-bit compare, five instructions an entry); only then are the bytes
 * compared. The entry found has its big-endian size and selector converted in place, once: QEMU leaves the
 * reserved field zero (FWCfgFile, docs/specs/fw_cfg.rst), and 1 there marks an entry already converted. */
/* struct fw_file (loader.h), whose layout fw_cfg.c checks against these. */
#define NAME_SIZE 56		/* LOADER_NAME_SIZE */
#define FILE_SIZE 0
#define FILE_SELECT 4
#define FILE_RESERVED 6
#define FILE_NAME 8
#define FILE_ENTRY 64

	.text
	.globl fw_cfg_find_n
	.type fw_cfg_find_n, @function
/* regparm(3), as the C code is built: %eax = name, %edx = n; returns the entry or NULL in %eax. */
fw_cfg_find_n:
	push %ebp
	push %ebx
	lea -1(%edx), %ecx		/* n - 1 */
	cmp $NAME_SIZE - 1, %ecx	/* CF: 1 <= n < NAME_SIZE */
	sbb %ebp, %ebp
	mov fw_cfg_directory_count, %ebx
	and %ebx, %ebp			/* zero: a bad length or no directory (one branch for both) */
	jz none
	movzbl (%eax, %ecx), %ebp	/* the last character, then the NUL, as a little-endian word */
	shl $6, %ebx			/* FILE_ENTRY bytes an entry */
	mov fw_cfg_directory, %esi
	lea FILE_NAME(%esi, %ecx), %esi	/* at: the first entry's byte where the name's last character is */
	add %esi, %ebx			/* the end of the scan */
scan:
	cmpw %bp, (%esi)
	je candidate
next:
	add $FILE_ENTRY, %esi
	cmp %ebx, %esi
	jb scan
none:
	xor %eax, %eax
	pop %ebx
	pop %ebp
	ret

candidate:	/* The whole name, n bytes (at least one), from the entry's first. */
	mov %esi, %edi
	sub %ecx, %edi
	push %esi
	mov %eax, %esi
	mov %edx, %ecx
	repe cmpsb
	pop %esi			/* pop and lea leave the flags as cmpsb set them */
	lea -1(%edx), %ecx
	jne next
	mov %esi, %eax
	sub %ecx, %eax
	sub $FILE_NAME, %eax		/* the entry */
	mov FILE_SIZE(%eax), %ecx
	movzwl FILE_SELECT(%eax), %edx
	mov %ecx, %ebx
	bswap %ebx
	mov %edx, %ebp
	rolw $8, %bp
	cmpw $0, FILE_RESERVED(%eax)	/* converted without a branch (conditional moves) */
	cmove %ebx, %ecx
	cmove %ebp, %edx
	mov %ecx, FILE_SIZE(%eax)
	mov %dx, FILE_SELECT(%eax)
	movw $1, FILE_RESERVED(%eax)
	pop %ebx
	pop %ebp
	ret
	.size fw_cfg_find_n, . - fw_cfg_find_n
