/* The ACPI table-loader (QEMU's etc/table-loader): each command checked before it writes, as loader.py does. */
#include "loader.h"
#include "util.h"

/* Command numbers and layouts: QEMU hw/acpi/bios-linker-loader.c, BiosLinkerLoaderEntry. */
enum {
	CMD_PADDING = 0,
	CMD_ALLOCATE = 1,
	CMD_ADD_POINTER = 2,
	CMD_ADD_CHECKSUM = 3,
	CMD_WRITE_POINTER = 4,
};

struct loader_entry {
	uint32_t command;
	union {
		struct {
			char file[LOADER_NAME_SIZE];
			uint32_t align;
			uint8_t zone;
		} __attribute__((packed)) allocate;
		struct {
			char dest_file[LOADER_NAME_SIZE];
			char src_file[LOADER_NAME_SIZE];
			uint32_t offset;
			uint8_t size;
		} __attribute__((packed)) add_pointer;
		struct {
			char file[LOADER_NAME_SIZE];
			uint32_t offset;
			uint32_t start;
			uint32_t length;
		} __attribute__((packed)) add_checksum;
		struct {
			char dest_file[LOADER_NAME_SIZE];
			char src_file[LOADER_NAME_SIZE];
			uint32_t dst_offset;
			uint32_t src_offset;
			uint8_t size;
		} __attribute__((packed)) write_pointer;
		uint8_t body[124];
	};
} __attribute__((packed));

_Static_assert(sizeof(struct loader_entry) == 128, "a table-loader entry is 128 bytes on the wire");
_Static_assert(__builtin_offsetof(struct loader_entry, allocate.align) == 60, "ALLOCATE align at 60");
_Static_assert(__builtin_offsetof(struct loader_entry, add_pointer.offset) == 116, "ADD_POINTER offset at 116");
_Static_assert(__builtin_offsetof(struct loader_entry, add_checksum.length) == 68, "ADD_CHECKSUM length at 68");
_Static_assert(__builtin_offsetof(struct loader_entry, write_pointer.size) == 124, "WRITE_POINTER size at 124");

struct allocation {
	const struct fw_file *file;
	uint8_t *data;
	uint64_t address;
	uint32_t size;
	uint32_t name_length;	/* strlen(file->name): the name matched its command's */
};

struct loader {
	const struct loader_env *env;
	struct allocation allocations[LOADER_MAX_ALLOCATIONS];
	uint32_t count;
	struct loader_failure *failure;
	int32_t index;
};

static void log_line(const struct loader *l, const char *a, const char *b, const char *c)
{
	char line[200], *end = line + sizeof(line) - 1, *p = line;
	if (!l->env->log)
		return;
	if (l->index < 0) {
		p = fw_put_str(p, end, "loader: script: ");
	} else {
		p = fw_put_str(p, end, "loader: command ");
		p = fw_put_dec(p, end, (uint32_t)l->index);
		p = fw_put_str(p, end, ": ");
	}
	p = fw_put_str(p, end, a);
	p = fw_put_str(p, end, b);
	p = fw_put_str(p, end, c);
	*p = 0;
	l->env->log(l->env->ctx, line);
}

static int fail(struct loader *l, int error, const char *field)
{
	if (l->failure) {
		l->failure->index = l->index;
		l->failure->field = field;
	}
	log_line(l, field, ": ", loader_error_name(-error));
	return -error;
}

/* A name field must hold a non-empty ASCII name and its NUL inside the 56 bytes; 0 and its length, or an error.
 * A byte loop: the firmware checks a handful of names, and TCG translates this loop in two blocks. */
static int check_name(struct loader *l, const char *name, const char *field, uint32_t *length)
{
	uint32_t n = 0;
	while (n < LOADER_NAME_SIZE && name[n] && !(name[n] & 0x80))
		n++;
	/* Empty, no NUL, or a non-ASCII byte; tested together (fw_one_test). name[LOADER_NAME_SIZE] is the entry's
	 * next byte: every name field ends at least 4 bytes before its 128-byte entry does. */
	if (fw_one_test((n == 0) | (n == LOADER_NAME_SIZE) | (name[n] != 0)))
		return fail(l, LOADER_E_NAME, field);
	*length = n;
	return 0;
}

static struct allocation *find_allocation(struct loader *l, const char *name, uint32_t len)
{
	/* A name of the same length, then its bytes, as a different length settles most mismatches at once. Every
	 * allocation is tried whole-dword before this in allocated(). */
	for (uint32_t i = 0; i < l->count; i++)
		if (l->allocations[i].name_length == len && fw_bytes_equal(l->allocations[i].file->name, name, len))
			return &l->allocations[i];
	return 0;
}

/* Whether a name field holds exactly an allocation's name, its NUL included. That name passed check_name, so
 * a field equal to it would pass as well: the check can be skipped. Whole dwords through the NUL, at most 56
 * bytes, inside both fields: equal, they hold the name; unequal only past the NUL (bytes after it that differ),
 * the caller's exact search still finds it. */
static int names_allocation(const struct allocation *a, const char *name)
{
	return fw_words_equal(a->file->name, name, (a->name_length + 4) / 4);
}

/* The allocation a name field refers to, or NULL after recording the failure in *error. */
static struct allocation *allocated(struct loader *l, const char *name, const char *field, int *error)
{
	struct allocation *a;
	uint32_t len;
	/* QEMU's scripts name two or three files: each is tried whole-dword first, a few repe cmpsl iterations
	 * where check_name alone is a byte loop over the field. Only a name none of them matches that way is checked
	 * and searched byte by byte (and an error is found there). */
	*error = 0;
	for (uint32_t i = 0; i < l->count; i++)
		if (names_allocation(&l->allocations[i], name))
			return &l->allocations[i];
	*error = check_name(l, name, field, &len);
	if (*error)
		return 0;
	a = find_allocation(l, name, len);
	if (!a)
		*error = fail(l, LOADER_E_NOT_ALLOCATED, field);
	return a;
}

/* A size-byte field at offset inside limit bytes; written so that no sum can wrap. */
static int check_field(struct loader *l, const char *field, uint32_t offset, uint8_t size, uint32_t limit)
{
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return fail(l, LOADER_E_SIZE, "size");
	if (limit < size || offset > limit - size)
		return fail(l, LOADER_E_OFFSET, field);
	return 0;
}

/* The largest value of each pointer size check_field lets through. */
static const uint64_t pointer_max[16] = {[1] = 0xFF, [2] = 0xFFFF, [4] = 0xFFFFFFFF, [8] = UINT64_MAX};

/* base + add as a size-byte little-endian value, or an error when it does not fit (the sum wraps or exceeds the
 * size); size is 1, 2, 4 or 8, as check_field made sure. One test: a 64-bit shift by a variable count is several
 * branches on i686. */
static int pointer_value(struct loader *l, uint64_t base, uint64_t add, uint8_t size, uint64_t *value)
{
	*value = base + add;
	if (fw_one_test((*value < base) | (*value > pointer_max[size & 15])))
		return fail(l, LOADER_E_OVERFLOW, "size");
	return 0;
}

static int do_allocate(struct loader *l, const struct loader_entry *e)
{
	const char *name = e->allocate.file;
	const struct fw_file *file;
	uint32_t align = e->allocate.align;
	struct allocation *a;
	uint32_t name_length;
	int error = check_name(l, name, "file", &name_length);
	char where[64], *p = where, *end = where + sizeof(where) - 1;

	if (error)
		return error;
	file = ENV_FIND(l->env, name);
	if (!file)
		return fail(l, LOADER_E_NO_FILE, "file");
	if (find_allocation(l, name, name_length))
		return fail(l, LOADER_E_DUPLICATE, "file");
	/* Together first (fw_one_test), then one by one in their order to name the failure. */
	if (fw_one_test((align == 0) | ((align & (align - 1)) != 0) |
			((e->allocate.zone != LOADER_ZONE_HIGH) & (e->allocate.zone != LOADER_ZONE_FSEG)) |
			(l->count == LOADER_MAX_ALLOCATIONS))) {
		if (align == 0 || (align & (align - 1)))
			return fail(l, LOADER_E_ALIGN, "align");
		if (e->allocate.zone != LOADER_ZONE_HIGH && e->allocate.zone != LOADER_ZONE_FSEG)
			return fail(l, LOADER_E_ZONE, "zone");
		return fail(l, LOADER_E_TOO_MANY, "file");
	}
	a = &l->allocations[l->count];
	a->data = ENV_ALLOC(l->env, file->name, file->size, align, e->allocate.zone);
	if (!a->data)
		return fail(l, LOADER_E_NO_ROOM, "zone");
	/* An empty file reads nothing, without a test for it. */
	if (ENV_READ(l->env, file, a->data, file->size))
		return fail(l, LOADER_E_IO, "file");
	a->file = file;
	a->size = file->size;
	a->name_length = name_length;
	a->address = loader_address(l->env, a->data);
	l->count++;
	if (!l->env->log)
		return 0;
	p = fw_put_str(p, end, " at ");
	p = fw_put_hex(p, end, a->address);
	p = fw_put_str(p, end, " size ");
	p = fw_put_hex(p, end, a->size);
	*p = 0;
	log_line(l, "ALLOCATE ", file->name, where);
	return 0;
}

static int do_add_pointer(struct loader *l, const struct loader_entry *e)
{
	int error;
	struct allocation *dest = allocated(l, e->add_pointer.dest_file, "dest_file", &error), *src;
	uint32_t offset = e->add_pointer.offset;
	uint8_t size = e->add_pointer.size;
	uint64_t value = 0;

	if (!dest)
		return error;
	src = allocated(l, e->add_pointer.src_file, "src_file", &error);
	if (!src)
		return error;
	error = check_field(l, "offset", offset, size, dest->size);
	if (error)
		return error;
	/* QEMU pre-fills the field with the offset inside src; the loader adds src's address to it. */
	error = pointer_value(l, src->address, fw_load_le(dest->data + offset, size), size, &value);
	if (error)
		return error;
	fw_store_le(dest->data + offset, value, size);
	return 0;
}

static int do_add_checksum(struct loader *l, const struct loader_entry *e)
{
	int error;
	struct allocation *a = allocated(l, e->add_checksum.file, "file", &error);
	uint32_t offset = e->add_checksum.offset, start = e->add_checksum.start, length = e->add_checksum.length;

	if (!a)
		return error;
	/* Together first (fw_one_test), then one by one to name the failure. */
	if (fw_one_test((start > a->size) | (length > a->size - start) | (offset < start) |
			(offset - start >= length))) {
		if (start > a->size || length > a->size - start)
			return fail(l, LOADER_E_RANGE, "length");
		return fail(l, LOADER_E_OFFSET, "offset");
	}
	/* ACPI 6.5 §5.2.6: the range, checksum byte included, sums to zero modulo 256. */
	a->data[offset] = (uint8_t)(a->data[offset] - fw_sum8(a->data + start, length));
	return 0;
}

static int do_write_pointer(struct loader *l, const struct loader_entry *e)
{
	const char *dest_name = e->write_pointer.dest_file;
	const struct fw_file *dest;
	struct allocation *src;
	uint8_t size = e->write_pointer.size, bytes[8];
	uint64_t value = 0;
	uint32_t dest_length;
	int error = check_name(l, dest_name, "dest_file", &dest_length);

	if (error)
		return error;
	/* The destination is a fw_cfg file the guest writes back to QEMU, not memory: it needs no ALLOCATE. */
	dest = ENV_FIND(l->env, dest_name);
	if (!dest)
		return fail(l, LOADER_E_NO_FILE, "dest_file");
	src = allocated(l, e->write_pointer.src_file, "src_file", &error);
	if (!src)
		return error;
	error = check_field(l, "dst_offset", e->write_pointer.dst_offset, size, dest->size);
	if (error)
		return error;
	if (e->write_pointer.src_offset >= src->size)
		return fail(l, LOADER_E_SRC_OFFSET, "src_offset");
	error = pointer_value(l, src->address, e->write_pointer.src_offset, size, &value);
	if (error)
		return error;
	fw_store_le(bytes, value, size);
	if (!ENV_CAN_WRITE(l->env) || ENV_WRITE(l->env, dest, e->write_pointer.dst_offset, bytes, size))
		return fail(l, LOADER_E_IO, "dest_file");
	return 0;
}

int run_table_loader_ex(const struct loader_env *env, const uint8_t *script, uint32_t len,
			struct loader_failure *failure)
{
	struct loader l;	/* not zeroed whole: allocations[] is filled as count grows */
	int error = 0;

	l.env = env;
	l.count = 0;
	l.failure = failure;
	l.index = -1;

	if (len % sizeof(struct loader_entry))
		return fail(&l, LOADER_E_LENGTH, "length");
	for (uint32_t at = 0; at < len && !error; at += sizeof(struct loader_entry)) {
		/* Read in place, no copy: the struct is packed, so any alignment will do, and the loader writes only
		 * into memory env->alloc handed out, never into the caller's script. */
		const struct loader_entry *entry = (const void *)(script + at);
		l.index = (int32_t)(at / sizeof(struct loader_entry));
		switch (entry->command) {
		case CMD_PADDING:
			break;
		case CMD_ALLOCATE:
			error = do_allocate(&l, entry);
			break;
		case CMD_ADD_POINTER:
			error = do_add_pointer(&l, entry);
			break;
		case CMD_ADD_CHECKSUM:
			error = do_add_checksum(&l, entry);
			break;
		case CMD_WRITE_POINTER:
			error = do_write_pointer(&l, entry);
			break;
		default: {
			/* SeaBIOS skips commands it does not know (src/fw/romfile_loader.c); so do we. */
			char hex[24], *p = fw_put_hex(hex, hex + sizeof(hex) - 1, entry->command);
			*p = 0;
			log_line(&l, "unknown command ", hex, " skipped");
		}
		}
	}
	return error;
}

int run_table_loader(const struct loader_env *env, const uint8_t *script, uint32_t len)
{
	return run_table_loader_ex(env, script, len, 0);
}

const char *loader_error_name(int error)
{
	static const char *const names[] = {
		[LOADER_OK] = "ok",
		[LOADER_E_LENGTH] = "script length is not a multiple of 128",
		[LOADER_E_NAME] = "bad file name",
		[LOADER_E_NO_FILE] = "no such fw_cfg file",
		[LOADER_E_NOT_ALLOCATED] = "file was never allocated",
		[LOADER_E_DUPLICATE] = "file allocated twice",
		[LOADER_E_ALIGN] = "alignment is not a power of two",
		[LOADER_E_ZONE] = "unknown zone",
		[LOADER_E_NO_ROOM] = "no room in zone",
		[LOADER_E_TOO_MANY] = "too many allocations",
		[LOADER_E_SIZE] = "pointer size is not 1, 2, 4 or 8",
		[LOADER_E_OFFSET] = "offset outside its range",
		[LOADER_E_RANGE] = "checksum range runs past the end of the file",
		[LOADER_E_SRC_OFFSET] = "source offset past the end of the file",
		[LOADER_E_OVERFLOW] = "pointer value does not fit",
		[LOADER_E_IO] = "fw_cfg transfer failed",
	};
	if (error < 0)
		error = -error;
	return (unsigned)error < sizeof(names) / sizeof(names[0]) && names[error] ? names[error] : "unknown error";
}
