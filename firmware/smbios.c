/* SMBIOS placement: QEMU's etc/smbios files into memory, the entry point into the F-segment, a type 0 when absent. */
#include "smbios.h"
#include "util.h"

/* DMTF DSP0134 3.6.0 §5.2.1 (2.1 entry point, 1Fh bytes) and §5.2.2 (3.0 entry point, 18h bytes). */
#define EP21_SIZE 0x1F
#define EP30_SIZE 0x18
#define EP21_CHECKSUM 0x04
#define EP21_LENGTH 0x05
#define EP21_MAX_STRUCTURE 0x08
#define EP21_INTERMEDIATE 0x10
#define EP21_INTERMEDIATE_CHECKSUM 0x15
#define EP21_TABLE_LENGTH 0x16
#define EP21_TABLE_ADDRESS 0x18
#define EP21_STRUCTURE_COUNT 0x1C
#define EP30_CHECKSUM 0x05
#define EP30_LENGTH 0x06
#define EP30_TABLE_MAX 0x0C
#define EP30_TABLE_ADDRESS 0x10
#define TYPE_END_OF_TABLE 127

/* §7.1 BIOS Information, laid out as SeaBIOS's struct smbios_type_0 (18h bytes, src/std/smbios.h) so that
 * qboot_tables.smbios.seabios_type0() with our strings is the same structure. */
static const uint8_t type0_formatted[0x18] = {
	0, 0x18, 0, 0,			/* type 0, length, handle 0 */
	1, 2, 0x00, 0xE8, 3, 0,		/* vendor, version strings; segment E800h; date string; ROM size */
	1 << 3, 0, 0, 0, 0, 0, 0, 0,	/* characteristics: "not supported" */
	0, 1 << 2,			/* extension bytes: targeted content distribution */
	0, 0, 0xFF, 0xFF,		/* system BIOS release 0.0; no embedded controller */
};
static const char type0_strings[] = SMBIOS_TYPE0_VENDOR "\0" SMBIOS_TYPE0_VERSION "\0" SMBIOS_TYPE0_DATE "\0";
/* Formatted area, the strings with their NULs (sizeof counts the literal's own), and the set's final NUL. */
#define TYPE0_SIZE (sizeof(type0_formatted) + sizeof(type0_strings))

static void log_msg(const struct loader_env *env, const char *a, uint64_t x, const char *b, uint64_t y)
{
	char line[160], *end = line + sizeof(line) - 1, *p = line;
	if (!env->log)
		return;
	p = fw_put_str(p, end, "smbios: ");
	p = fw_put_str(p, end, a);
	p = fw_put_hex(p, end, x);
	p = fw_put_str(p, end, b);
	if (b[0])
		p = fw_put_hex(p, end, y);
	*p = 0;
	env->log(env->ctx, line);
}

/* Whether the structures hold a type 0, walking them as §6.1.3 lays them out. A malformed table counts as
 * having one, so we add nothing to a table we cannot read. */
static int has_type0(const uint8_t *t, uint32_t len)
{
	uint32_t at = 0;
	while (at < len) {
		uint32_t next, left = len - at, length = t[at + (left > 1)];	/* read inside the table */
		/* Tested together (fw_one_test): a header, a length of at least 4 inside the table, not type 0. */
		if (fw_one_test((left < 4) | (length < 4) | (length > left) | (t[at] == 0)))
			return 1;
		/* The string set ends at the first double NUL after the formatted area: the first NUL (with a byte
		 * after it) followed by another, else none before the NUL after that one's successor. */
		for (next = at + t[at + 1];; next += 2) {
			if (next + 1 >= len)
				return 1;
			next += fw_nul_at(t + next, len - 1 - next);
			if (next + 1 >= len)
				return 1;
			if (!t[next + 1])
				break;
		}
		if (t[at] == TYPE_END_OF_TABLE)
			return 0;
		at = next + 2;
	}
	return 0;
}

/* Sets the byte at `at` so that [start, end) sums to zero. Always inline: smbios_setup runs on every boot and
 * the legacy build, which also calls it, must not turn it into a call there. */
static inline __attribute__((always_inline)) void fix_checksum(uint8_t *ep, uint32_t at, uint32_t start,
								 uint32_t end)
{
	ep[at] = (uint8_t)(ep[at] - fw_sum8(ep + start, end - start));
}

int smbios_setup(const struct loader_env *env, int add_type0)
{
	/* Without an anchor (microvm has no SMBIOS) the tables are not looked for: each miss scans the directory. */
	const struct fw_file *anchor = ENV_FIND(env, SMBIOS_ANCHOR_FILE);
	const struct fw_file *tables = anchor ? ENV_FIND(env, SMBIOS_TABLES_FILE) : 0;
	uint8_t ep[EP21_SIZE > EP30_SIZE ? EP21_SIZE : EP30_SIZE];
	uint8_t *table, *entry;
	uint32_t ep_size, extra = 0, length;
	uint64_t table_address;
	int is_30;

	if (!anchor || !tables)
		return -SMBIOS_E_ABSENT;
	/* The anchor checks are made together (fw_one_test: one branch, one translation block under TCG). An
	 * anchor shorter than 5 bytes is read as far as it goes, into zeros, and then refused. */
	fw_store_le(ep, 0, 8);
	int failed = ENV_READ(env, anchor, ep, anchor->size < sizeof(ep) ? anchor->size : sizeof(ep));
	/* The anchors as little-endian dwords, compared in place rather than by a byte loop. */
	is_30 = (fw_load_le(ep, 4) == fw_unfolded(0x334D535Fu)) & (ep[4] == '_');	/* "_SM3_" */
	ep_size = is_30 ? EP30_SIZE : EP21_SIZE;
	if (fw_one_test((anchor->size < 5) | (failed != 0) | (anchor->size < ep_size) |
			(!is_30 & (fw_load_le(ep, 4) != fw_unfolded(0x5F4D535Fu)))))	/* "_SM_" */
		return -SMBIOS_E_ANCHOR;

	/* Read the tables where they will live, leaving room in front for a type 0 we may add. */
	table = ENV_ALLOC(env, SMBIOS_TABLES_FILE, tables->size + (add_type0 ? TYPE0_SIZE : 0), 16,
			   LOADER_ZONE_HIGH);
	if (!table)
		return -SMBIOS_E_NO_ROOM;
	if (ENV_READ(env, tables, table + (add_type0 ? TYPE0_SIZE : 0), tables->size))
		return -SMBIOS_E_IO;
	if (add_type0 && !has_type0(table + TYPE0_SIZE, tables->size)) {
		/* A 2.1 table is at most FFFFh bytes long (its length is 16-bit); 3.0 has a 32-bit maximum. */
		if (is_30 || fw_load_le(ep + EP21_TABLE_LENGTH, 2) + TYPE0_SIZE <= 0xFFFF)
			extra = TYPE0_SIZE;
	}
	if (extra) {
		fw_memcpy(table, type0_formatted, sizeof(type0_formatted));
		fw_memcpy(table + sizeof(type0_formatted), type0_strings, sizeof(type0_strings));
	} else if (add_type0) {
		/* We kept room we do not need: move the table down and clear the spare tail. */
		fw_memmove(table, table + TYPE0_SIZE, tables->size);
		fw_memset(table + tables->size, 0, TYPE0_SIZE);
	}
	table_address = loader_address(env, table);

	if (is_30) {
		fw_store_le(ep + EP30_TABLE_MAX, fw_load_le(ep + EP30_TABLE_MAX, 4) + extra, 4);
		fw_store_le(ep + EP30_TABLE_ADDRESS, table_address, 8);
		length = ep[EP30_LENGTH] < ep_size ? ep[EP30_LENGTH] : ep_size;
		fix_checksum(ep, EP30_CHECKSUM, 0, length);
	} else {
		if (extra) {
			fw_store_le(ep + EP21_TABLE_LENGTH, fw_load_le(ep + EP21_TABLE_LENGTH, 2) + extra, 2);
			fw_store_le(ep + EP21_STRUCTURE_COUNT, fw_load_le(ep + EP21_STRUCTURE_COUNT, 2) + 1, 2);
			if (fw_load_le(ep + EP21_MAX_STRUCTURE, 2) < extra)
				fw_store_le(ep + EP21_MAX_STRUCTURE, extra, 2);
		}
		fw_store_le(ep + EP21_TABLE_ADDRESS, table_address, 4);
		/* §5.2.1: the intermediate checksum first (10h to the end), then the whole entry point's. */
		fix_checksum(ep, EP21_INTERMEDIATE_CHECKSUM, EP21_INTERMEDIATE, ep_size);
		length = ep[EP21_LENGTH] < ep_size ? ep[EP21_LENGTH] : ep_size;
		fix_checksum(ep, EP21_CHECKSUM, 0, length);
	}

	entry = ENV_ALLOC(env, SMBIOS_ANCHOR_FILE, anchor->size, 16, LOADER_ZONE_FSEG);
	if (!entry)
		return -SMBIOS_E_NO_ROOM;
	/* Anything QEMU put after the entry point stays as it was. */
	if (ENV_READ(env, anchor, entry, anchor->size))
		return -SMBIOS_E_IO;
	fw_memcpy(entry, ep, ep_size);
	if (!env->log)
		return 0;
	log_msg(env, "tables at ", table_address, ", entry point at ", loader_address(env, entry));
	if (extra)
		log_msg(env, "added a type 0, bytes: ", extra, "", 0);
	return 0;
}

/* ---- Legacy SMBIOS: what SeaBIOS 1.16 builds from FW_CFG_SMBIOS_ENTRIES (src/fw/smbios.c smbios_legacy_setup,
 * the smbios_init_type_* builders, get_field and get_external; src/fw/paravirt.c qemu_cfg_legacy turns the
 * entries into romfiles), as qboot_tables/smbios_legacy.py models it byte for byte. The table is built twice:
 * once to learn its size, which picks its zone, then in place. */

/* QEMU hw/smbios/smbios.c (struct smbios_header, smbios_add_field, smbios_entry_add): each entry is a u16 length
 * (header included) and a u8 kind; a field entry then holds the structure type, a u16 offset and the field's
 * bytes, a table entry one whole structure without its string set's final NUL. */
#define ENTRY_HEADER 3
#define KIND_FIELD 0
#define KIND_TABLE 1
#define FIELD_DATA 6		/* header, type, offset */
#define TABLE_MIN 7		/* header and a structure header (type, length, handle) */
/* SeaBIOS builds the table in TEMPSMBIOSSIZE (src/fw/smbios.c) and writes its own structures past it unchecked:
 * a longer table is refused, as the model refuses it. QEMU's structures stop END_RESERVE short of the end. */
#define LEGACY_MAX_TABLE (32 * 1024)
#define END_RESERVE 4	/* room get_external leaves for the end structure's header */
#define LEGACY_FSEG_MAX 600	/* SeaBIOS src/config.h BUILD_MAX_SMBIOS_FSEG: a table this small goes in FSEG */
#define LEGACY_FORMATTED_MAX 0x20	/* the longest formatted area SeaBIOS builds (its struct smbios_type_4) */
#define E820_ENTRY 20		/* QEMU's etc/e820 entries: u64 address, u64 length, u32 type */
#define E820_ENTRIES_MAX 128	/* e820.h E820_MAX_ENTRIES: the firmware boots no larger etc/e820 */
#define FOUR_GIB 0x100000000ull
/* SeaBIOS's defaults: src/config.h BUILD_APPNAME and src/fw/smbios.c RELEASE_DATE_STR. */
#define APPNAME "Bochs"
#define RELEASE_DATE "01/01/2011"

uint32_t smbios_legacy_entries_size(const uint8_t *raw, uint32_t len)
{
	uint32_t count, at = 2;
	if (len < 2)
		return 2;
	count = (uint32_t)fw_load_le(raw, 2);
	for (uint32_t i = 0; i < count; i++) {
		uint32_t length;
		if (at > len || len - at < 2)
			return at + 2;	/* at most 2 + 0xFFFF * 0xFFFF: no wrap */
		length = (uint32_t)fw_load_le(raw + at, 2);
		if (length < ENTRY_HEADER)
			return 0;
		at += length;
	}
	return at;
}

/* A guest's walk over the table as it is written (§6.1.3; qboot_tables.smbios.split_structures): a header, the
 * formatted area, strings up to the first double NUL after it, until type 127. QEMU's fields and structures
 * go in unchecked, so a stray NUL can end a string set early, and the model places no table a guest would
 * misread: neither does the firmware. */
enum walk_mode { WALK_HEADER, WALK_FORMATTED, WALK_STRINGS, WALK_DONE, WALK_BAD };

struct legacy {
	const uint8_t *entries, *end;	/* after the count; end of the last entry */
	uint8_t *out;			/* NULL while measuring */
	uint32_t cap, len, structures, max_size;
	uint32_t used[8];		/* types whose -smbios file= structures went in (get_external's used_bitmap) */
	uint32_t walk_start, walk_end;	/* the structure the walk is in, and its formatted area's end */
	uint8_t walk_mode, walk_type, walk_nul;
};

static void walk(struct legacy *l, const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0, at = l->len; i < n && l->walk_mode < WALK_DONE; i++, at++) {
		uint8_t b = p[i];
		if (l->walk_mode == WALK_HEADER) {
			if (at == l->walk_start) {
				l->walk_type = b;
			} else {
				l->walk_mode = b < 4 ? WALK_BAD : WALK_FORMATTED;
				l->walk_end = l->walk_start + b;
			}
		} else if (l->walk_mode == WALK_FORMATTED) {
			if (at + 1 == l->walk_end) {
				l->walk_mode = WALK_STRINGS;
				l->walk_nul = 0;
			}
		} else if (b || !l->walk_nul) {
			l->walk_nul = !b;
		} else if (l->walk_type == 127) {
			l->walk_mode = WALK_DONE;
		} else {
			l->walk_mode = WALK_HEADER;
			l->walk_start = at + 1;
		}
	}
}

/* Appends n bytes: written in the second pass, walked in the first. */
static void put(struct legacy *l, const void *src, uint32_t n)
{
	if (!l->out)
		walk(l, src, n);
	else if (l->len <= l->cap && n <= l->cap - l->len)
		fw_memcpy(l->out + l->len, src, n);
	l->len += n;
}

static void close_structure(struct legacy *l, uint32_t size)
{
	l->structures++;
	if (size > l->max_size)
		l->max_size = size;
}

static const uint8_t *next_entry(const uint8_t *e)
{
	return e + fw_load_le(e, 2);
}

/* get_field: the field entry for (type, offset); the last one wins, as SeaBIOS's romfile_add puts each new file
 * at the head of the list its lookups walk. *len is 0 when there is none. */
static const uint8_t *field(const struct legacy *l, uint8_t type, uint32_t offset, uint32_t *len)
{
	const uint8_t *found = 0;
	*len = 0;
	for (const uint8_t *e = l->entries; e < l->end; e = next_entry(e))
		if (e[2] == KIND_FIELD && e[3] == type && fw_load_le(e + 4, 2) == offset) {
			found = e + FIELD_DATA;
			*len = (uint32_t)fw_load_le(e, 2) - FIELD_DATA;
		}
	return found;
}

/* get_external: every -smbios file= structure of the type, newest first (the romfile list's order), each with
 * the final NUL of its string set, and a second one when it has no strings. Once per type; never type 127,
 * which would end the table early. */
static int external(struct legacy *l, uint8_t type)
{
	const uint8_t *limit = l->end;
	int found = 0;
	if (l->used[type >> 5] & 1u << (type & 31))
		return 1;
	if (type == 127)
		return 0;
	for (;;) {
		const uint8_t *match = 0;
		for (const uint8_t *e = l->entries; e < limit; e = next_entry(e))
			if (e[2] == KIND_TABLE && e[3] == type)
				match = e;
		if (!match)
			break;
		uint32_t n = (uint32_t)fw_load_le(match, 2) - ENTRY_HEADER, size = n + 1 + (match[4] >= n);
		static const uint8_t zeros[2];
		if (l->len > LEGACY_MAX_TABLE - END_RESERVE || n > LEGACY_MAX_TABLE - END_RESERVE - l->len)
			break;	/* get_external's warn_noalloc: the rest of this type is left out */
		put(l, match + ENTRY_HEADER, n);
		put(l, zeros, size - n);
		close_structure(l, size);
		found = 1;
		limit = match;
	}
	if (found)
		l->used[type >> 5] |= 1u << (type & 31);
	return found;
}

/* One smbios_init_type_N: a formatted area zeroed, then its fields, its strings numbered from 1 after it. The
 * strings are kept as pieces and go out after the area, so that both passes emit the bytes in order. */
#define MAX_PIECES 12	/* type 1's six strings; type 4's socket is three pieces */
struct structure {
	struct legacy *l;
	uint8_t f[LEGACY_FORMATTED_MAX];
	const void *piece[MAX_PIECES];
	uint32_t piece_len[MAX_PIECES];
	uint32_t strings, pieces;	/* bytes of strings so far, and their pieces */
	uint8_t length, index;
};

static void begin(struct structure *s, struct legacy *l, uint8_t type, uint8_t length, uint16_t handle)
{
	fw_memset(s->f, 0, sizeof(s->f));
	s->l = l;
	s->strings = s->pieces = 0;
	s->length = length;
	s->index = 0;
	s->f[0] = type;
	s->f[1] = length;
	fw_store_le(s->f + 2, handle, 2);
}

static const uint8_t *sfield(const struct structure *s, uint32_t offset, uint32_t *len)
{
	return field(s->l, s->f[0], offset, len);
}

static void append(struct structure *s, const void *data, uint32_t n)
{
	s->piece[s->pieces] = data;
	s->piece_len[s->pieces++] = n;
	s->strings += n;
}

static void end_string(struct structure *s, uint32_t offset)
{
	s->f[offset] = ++s->index;
}

/* load_str_field_with_default (def given, its size with the NUL) or load_str_field_or_skip (def NULL): QEMU's
 * string as given; an empty one ("\0") gets no index, so it cannot end the set early. */
static void string(struct structure *s, uint32_t offset, const char *def, uint32_t def_size)
{
	uint32_t n;
	const uint8_t *data = sfield(s, offset, &n);
	if (n > 1) {
		append(s, data, n);
		end_string(s, offset);
	} else if (def && !n) {
		append(s, def, def_size);
		end_string(s, offset);
	} else {
		s->f[offset] = 0;
	}
}
#define STRING(s, offset, def) string(s, offset, def, sizeof(def))
#define NO_DEFAULT 0, 0

/* set_field_with_default: QEMU's bytes as given (cut at the formatted area's end, where SeaBIOS would run on),
 * else the little-endian default over `width` bytes. */
static void set(struct structure *s, uint32_t offset, uint32_t width, uint64_t def)
{
	uint32_t n;
	const uint8_t *data = sfield(s, offset, &n);
	if (n) {
		if (n > s->length - offset)
			n = s->length - offset;
		fw_memcpy(s->f + offset, data, n);
	} else {
		fw_memset(s->f + offset, 0, width);
		fw_store_le(s->f + offset, def, width < 8 ? width : 8);
	}
}

static void done(struct structure *s)
{
	static const uint8_t zeros[2];
	uint32_t tail = s->index ? 1 : 2;	/* the set's final NUL; with no strings, two after the area */
	put(s->l, s->f, s->length);
	for (uint32_t i = 0; i < s->pieces; i++)
		put(s->l, s->piece[i], s->piece_len[i]);
	put(s->l, zeros, tail);
	close_structure(s->l, s->length + s->strings + tail);
}

/* QEMU's prefix without its last byte (its NUL), else the default; for socket and DIMM locators. With `cut`, the
 * name ends at the prefix's first NUL (type 4 prints it with snprintf and copies it by strlen), and then 1 is
 * returned: the number after it is cut off too. */
static int name_prefix(struct structure *s, uint32_t offset, const char *def, uint32_t def_len, int cut)
{
	uint32_t n, m = 0;
	const uint8_t *prefix = sfield(s, offset, &n);
	if (!n) {
		append(s, def, def_len);
		return 0;
	}
	while (m < n - 1 && (!cut || prefix[m]))
		m++;
	append(s, prefix, m);
	return m < n - 1;
}

static void type0(struct legacy *l)
{
	struct structure s;
	begin(&s, l, 0, 0x18, 0);
	STRING(&s, 0x04, APPNAME);	/* vendor */
	STRING(&s, 0x05, APPNAME);	/* BIOS version */
	fw_store_le(s.f + 0x06, 0xE800, 2);	/* starting address segment */
	STRING(&s, 0x08, RELEASE_DATE);
	set(&s, 0x0A, 8, 0x08);		/* characteristics: "not supported" */
	set(&s, 0x12, 2, 0x0400);	/* extension bytes: targeted content distribution (SVVP) */
	set(&s, 0x14, 1, 1);		/* system BIOS release 1.0 */
	set(&s, 0x15, 1, 0);
	set(&s, 0x16, 1, 0xFF);		/* no embedded controller */
	set(&s, 0x17, 1, 0xFF);
	done(&s);
}

static void type1(struct legacy *l)
{
	struct structure s;
	begin(&s, l, 1, 0x1B, 0x100);
	STRING(&s, 0x04, APPNAME);	/* manufacturer */
	STRING(&s, 0x05, APPNAME);	/* product name */
	string(&s, 0x06, NO_DEFAULT);	/* version */
	string(&s, 0x07, NO_DEFAULT);	/* serial number */
	set(&s, 0x08, 16, 0);		/* UUID: QEMU's bytes as they are */
	set(&s, 0x18, 1, 0x06);		/* wake-up type: power switch */
	string(&s, 0x19, NO_DEFAULT);	/* SKU */
	string(&s, 0x1A, NO_DEFAULT);	/* family */
	done(&s);
}

static void type3(struct legacy *l)
{
	struct structure s;
	begin(&s, l, 3, 0x14, 0x300);
	STRING(&s, 0x04, APPNAME);
	set(&s, 0x05, 1, 0x01);		/* chassis type "other" */
	for (uint32_t offset = 0x06; offset <= 0x08; offset++)	/* version, serial number, asset tag */
		string(&s, offset, NO_DEFAULT);
	for (uint32_t offset = 0x09; offset <= 0x0B; offset++)	/* boot-up, power supply, thermal: safe */
		set(&s, offset, 1, 0x03);
	set(&s, 0x0C, 1, 0x02);		/* security status: unknown */
	set(&s, 0x0D, 4, 0);		/* OEM defined */
	for (uint32_t offset = 0x11; offset <= 0x13; offset++)	/* height, power cords, contained elements */
		set(&s, offset, 1, 0);
	done(&s);
}

/* The socket is QEMU's prefix (or "CPU") and the CPU number as printf's "%2x": "CPU 1" ... "CPU a", "CPU10". */
static void type4(struct legacy *l, uint32_t cpu)
{
	struct structure s;
	char digits[8];
	uint32_t n = 0, v = cpu, k;
	begin(&s, l, 4, 0x20, (uint16_t)(0x400 + cpu));
	if (!name_prefix(&s, 0x04, "CPU", 3, 1)) {
		do
			digits[n++] = "0123456789abcdef"[v & 15];
		while (v >>= 4);
		if (n < 2)
			digits[n++] = ' ';
		for (k = 0; k < n / 2; k++) {
			char t = digits[k];
			digits[k] = digits[n - 1 - k];
			digits[n - 1 - k] = t;
		}
		append(&s, digits, n);
	}
	append(&s, "", 1);
	end_string(&s, 0x04);
	set(&s, 0x05, 1, 0x03);		/* central processor */
	set(&s, 0x06, 1, 0x01);		/* family: other */
	STRING(&s, 0x07, APPNAME);
	set(&s, 0x08, 8, 0);		/* processor ID: SeaBIOS's CPUID, which the model cannot know; left zero */
	string(&s, 0x10, NO_DEFAULT);	/* version */
	set(&s, 0x11, 1, 0);		/* voltage */
	set(&s, 0x12, 2, 0);		/* external clock */
	set(&s, 0x14, 2, 2000);		/* max speed, MHz */
	set(&s, 0x16, 2, 2000);		/* current speed */
	set(&s, 0x18, 1, 0x41);		/* socket populated, CPU enabled */
	set(&s, 0x19, 1, 0x01);		/* upgrade: other */
	fw_store_le(s.f + 0x1A, 0xFFFFFFFFFFFFull, 6);	/* no cache structures */
	done(&s);
}

static void type16(struct legacy *l, uint64_t ram_mb, uint64_t devices)
{
	struct structure s;
	begin(&s, l, 16, 0x0F, 0x1000);
	set(&s, 0x04, 1, 0x01);		/* location: other */
	set(&s, 0x05, 1, 0x03);		/* use: system memory */
	set(&s, 0x06, 1, 0x06);		/* error correction: multi-bit ECC */
	/* Maximum capacity in KiB, or "unknown" from 2 TiB; no error information; the device count. */
	fw_store_le(s.f + 0x07, ram_mb < 2u << 20 ? (uint32_t)(ram_mb << 10) : 0x80000000u, 4);
	fw_store_le(s.f + 0x0B, 0xFFFE, 2);
	fw_store_le(s.f + 0x0D, devices, 2);
	done(&s);
}

static void type17(struct legacy *l, uint64_t size_mb, uint32_t instance)
{
	struct structure s;
	char digits[10], *end;
	begin(&s, l, 17, 0x15, (uint16_t)(0x1100 + instance));
	fw_store_le(s.f + 0x04, 0x1000, 2);	/* its physical memory array; no error information handle */
	set(&s, 0x08, 2, 64);		/* total width */
	set(&s, 0x0A, 2, 64);		/* data width */
	fw_store_le(s.f + 0x0C, size_mb, 2);
	set(&s, 0x0E, 1, 0x09);		/* form factor: DIMM */
	/* The locator is QEMU's prefix (or "DIMM ") and the instance as "%d"; here the prefix is copied whole. */
	name_prefix(&s, 0x10, "DIMM ", 5, 0);
	end = fw_put_dec(digits, digits + sizeof(digits), instance);
	append(&s, digits, (uint32_t)(end - digits));
	append(&s, "", 1);
	end_string(&s, 0x10);
	string(&s, 0x11, NO_DEFAULT);	/* bank locator */
	set(&s, 0x12, 1, 0x07);		/* memory type "RAM" */
	set(&s, 0x13, 2, 0);		/* type detail */
	done(&s);
}

/* Addresses in KiB in SeaBIOS's u32s: what wraps there wraps here. */
static void type19(struct legacy *l, uint64_t start_mb, uint64_t size_mb, uint32_t instance)
{
	struct structure s;
	uint32_t start = (uint32_t)(start_mb << 10);
	begin(&s, l, 19, 0x0F, (uint16_t)(0x1300 + instance));
	fw_store_le(s.f + 0x04, start, 4);
	fw_store_le(s.f + 0x08, (uint32_t)(start + (size_mb << 10) - 1), 4);
	fw_store_le(s.f + 0x0C, 0x1000, 2);	/* the memory array */
	s.f[0x0E] = 1;			/* partition width */
	done(&s);
}

static void type20(struct legacy *l, uint64_t start_mb, uint64_t size_mb, uint32_t instance, uint32_t device,
		   uint32_t array)
{
	struct structure s;
	uint32_t start = (uint32_t)(start_mb << 10);
	begin(&s, l, 20, 0x13, (uint16_t)(0x1400 + instance));
	fw_store_le(s.f + 0x04, start, 4);
	fw_store_le(s.f + 0x08, (uint32_t)(start + (size_mb << 10) - 1), 4);
	fw_store_le(s.f + 0x0C, 0x1100 + device, 2);
	fw_store_le(s.f + 0x0E, 0x1300 + array, 2);
	s.f[0x10] = 1;			/* partition row position; interleave position and depth 0 */
	done(&s);
}

/* smbios_legacy_setup's order: each type's built structure unless QEMU gave that type whole. */
static void build_legacy(struct legacy *l, uint32_t cpus, uint64_t below, uint64_t above)
{
	struct structure s;
	uint64_t ram_mb = (below + above) >> 20, devices = (ram_mb + 0x3FFF) >> 14, start_mb = 4096;
	/* One memory device per 16 GiB, the last holding the rest. */
#define DEVICE_MB(i) ((i) == devices - 1 ? ((ram_mb - 1) & 0x3FFF) + 1 : 16384)
	if (!external(l, 0))
		type0(l);
	if (!external(l, 1))
		type1(l);
	if (!external(l, 3))
		type3(l);
	/* Each loop stops once the table is too long for the entry point: a fuzzed count ends there. */
	for (uint32_t cpu = 1; cpu <= cpus && l->len <= LEGACY_MAX_TABLE; cpu++)
		if (!external(l, 4))
			type4(l, cpu);
	if (!external(l, 16))
		type16(l, ram_mb, devices);
	for (uint64_t i = 0; i < devices && l->len <= LEGACY_MAX_TABLE; i++)
		if (!external(l, 17))
			type17(l, DEVICE_MB(i), (uint32_t)i);
	if (!external(l, 19))
		type19(l, 0, below >> 20, 0);
	if (above && !external(l, 19))
		type19(l, 4096, above >> 20, 1);
	if (!external(l, 20))
		type20(l, 0, below >> 20, 0, 0, 0);
	for (uint64_t i = 0; above && i < devices && l->len <= LEGACY_MAX_TABLE; i++) {
		uint64_t size_mb = DEVICE_MB(i) - (i ? 0 : below >> 20);	/* may wrap, as the model's masks do */
		if (!external(l, 20))
			type20(l, start_mb, size_mb, (uint32_t)i + 1, (uint32_t)i, 1);
		start_mb += size_mb;
	}
#undef DEVICE_MB
	if (!external(l, 32)) {
		begin(&s, l, 32, 0x0B, 0x2000);
		set(&s, 0x0A, 1, 0);	/* boot status: no errors */
		done(&s);
	}
	for (uint32_t type = 0; type < 256; type++)	/* QEMU's other structures, by type */
		external(l, (uint8_t)type);
	begin(&s, l, 127, 4, 0x7F00);	/* end of table */
	done(&s);
}

/* SeaBIOS's RamSize and RamSizeOver4G (src/fw/paravirt.c qemu_early_e820): the end of the highest etc/e820
 * RAM range that starts below 4 GiB, and the end of the highest above it less 4 GiB. */
static int legacy_ram(const struct loader_env *env, uint64_t ram_size, uint64_t *below, uint64_t *above)
{
	const struct fw_file *file = ENV_FIND(env, "etc/e820");
	uint8_t raw[E820_ENTRIES_MAX * E820_ENTRY];
	uint32_t size = file ? file->size - file->size % E820_ENTRY : 0;	/* a ragged tail is ignored */
	int any = 0;
	*below = *above = 0;
	if (size > sizeof(raw) || (size && ENV_READ(env, file, raw, size)))
		return -1;
	for (uint32_t at = 0; at < size; at += E820_ENTRY) {
		uint64_t address = fw_load_le(raw + at, 8), end = address + fw_load_le(raw + at + 8, 8);
		if (fw_load_le(raw + at + 16, 4) != 1 || end == address)	/* RAM, not empty */
			continue;
		any = 1;
		if (address < FOUR_GIB && end > *below)
			*below = end;
		else if (address >= FOUR_GIB && end - FOUR_GIB > *above)
			*above = end - FOUR_GIB;
	}
	if (!any)	/* SeaBIOS reads CMOS then, which splits the RAM at QEMU's own boundary */
		*below = ram_size < FOUR_GIB ? ram_size : FOUR_GIB;
	return 0;
}

int smbios_legacy_setup(const struct loader_env *env, const struct smbios_legacy_input *in)
{
	struct legacy l;
	uint64_t below, above, table_address;
	uint32_t need = smbios_legacy_entries_size(in->entries, in->size);
	uint8_t *table, *ep;

	if (!need || need > in->size)
		return -SMBIOS_E_ENTRIES;
	fw_memset(&l, 0, sizeof(l));
	l.entries = in->entries + 2;
	l.end = in->entries + need;
	for (const uint8_t *e = l.entries; e < l.end; e = next_entry(e)) {
		uint32_t length = (uint32_t)fw_load_le(e, 2);
		if (e[2] == KIND_FIELD ? length < FIELD_DATA : e[2] != KIND_TABLE || length < TABLE_MIN)
			return -SMBIOS_E_ENTRIES;
	}
	if (legacy_ram(env, in->ram_size, &below, &above))
		return -SMBIOS_E_IO;
	build_legacy(&l, in->cpus, below, above);
	if (l.len > LEGACY_MAX_TABLE)
		return -SMBIOS_E_TABLE_SIZE;
	if (l.walk_mode != WALK_DONE && !(l.walk_mode == WALK_HEADER && l.walk_start == l.len))
		return -SMBIOS_E_UNWALKABLE;
	table = ENV_ALLOC(env, SMBIOS_LEGACY_TABLES, l.len, 16,
			   l.len <= LEGACY_FSEG_MAX ? LOADER_ZONE_FSEG : LOADER_ZONE_HIGH);
	if (!table)
		return -SMBIOS_E_NO_ROOM;
	l.out = table;
	l.cap = l.len;
	l.len = l.structures = l.max_size = 0;
	fw_memset(l.used, 0, sizeof(l.used));
	build_legacy(&l, in->cpus, below, above);
	table_address = loader_address(env, table);

	/* smbios_21_entry_point_setup: SMBIOS 2.4, and then the checksums as place_smbios fixes them. */
	ep = ENV_ALLOC(env, SMBIOS_LEGACY_ANCHOR, EP21_SIZE, 16, LOADER_ZONE_FSEG);
	if (!ep)
		return -SMBIOS_E_NO_ROOM;
	fw_memset(ep, 0, EP21_SIZE);
	fw_store_le(ep, fw_unfolded(0x5F4D535Fu), 4);	/* "_SM_" */
	ep[EP21_LENGTH] = EP21_SIZE;
	ep[6] = 2;
	ep[7] = 4;
	fw_store_le(ep + EP21_MAX_STRUCTURE, l.max_size, 2);
	fw_store_le(ep + EP21_INTERMEDIATE, fw_unfolded(0x494D445Fu), 4);	/* "_DMI_" */
	ep[EP21_INTERMEDIATE + 4] = '_';
	fw_store_le(ep + EP21_TABLE_LENGTH, l.len, 2);
	fw_store_le(ep + EP21_TABLE_ADDRESS, table_address, 4);
	fw_store_le(ep + EP21_STRUCTURE_COUNT, l.structures, 2);
	ep[0x1E] = 0x24;	/* BCD revision 2.4 */
	fix_checksum(ep, EP21_INTERMEDIATE_CHECKSUM, EP21_INTERMEDIATE, EP21_SIZE);
	fix_checksum(ep, EP21_CHECKSUM, 0, EP21_SIZE);
	log_msg(env, "legacy tables at ", table_address, ", entry point at ", loader_address(env, ep));
	return 0;
}
